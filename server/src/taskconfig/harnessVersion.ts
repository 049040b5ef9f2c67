// Which lm-eval release's behaviour a task config is checked against. Each version-dependent
// behaviour below is read from lm-eval's source at its release tags (docs/task-config-rules.md,
// "Version ranges", lists them with the files):
// - v0.4.12 rewrote the loader (#3549): includes, classification and `!function` lookup; before
//   it (v0.4.0–v0.4.11) the first include wins, `task:` as a list makes a group, and `!function`
//   modules are only `<module>.py` next to the YAML;
// - TaskConfig's fields change by release (a key it lacks is a TypeError when the task is built);
// - `fewshot_config` is a FewshotConfig dataclass (unknown keys: TypeError) from v0.4.10;
// - `group:` in a task config: v0.4.0–v0.4.3 a field, v0.4.4 deprecated (read as `tag`), v0.4.5–v0.4.11
//   a TypeError (the field is gone), v0.4.12+ the file is read as a group.

import type { ForkConfig } from './forkConfig';
import type { TaskConfigContext } from './types';

export type GroupInTaskConfig = 'field' | 'deprecated' | 'type-error' | 'read-as-group';

export interface HarnessRules {
  /** As written ('0.4.9'), or 'latest'. */
  label: string;
  /** The release as numbers (`0.4.9.1` → [0, 4, 9, 1]); `latest` is the newest modelled. */
  version: readonly number[];
  /** Before v0.4.12: first include wins, no cycle/diamond detection, `task:` list = group. */
  legacy: boolean;
  /** TaskConfig's fields in this release: any other key raises TypeError when the task is built. */
  taskFields: ReadonlySet<string>;
  /** `fewshot_config` is a FewshotConfig dataclass (unknown keys raise TypeError), from v0.4.10. */
  strictFewshotConfig: boolean;
  /** What `group:` next to a string `task:` does in this release. */
  groupInTaskConfig: GroupInTaskConfig;
  /** Before v0.4.5 TaskConfig still had a `group` field (a task's collection, deprecated for `tag`
   * in v0.4.4); from v0.4.5 (#2388) to v0.4.11 a task config with `group:` fails in TaskConfig(**cfg). */
  taskConfigHasGroup: boolean;
  /** `include:` in a group's inline task entry is resolved: v0.4.2-v0.4.3 only. From v0.4.4 (#1741)
   * lm-eval loads it with yaml_path=None and fails; v0.4.12+ hand the key to TaskConfig (TypeError). */
  inlineIncludes: boolean;
  /** The config classes of the lm-eval source in force, read from disk (a vendored fork, an installed
   * package): its TaskConfig's fields are the task keys, whatever the release table says. */
  fork?: ForkConfig;
}

/** The newest lm-eval whose behaviour is modelled (main, 0.4.13.dev0). */
const LATEST: readonly number[] = [0, 4, 13];

// TaskConfig's fields at v0.4.0 (lm_eval/api/task.py), unchanged through v0.4.3.
const TASK_FIELDS_0_4_0 = [
  'task',
  'task_alias',
  'group',
  'group_alias',
  'dataset_path',
  'dataset_name',
  'dataset_kwargs',
  'training_split',
  'validation_split',
  'test_split',
  'fewshot_split',
  'process_docs',
  'doc_to_text',
  'doc_to_target',
  'doc_to_choice',
  'process_results',
  'use_prompt',
  'description',
  'target_delimiter',
  'fewshot_delimiter',
  'fewshot_config',
  'num_fewshot',
  'metric_list',
  'output_type',
  'generation_kwargs',
  'repeats',
  'filter_list',
  'should_decontaminate',
  'doc_to_decontamination_query',
  'metadata',
];

/** How TaskConfig's fields changed, release by release (diffs of the dataclass between tags). */
export const TASK_FIELD_CHANGES: readonly { since: string; added: string[]; removed: string[] }[] = [
  { since: '0.4.4', added: ['tag'], removed: ['group_alias'] },
  { since: '0.4.5', added: ['doc_to_image'], removed: ['group'] },
  { since: '0.4.8', added: ['gen_prefix', 'unsafe_code'], removed: [] },
  { since: '0.4.9', added: ['custom_dataset', 'doc_to_audio'], removed: [] },
];

