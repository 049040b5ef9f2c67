import type { DiagnosticCode } from '../shared/codes';
import type { Finding, Fix, Severity } from '../shared/findings';
import type { YNode } from './yamlTree';
import type { OffsetRange } from '../shared/findings';

/** Collects findings for one checked file; a finding in another file carries `file`. */
export class FindingSink {
  readonly items: Finding[] = [];
  /** Nodes a finding has already explained (`file|start|end`): one finding per cause. */
  private readonly claimed = new Set<string>();
  constructor(readonly checkedFile: string) {}

  /** Say that `node` is explained by a finding made: later findings on it (of other rules) are dropped. */
  claim(node: { file: string; range: OffsetRange }): void {
    this.claimed.add(`${node.file}|${node.range.start}|${node.range.end}`);
  }

  /** Whether a finding at this place would repeat a cause already reported. */
  isClaimed(file: string, range: OffsetRange): boolean {
    return this.claimed.size > 0 && this.claimed.has(`${file}|${range.start}|${range.end}`);
  }

  /** Add findings made elsewhere (the schema check), except on claimed nodes. */
  push(findings: readonly Finding[]): void {
    for (const f of findings) if (!this.isClaimed(f.file ?? this.checkedFile, f.range)) this.items.push(f);
  }

  at(
    file: string,
    range: OffsetRange,
    code: DiagnosticCode,
    severity: Severity,
    message: string,
    extra?: { fixes?: Fix[]; related?: Finding['related'] },
  ): void {
    if (this.isClaimed(file, range)) return;
    const f: Finding = { code, severity, message, range };
    if (file !== this.checkedFile) f.file = file;
    if (extra?.fixes)
      f.fixes = extra.fixes.map((x) => ({
        ...x,
        edits: x.edits.map((e) => (file !== this.checkedFile ? { ...e, file } : e)),
      }));
    if (extra?.related) f.related = extra.related;
    this.items.push(f);
  }

  node(
    node: YNode,
    code: DiagnosticCode,
    severity: Severity,
    message: string,
    extra?: { fixes?: Fix[]; related?: Finding['related'] },
  ): void {
    this.at(node.file, node.range, code, severity, message, extra);
  }
}

export function replaceFix(title: string, range: OffsetRange, newText: string): Fix {
  return { title, edits: [{ range, newText }], isPreferred: true };
}
