// Which lm-eval rules apply. The include/classification rewrite (#3549, TaskManager refactor) landed
// in v0.4.12; everything older behaves like v0.4.9 for our purposes.

export interface HarnessRules {
  /** As written ('0.4.9'), or 'latest'. */
  label: string;
  /** Before v0.4.12: first include wins, no cycle/diamond detection, `task:` list = group. */
  legacy: boolean;
}

const DIRECTIVE = /#\s*lm-eval-lens:\s*harness\s*=\s*([0-9][0-9A-Za-z.+-]*|latest)/;

function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function harnessRules(version: string | undefined): HarnessRules {
  const v = version?.trim() ? version.trim() : undefined;
  if (!v || v === 'latest') return { label: 'latest', legacy: false };
  const p = parseVersion(v);
  if (!p) return { label: 'latest', legacy: false };
  const legacy = p[0] === 0 && (p[1] < 4 || (p[1] === 4 && p[2] < 12));
  return { label: v, legacy };
}

/** A `# lm-eval-lens: harness=0.4.9` comment (only the first 64 KiB are searched). */
export function harnessDirective(text: string): string | undefined {
  const m = DIRECTIVE.exec(text.length > 65536 ? text.slice(0, 65536) : text);
  return m ? m[1] : undefined;
}
