// Which `metric,filter` results a group's tasks report, followed through member names, inline
// tasks and sub-groups, so that an `aggregate_metric_list` metric no task reports can be named (the
// group then reports nothing for it: lm-eval's Group.aggregate only averages the values it finds).
// A task reports its `metric_list` names (the defaults of its output type without one) under each
// of its `filter_list` names ("none" without one). Anything we cannot follow (a built-in or unknown
// name, a tag, `process_results`, a Python task, a `!function` metric) makes the answer incomplete,
// and then nothing is claimed.
import * as path from 'node:path';
import { harnessInForce } from './harnessVersion';
import { GROUP_FIELDS } from './inlineTasks';
import type { MergedEntry } from './includes';
import { OUTPUT_TYPES } from './knowledge';
import type { TaskConfigContext } from './types';
import type { AnalyzedConfig } from './validate';
import { entryOf, scalarString, type YMap, type YNode } from './yamlTree';

/** lm-eval's DEFAULT_METRIC_REGISTRY (lm_eval/api/registry.py), the metrics of a task without metric_list. */
const DEFAULT_METRICS: Record<string, readonly string[]> = {
  loglikelihood: ['perplexity', 'acc'],
  loglikelihood_rolling: ['word_perplexity', 'byte_perplexity', 'bits_per_byte'],
  multiple_choice: ['acc', 'acc_norm'],
  generate_until: ['exact_match'],
};

export interface GroupResults {
  /** `metric,filter` keys reported by the leaf tasks that could be followed. */
  keys: Set<string>;
  /** Every leaf task was followed and its results are known. */
  complete: boolean;
  leaves: number;
}

const MAX_DEPTH = 8;
const MAX_LEAVES = 5000;

type Entries = ReadonlyMap<string, MergedEntry>;

/** The results a task with these (merged) keys reports, or undefined when they cannot be known. */
export function taskResults(entries: Entries): string[] | undefined {
  if (entries.has('class') || isSet(entries.get('process_results'))) return undefined;
  const outputType = entries.get('output_type');
  const type = isSet(outputType) ? scalarString(outputType.value) : 'generate_until';
  if (type === undefined || !(OUTPUT_TYPES as readonly string[]).includes(type)) return undefined;
  const metricList = entries.get('metric_list');
  let metrics: string[];
  if (!isSet(metricList)) metrics = [...DEFAULT_METRICS[type]];
  else {
    if (metricList.value.kind !== 'seq') return undefined;
    metrics = [];
    for (const item of metricList.value.items) {
      const name = item.kind === 'map' ? scalarString(entryOf(item, 'metric')?.value) : undefined;
      // A `!function` metric reports under its __name__, which text does not tell for sure.
      if (name === undefined) return undefined;
      metrics.push(name);
    }
  }
  const filterList = entries.get('filter_list');
  let filters = ['none'];
  if (isSet(filterList)) {
    if (filterList.value.kind !== 'seq') return undefined;
    filters = [];
    for (const item of filterList.value.items) {
      const name = item.kind === 'map' ? scalarString(entryOf(item, 'name')?.value) : undefined;
      if (name === undefined) return undefined;
      filters.push(name);
    }
  }
  return metrics.flatMap((m) => filters.map((f) => `${m},${f}`));
}

function isSet(e: MergedEntry | undefined): e is MergedEntry {
  return !!e && !(e.value.kind === 'scalar' && e.value.value === null);
}

function asEntries(map: YMap): Map<string, MergedEntry> {
  return new Map(map.entries.map((e) => [e.key, { key: e.key, keyRange: e.keyRange, value: e.value, file: map.file }]));
}

/** Member files analysed once per name lookup: the CLI's workspace check hands every group the same
 * `memberNames` for one run. Without it (the editor's live index) nothing is kept between analyses. */
const memberAnalyses = new WeakMap<object, Map<string, AnalyzedConfig | undefined>>();

function analyzedMember(
  file: string,
  ctx: TaskConfigContext,
  analyze: (file: string, text: string, ctx: TaskConfigContext) => AnalyzedConfig,
): AnalyzedConfig | undefined {
  const run = (): AnalyzedConfig | undefined => {
    const text = ctx.fs.readFile(file);
    return text === undefined ? undefined : analyze(file, text, { ...ctx, workspaceNames: undefined });
  };
  if (!ctx.memberNames) return run();
  let memo = memberAnalyses.get(ctx.memberNames);
  if (!memo) {
    memo = new Map();
    memberAnalyses.set(ctx.memberNames, memo);
  }
  const harness = harnessInForce(file, ctx);
  const key = `${harness.harnessVersion ?? ''}|${harness.harnessSource ?? ''}|${file}`;
  if (!memo.has(key)) memo.set(key, run());
  return memo.get(key);
}

