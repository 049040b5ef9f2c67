// Findings placed at file:line:column, deduplicated (a broken template is reported once, not once
// per file that includes it), and printed for a person.
import type { Finding, Severity } from '../shared/findings';
import { positionOfOffset } from '../service/positions';

/** A place in a file: 0-based line and UTF-16 column, end exclusive. */
export interface ReportedLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportedFinding extends ReportedLocation {
  code: string;
  severity: Severity;
  message: string;
  /** Supporting lines (vLLM's wording, the arithmetic), printed indented under the message. */
  details?: string[];
  /** The flagged source text (at most 200 characters; SARIF fingerprints use it). */
  snippet?: string;
  /** Other places that belong to the finding (repeats of it, the other definition of a name). */
  related?: (ReportedLocation & { message: string })[];
}

/** Where an offset range is, given the text of its file. */
function locate(file: string, text: string, range: { start: number; end: number }): ReportedLocation {
  const s = positionOfOffset(text, range.start);
  const e = positionOfOffset(text, range.end);
  return { file, line: s.line, column: s.character, endLine: e.line, endColumn: e.character };
}

export function placeFindings(
  file: string,
  text: string,
  findings: readonly Finding[],
  readOther: (file: string) => string | undefined,
  seen: Set<string>,
): ReportedFinding[] {
  const out: ReportedFinding[] = [];
  for (const f of findings) {
    const where = f.file ?? file;
    const whereText = f.file ? (readOther(f.file) ?? '') : text;
    const key = `${where}\0${f.range.start}\0${f.range.end}\0${f.code}\0${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const textOf = (other: string) => (other === where ? whereText : other === file ? text : (readOther(other) ?? ''));
    const snippet = whereText.slice(f.range.start, Math.min(f.range.end, f.range.start + 200));
    out.push({
      ...locate(where, whereText, f.range),
      code: f.code,
      severity: f.severity,
      message: f.message,
      ...(f.details?.length ? { details: f.details } : {}),
      ...(snippet ? { snippet } : {}),
      ...(f.related?.length
        ? { related: f.related.map((r) => ({ ...locate(r.file, textOf(r.file), r.range), message: r.message })) }
        : {}),
    });
  }
  return out.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : 0));
}

const PLAIN = {
  bold: (s: string) => s,
  dim: (s: string) => s,
  red: (s: string) => s,
  yellow: (s: string) => s,
  cyan: (s: string) => s,
};
type Colors = typeof PLAIN;

/** `file:line:col: severity [code] message`, details indented below (ruff's and ESLint's shape). */
export function formatText(
  findings: readonly ReportedFinding[],
  relativeTo: (file: string) => string,
  style: Colors = PLAIN,
): string {
  const severity = (s: Severity) =>
    s === 'error'
      ? style.bold(style.red('error'))
      : s === 'warning'
        ? style.bold(style.yellow('warning'))
        : style.bold(style.cyan(s));
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(
      `${style.bold(`${relativeTo(f.file)}:${f.line + 1}:${f.column + 1}`)}: ${severity(f.severity)} ${style.dim(`[${f.code}]`)} ${f.message}`,
    );
    for (const d of f.details ?? []) for (const line of d.split('\n')) lines.push(`    ${line}`);
  }
  return lines.join('\n');
}

export function summarize(findings: readonly ReportedFinding[], fileCount: number): string {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info') + count('hint'), 'note')} in ${plural(fileCount, 'file')} checked`;
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`): the runner turns each into an
 * annotation on the pull request's diff. Details follow the message on their own lines.
 */
export function formatGithub(findings: readonly ReportedFinding[], relativeTo: (file: string) => string): string {
  const command = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;
  return findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(relativeTo(f.file))}`,
        `line=${f.line + 1}`,
        `col=${f.column + 1}`,
        `endLine=${f.endLine + 1}`,
        `endColumn=${f.endColumn + 1}`,
        `title=${escapeProperty(`lm-eval-lens (${f.code})`)}`,
      ];
      return `::${command[f.severity]} ${props.join(',')}::${escapeData([f.message, ...(f.details ?? [])].join('\n'))}`;
    })
    .join('\n');
}

// The runner's own escaping (actions/toolkit core/src/command.ts): data escapes % CR LF, properties
// also : and ,.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
