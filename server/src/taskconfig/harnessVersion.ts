// Which lm-eval rules apply. The include/classification rewrite (#3549, TaskManager refactor) landed
// in v0.4.12; everything older behaves like v0.4.9 for our purposes.

export interface HarnessRules {
  /** As written ('0.4.9'), or 'latest'. */
  label: string;
  /** Before v0.4.12: first include wins, no cycle/diamond detection, `task:` list = group. */
  legacy: boolean;
  /** Before v0.4.5 TaskConfig still had a `group` field (a task's collection, deprecated for `tag`);
   * from v0.4.5 (#2388) to v0.4.11 a task config with `group:` fails in TaskConfig(**cfg). */
  taskConfigHasGroup: boolean;
}

const DIRECTIVE = /#\s*lm-eval-lens:\s*harness\s*=\s*([0-9][0-9A-Za-z.+-]*|latest)/;

function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

const LATEST: HarnessRules = { label: 'latest', legacy: false, taskConfigHasGroup: false };

export function harnessRules(version: string | undefined): HarnessRules {
  const v = version?.trim() ? version.trim() : undefined;
  if (!v || v === 'latest') return LATEST;
  const p = parseVersion(v);
  if (!p) return LATEST;
  const before = (minor: number, patch: number) => p[0] === 0 && (p[1] < minor || (p[1] === minor && p[2] < patch));
  return { label: v, legacy: before(4, 12), taskConfigHasGroup: before(4, 5) };
}

/** A `# lm-eval-lens: harness=0.4.9` comment (only the first 64 KiB are searched). */
export function harnessDirective(text: string): string | undefined {
  const m = DIRECTIVE.exec(text.length > 65536 ? text.slice(0, 65536) : text);
  return m ? m[1] : undefined;
}
