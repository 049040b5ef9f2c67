// Tasks written inside a group's `task:` list (`- task: name` with task keys, maybe `include:` of a
// template). Each is checked as a (partial) task: the template it includes, then the keys the group
// pushes down to its members, then the member's own keys — lm-eval's order (_factory.py
// _build_group_members: `{**overrides, **item}`). lm-eval itself resolves such an `include:` only in
// v0.4.2-v0.4.3; from v0.4.4 building the group fails on it (unknown-key reports that), but the
// template is what the writer means the task to be, so it is checked, and it counts as included.
import type { HarnessRules } from './harnessVersion';
import { type MergedEntry, type ParseCache, type ResolvedConfig, resolveIncludes } from './includes';
import type { TaskFileSystem } from './types';
import { entryOf, type YMap, type YNode } from './yamlTree';

/** GroupConfig's fields (lm_eval/config/group.py); any other key of a group is pushed to its members. */
export const GROUP_FIELDS: ReadonlySet<string> = new Set([
  'group',
  'group_alias',
  'task',
  'aggregate_metric_list',
  'metadata',
  'include',
]);

export interface InlineTask {
  /** The member mapping, in the group file. */
  member: YMap;
  /** Template keys, then the group's pushed-down keys, then the member's own. */
  entries: Map<string, MergedEntry>;
  /** The entries pushed down from the enclosing group(s): checked (and reported) there. */
  inherited: ReadonlySet<MergedEntry>;
}

/** A member written as a task: `task: <name>` and no `group:` (lm-eval's test in _build_group_members). */
export function isInlineTask(member: YMap): boolean {
  const task = entryOf(member, 'task');
  return !entryOf(member, 'group') && task?.value.kind === 'scalar' && typeof task.value.value === 'string';
}

const MAX_INLINE_TASKS = 2000;

/** Every member written as `- task: <name>` (with settings) in the group and its inline sub-groups. */
export function resolveInlineTasks(
  group: ReadonlyMap<string, MergedEntry>,
  resolved: ResolvedConfig,
  fs: TaskFileSystem,
  rules: HarnessRules,
  cache: ParseCache,
): InlineTask[] {
  const out: InlineTask[] = [];
  const pushed = (map: Iterable<[string, MergedEntry]>, base: Map<string, MergedEntry>) => {
    const next = new Map(base);
    for (const [k, e] of map) if (!GROUP_FIELDS.has(k)) next.set(k, e);
    return next;
  };
  const visit = (items: YNode[], overrides: Map<string, MergedEntry>) => {
    for (const member of items) {
      if (member.kind !== 'map' || out.length >= MAX_INLINE_TASKS) continue;
      const task = entryOf(member, 'task');
      if (entryOf(member, 'group')) {
        // An inline sub-group: its own extra keys are pushed down too.
        if (task?.value.kind === 'seq') visit(task.value.items, pushed(asEntries(member), overrides));
        continue;
      }
      if (!isInlineTask(member)) continue;
      const entries = inlineEntries(member, overrides, resolved, fs, rules, cache);
      out.push({
        member,
        entries,
        inherited: new Set([...entries.values()].filter((e) => overrides.get(e.key) === e)),
      });
    }
  };
  const task = group.get('task');
  if (task?.value.kind === 'seq') visit(task.value.items, pushed(group, new Map()));
  return out;
}

function asEntries(map: YMap): [string, MergedEntry][] {
  return map.entries.map((e) => [e.key, { key: e.key, keyRange: e.keyRange, value: e.value, file: map.file }]);
}

function inlineEntries(
  member: YMap,
  overrides: Map<string, MergedEntry>,
  resolved: ResolvedConfig,
  fs: TaskFileSystem,
  rules: HarnessRules,
  cache: ParseCache,
): Map<string, MergedEntry> {
  const own = asEntries(member).filter(([k]) => k !== 'include');
  const merged = new Map<string, MergedEntry>();
  if (entryOf(member, 'include')) {
    const pseudo = { file: member.file, text: '', root: member, findings: [], fatal: false };
    const r = resolveIncludes(pseudo, fs, rules, cache);
    const written = new Set(member.entries.map((e) => e.key));
    for (const [k, e] of r.entries ?? []) if (!written.has(k)) merged.set(k, e);
    // Where lm-eval ignores the include (v0.4.4+), a wrong path is not a second problem beside the
    // unknown-key warning on it; what is wrong inside the template (its own file) still is.
    resolved.findings.push(...r.findings.filter((x) => rules.inlineIncludes || (x.file && x.file !== member.file)));
    for (const [file, via] of r.reachedVia) if (!resolved.reachedVia.has(file)) resolved.reachedVia.set(file, via);
  }
  for (const [k, e] of overrides) merged.set(k, e);
  for (const [k, e] of own) merged.set(k, e);
  return merged;
}
