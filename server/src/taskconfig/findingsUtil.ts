import type { DiagnosticCode } from '../shared/codes';
import type { Finding, Fix, Severity } from '../shared/findings';
import type { YNode } from './yamlTree';
import type { OffsetRange } from '../shared/findings';

/** Collects findings for one checked file; a finding in another file carries `file`. */
export class FindingSink {
  readonly items: Finding[] = [];
  constructor(readonly checkedFile: string) {}

  at(
    file: string,
    range: OffsetRange,
    code: DiagnosticCode,
    severity: Severity,
    message: string,
    extra?: { fixes?: Fix[]; related?: Finding['related'] },
  ): void {
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
