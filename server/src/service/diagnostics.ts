// Findings → LSP diagnostics for one document.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocUrl } from '../shared/codeDocs';
import type { Finding, Severity } from '../shared/findings';

export const DIAGNOSTIC_SOURCE = 'lm-eval-lens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticOptions {
  /** Map a finding's related file to a URI; without it, related locations in other files are dropped. */
  relatedUri?: (file: string) => string;
  /** The client shows relatedInformation (its publishDiagnostics capability). When it does not, a
   * finding's details are appended to the message on their own lines instead. Default true. */
  relatedInformation?: boolean;
}

export function findingToDiagnostic(f: Finding, doc: TextDocument, options: DiagnosticOptions = {}): Diagnostic {
  const range = { start: doc.positionAt(f.range.start), end: doc.positionAt(f.range.end) };
  const withRelated = options.relatedInformation !== false;
  const details = f.details?.filter((d) => d.trim()) ?? [];
  const d: Diagnostic = {
    range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocUrl(f.code) },
    source: DIAGNOSTIC_SOURCE,
    message: withRelated || !details.length ? f.message : [f.message, ...details].join('\n'),
  };
  const related: DiagnosticRelatedInformation[] = [];
  // Details point at the finding itself: VS Code lists them under the message in the hover and
  // in the Problems panel, one line each.
  if (withRelated) for (const message of details) related.push({ location: { uri: doc.uri, range }, message });
  if (f.related?.length && options.relatedUri) {
    for (const r of f.related) {
      const uri = options.relatedUri(r.file);
      // A place in this same document has its real range; ranges in other files are offsets into a
      // text we do not hold here, so they point at the file's start.
      const at = sameUri(uri, doc.uri)
        ? { start: doc.positionAt(r.range.start), end: doc.positionAt(r.range.end) }
        : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      related.push({ location: { uri, range: at }, message: r.message });
    }
  }
  if (related.length) d.relatedInformation = related;
  return d;
}

/** Diagnostics for the document itself (findings located in other files are shown there). */
export function toDiagnostics(
  findings: readonly Finding[],
  doc: TextDocument,
  options: DiagnosticOptions = {},
): Diagnostic[] {
  return findings.filter((f) => f.file === undefined).map((f) => findingToDiagnostic(f, doc, options));
}

/** `file:///a%20b` and `file:///a b` name the same document (clients differ in what they encode). */
function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return decodeURIComponent(a).toLowerCase() === decodeURIComponent(b).toLowerCase();
  } catch {
    return false;
  }
}
