// Where the nested parts of a merged config are, so each rule walks them the same way: metric entries,
// filter pipelines and their steps, few-shot settings, group members and aggregate metrics. Shapes
// that are not mappings are skipped here: the schema check reports those.
import type { MergedEntry } from '../includes';
import type { OutputType } from '../../memory/types';
import { FILTERS, type FilterSpec, OUTPUT_TYPES } from '../knowledge';
import { entryOf, scalarString, type YEntry, type YMap, type YNode } from '../yamlTree';
import type { TaskConfigFacts } from './rule';

/** Present and not `null` (`key:` with nothing after it is PyYAML's None). */
export const isSet = (e: MergedEntry | undefined): e is MergedEntry =>
  !!e && !(e.value.kind === 'scalar' && e.value.value === null);

/** Checked as a task config (the group rules apply otherwise). */
export const isTaskLike = (f: TaskConfigFacts): boolean => f.checkedAs !== 'group';

/** The output type lm-eval uses: as written, or `generate_until` when unset. Undefined when it is not
 * one of the four (invalid-value reports that; rules that depend on the type stay silent). */
export function effectiveOutputType(f: TaskConfigFacts): OutputType | undefined {
  const e = f.entries.get('output_type');
  if (!isSet(e)) return 'generate_until';
  const written = scalarString(e.value);
  return (OUTPUT_TYPES as readonly string[]).includes(written ?? '') ? (written as OutputType) : undefined;
}

function seqItems(e: MergedEntry | undefined): YNode[] {
  return e && e.value.kind === 'seq' ? e.value.items : [];
}

function maps(nodes: YNode[]): YMap[] {
  return nodes.filter((n): n is YMap => n.kind === 'map');
}

/** `metric_list` entries written as mappings. */
export function metricEntries(f: TaskConfigFacts): YMap[] {
  return isTaskLike(f) ? maps(seqItems(f.entries.get('metric_list'))) : [];
}

/** `filter_list` pipelines written as mappings. */
export function filterPipelines(f: TaskConfigFacts): YMap[] {
  return isTaskLike(f) ? maps(seqItems(f.entries.get('filter_list'))) : [];
}

export interface FilterStep {
  step: YMap;
  /** The `function:` entry; absent when the step has none. */
  fn?: YEntry;
  /** The registered filter's name (undefined for `!function` or a non-string). */
  name?: string;
  /** The registered filter, when `name` is one. */
  spec?: FilterSpec;
}

/** Steps of every pipeline whose `filter:` is a list. */
export function filterSteps(f: TaskConfigFacts): FilterStep[] {
  const out: FilterStep[] = [];
  for (const pipeline of filterPipelines(f)) {
    const filters = entryOf(pipeline, 'filter');
    if (filters?.value.kind !== 'seq') continue;
    for (const step of maps(filters.value.items)) {
      const fn = entryOf(step, 'function');
      const name = fn && fn.value.kind !== 'function' ? scalarString(fn.value) : undefined;
      out.push({ step, fn, name, spec: name === undefined ? undefined : FILTERS.get(name) });
    }
  }
  return out;
}

/** `repeats` as written, else 1 (lm-eval's default). */
export function repeats(f: TaskConfigFacts): number {
  const e = f.entries.get('repeats');
  return e && e.value.kind === 'scalar' && typeof e.value.value === 'number' ? e.value.value : 1;
}

/** `fewshot_config` when it is a mapping. */
export function fewshotConfig(f: TaskConfigFacts): YMap | undefined {
  const e = f.entries.get('fewshot_config');
  return isTaskLike(f) && e && e.value.kind === 'map' ? e.value : undefined;
}

export interface GroupMember {
  member: YMap;
  /** Names a task, a group or a promptsource expansion (`use_prompt`), as lm-eval requires. */
  valid: boolean;
}

/** Members of a group written as mappings, and those of inline sub-groups below valid members. */
export function groupMembers(f: TaskConfigFacts): GroupMember[] {
  if (f.checkedAs !== 'group') return [];
  const out: GroupMember[] = [];
  const visit = (items: YNode[]) => {
    for (const member of maps(items)) {
      const hasGroup = !!entryOf(member, 'group');
      // `use_prompt: promptsource:*` members are expanded into one task per prompt (benchmarks/t0_eval.yaml).
      const valid = !!entryOf(member, 'task') || hasGroup || !!entryOf(member, 'use_prompt');
      out.push({ member, valid });
      if (!valid || !hasGroup) continue;
      const sub = entryOf(member, 'task');
      if (sub && sub.value.kind === 'seq') visit(sub.value.items);
    }
  };
  visit(seqItems(f.entries.get('task')));
  return out;
}

/** `aggregate_metric_list` entries (one mapping or a list of them). */
export function aggregateEntries(f: TaskConfigFacts): YMap[] {
  const e = f.entries.get('aggregate_metric_list');
  if (f.checkedAs !== 'group' || !e) return [];
  return maps(e.value.kind === 'seq' ? e.value.items : [e.value]);
}