/** Keys that change what a task reports; other overrides leave a member's results as its file has them. */
const RESULT_KEYS = new Set(['class', 'process_results', 'output_type', 'metric_list', 'filter_list']);
const resultsOf = new WeakMap<AnalyzedConfig, readonly string[] | undefined>();
function memoResults(a: AnalyzedConfig, entries: Entries): readonly string[] | undefined {
  if (!resultsOf.has(a)) resultsOf.set(a, taskResults(entries));
  return resultsOf.get(a);
}

/** The results of a group's leaf tasks. `inline` gives the merged keys of its inline task members. */
export function groupResults(
  group: Entries,
  inline: ReadonlyMap<YMap, Entries>,
  file: string,
  ctx: TaskConfigContext,
  analyze: (file: string, text: string, ctx: TaskConfigContext) => AnalyzedConfig,
): GroupResults {
  const out: GroupResults = { keys: new Set(), complete: true, leaves: 0 };
  const names = ctx.memberNames ?? ctx.workspaceNames;
  const seen = new Set<string>([path.resolve(file)]);

  const pushed = (entries: Iterable<[string, MergedEntry]>, base: Entries) => {
    const next = new Map(base);
    for (const [k, e] of entries) if (!GROUP_FIELDS.has(k)) next.set(k, e);
    return next;
  };
  const leafResults = (keys: readonly string[] | undefined) => {
    out.leaves++;
    if (!keys) out.complete = false;
    else for (const k of keys) out.keys.add(k);
  };
  const leaf = (entries: Entries) => leafResults(taskResults(entries));
  /** A registered task or group, by name: its file's config under `overrides`. */
  const named = (name: string, overrides: Entries, depth: number) => {
    const target = names?.get(name);
    const a =
      target === undefined || depth > MAX_DEPTH || seen.has(path.resolve(target))
        ? undefined
        : analyzedMember(target, ctx, analyze);
    const entries = a?.resolved.entries;
    if (!a || !target) {
      out.complete = false;
      return;
    }
    if (!entries || a.kind === 'python-task' || a.kind === 'unknown') {
      out.complete = false;
      return;
    }
    if (a.kind === 'group' && !a.legacyGroupTask) {
      seen.add(path.resolve(target));
      const own = new Map(a.inlineTasks.map((t) => [t.member, t.entries as Entries]));
      members(entries.get('task')?.value, pushed(entries, overrides), own, depth + 1);
      seen.delete(path.resolve(target));
      return;
    }
    if (![...overrides.keys()].some((k) => RESULT_KEYS.has(k))) return leafResults(memoResults(a, entries));
    const merged = new Map(entries);
    for (const [k, e] of overrides) merged.set(k, e);
    leaf(merged);
  };
  const members = (list: YNode | undefined, overrides: Entries, own: ReadonlyMap<YMap, Entries>, depth: number) => {
    if (list?.kind !== 'seq') {
      if (list) out.complete = false;
      return;
    }
    for (const item of list.items) {
      if (out.leaves >= MAX_LEAVES) {
        out.complete = false;
        return;
      }
      if (item.kind === 'scalar' && typeof item.value === 'string') named(item.value, overrides, depth);
      else if (item.kind !== 'map') out.complete = false;
      else if (entryOf(item, 'group')) {
        const name = scalarString(entryOf(item, 'group')?.value);
        const mine = pushed(asEntries(item), overrides);
        if (name !== undefined && names?.get(name) !== undefined) named(name, mine, depth);
        else members(entryOf(item, 'task')?.value, mine, own, depth + 1);
      } else {
        const name = scalarString(entryOf(item, 'task')?.value);
        if (name === undefined) out.complete = false;
        else if (names?.get(name) !== undefined) named(name, pushed(asEntries(item), overrides), depth);
        else leaf(own.get(item) ?? new Map([...overrides, ...asEntries(item)]));
      }
    }
  };
  members(group.get('task')?.value, pushed(group, new Map()), inline, 0);
  return out;
}
