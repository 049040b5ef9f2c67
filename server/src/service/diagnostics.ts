// Findings → LSP diagnostics for one document.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocUrl } from '../shared/codes';
import type { Finding, Severity } from '../shared/findings';

export const DIAGNOSTIC_SOURCE = 'lm-eval-lens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function findingToDiagnostic(f: Finding, doc: TextDocument, relatedUri?: (file: string) => string): Diagnostic {
  const d: Diagnostic = {
    range: { start: doc.positionAt(f.range.start), end: doc.positionAt(f.range.end) },
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocUrl(f.code) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (f.related?.length && relatedUri) {
    d.relatedInformation = f.related.map((r) => ({
      // Related ranges in other files are given as offsets; without their text, point at the start.
      location: {
        uri: relatedUri(r.file),
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
      message: r.message,
    }));
  }
  return d;
}

/** Diagnostics for the document itself (findings located in other files are shown there). */
export function toDiagnostics(
  findings: readonly Finding[],
  doc: TextDocument,
  relatedUri?: (file: string) => string,
): Diagnostic[] {
  return findings.filter((f) => f.file === undefined).map((f) => findingToDiagnostic(f, doc, relatedUri));
}