const DIRECTIVE = /#\s*lm-eval-lens:\s*harness\s*=\s*([0-9][0-9A-Za-z.+-]*|latest)/;

function parseVersion(v: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  if (!m) return undefined;
  const out = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (m[4] !== undefined) out.push(Number(m[4]));
  return out;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** True when the rules' release is at least `version` (`'0.4.9.1'`). */
export function harnessAtLeast(rules: Pick<HarnessRules, 'version'>, version: string): boolean {
  return compare(rules.version, parseVersion(version) ?? [0]) >= 0;
}

function taskFieldsOf(version: readonly number[]): Set<string> {
  const fields = new Set(TASK_FIELDS_0_4_0);
  for (const c of TASK_FIELD_CHANGES) {
    if (compare(version, parseVersion(c.since)!) < 0) break;
    for (const f of c.removed) fields.delete(f);
    for (const f of c.added) fields.add(f);
  }
  return fields;
}

/** The release a TaskConfig field first appeared in (`gen_prefix` → '0.4.8'); undefined for v0.4.0's. */
export function taskFieldAddedIn(field: string): string | undefined {
  return TASK_FIELD_CHANGES.find((c) => c.added.includes(field))?.since;
}

/** The release a TaskConfig field was removed in (`group` → '0.4.5'). */
export function taskFieldRemovedIn(field: string): string | undefined {
  return TASK_FIELD_CHANGES.find((c) => c.removed.includes(field))?.since;
}

function groupInTaskConfigOf(version: readonly number[]): GroupInTaskConfig {
  if (compare(version, [0, 4, 4]) < 0) return 'field';
  if (compare(version, [0, 4, 5]) < 0) return 'deprecated';
  if (compare(version, [0, 4, 12]) < 0) return 'type-error';
  return 'read-as-group';
}

const cache = new Map<string, HarnessRules>();

export function harnessRules(version: string | undefined): HarnessRules {
  const key = version ?? '';
  let rules = cache.get(key);
  if (!rules) {
    rules = computeRules(version);
    if (cache.size < 256) cache.set(key, rules);
  }
  return rules;
}

function computeRules(version: string | undefined): HarnessRules {
  const v = version?.trim() ? version.trim() : undefined;
  const parsed = v && v !== 'latest' ? parseVersion(v) : undefined;
  const numbers = parsed ?? LATEST;
  return {
    label: parsed ? v! : 'latest',
    version: numbers,
    legacy: compare(numbers, [0, 4, 12]) < 0,
    taskFields: taskFieldsOf(numbers),
    strictFewshotConfig: compare(numbers, [0, 4, 10]) >= 0,
    groupInTaskConfig: groupInTaskConfigOf(numbers),
    taskConfigHasGroup: compare(numbers, [0, 4, 5]) < 0,
    inlineIncludes: compare(numbers, [0, 4, 2]) >= 0 && compare(numbers, [0, 4, 4]) < 0,
  };
}

/** The rules of a release, with the keys of the lm-eval source on disk that carries that release number. */
export function withForkConfig(rules: HarnessRules, fork: ForkConfig | undefined): HarnessRules {
  return fork ? { ...rules, fork } : rules;
}

/** A `# lm-eval-lens: harness=0.4.9` comment (only the first 64 KiB are searched). */
export function harnessDirective(text: string): string | undefined {
  const m = DIRECTIVE.exec(text.length > 65536 ? text.slice(0, 65536) : text);
  return m ? m[1] : undefined;
}

/** The lm-eval version in force for `file`, and where its source is on disk. */
export function harnessInForce(
  file: string,
  ctx: TaskConfigContext,
): Pick<TaskConfigContext, 'harnessVersion' | 'harnessSource' | 'fs'> {
  const version = ctx.harnessVersionFor ? ctx.harnessVersionFor(file) : ctx.harnessVersion;
  const source = ctx.harnessSourceFor ? ctx.harnessSourceFor(file) : ctx.harnessSource;
  return { fs: ctx.fs, harnessVersion: version ?? ctx.harnessVersion, ...(source ? { harnessSource: source } : {}) };
}
