// Rules for a group config (GroupConfig, lm_eval/config/group.py). Keys other than the GroupConfig
// fields are task-level overrides pushed down to every member, not errors in themselves.
import type { HarnessRules } from './harnessVersion';
import type { FindingSink } from './findingsUtil';
import { replaceFix } from './findingsUtil';
import type { MergedEntry } from './includes';
import { AGG_METRIC_KEYS, GROUP_KEYS, KNOWN_TASK_LEVEL_KEYS } from './knowledge';
import { nearest } from '../knowledge/nearest';
import { entryOf, scalarString, type YNode } from './yamlTree';

const GROUP_OR_TASK_KEYS = new Set([...GROUP_KEYS.keys(), ...KNOWN_TASK_LEVEL_KEYS]);

export function checkGroup(
  entries: Map<string, MergedEntry>,
  rules: HarnessRules,
  sink: FindingSink,
  anchor: { file: string; range: { start: number; end: number } },
): void {
  for (const e of entries.values()) {
    if (GROUP_OR_TASK_KEYS.has(e.key)) continue;
    const s = nearest(e.key, GROUP_OR_TASK_KEYS);
    sink.at(
      e.file,
      e.keyRange,
      'unknown-key',
      'warning',
      `\`${e.key}\` is neither a group key nor a task key. lm-eval pushes extra group keys down to every member task, where TaskConfig rejects it with TypeError.${s ? ` Did you mean \`${s}\`?` : ''}`,
      s ? { fixes: [replaceFix(`Rename to \`${s}\``, e.keyRange, s)] } : undefined,
    );
  }
  const task = entries.get('task');
  if (!task || (task.value.kind === 'scalar' && task.value.value === null)) {
    sink.at(
      anchor.file,
      anchor.range,
      'missing-required',
      'error',
      'A group needs a `task:` list of member tasks, groups or tags; this one evaluates nothing.',
    );
  } else if (task.value.kind === 'seq') {
    for (const item of task.value.items) checkMember(item, sink);
  }
  const agg = entries.get('aggregate_metric_list');
  if (agg) {
    const items = agg.value.kind === 'seq' ? agg.value.items : agg.value.kind === 'map' ? [agg.value] : [];
    for (const item of items) checkAggregateEntry(item, rules, sink);
  }
}

function checkMember(item: YNode, sink: FindingSink): void {
  if (item.kind !== 'map') return;
  const hasTask = !!entryOf(item, 'task');
  const hasGroup = !!entryOf(item, 'group');
  // `use_prompt: promptsource:*` members are expanded into one task per prompt (benchmarks/t0_eval.yaml).
  if (!hasTask && !hasGroup && !entryOf(item, 'use_prompt')) {
    sink.node(
      item,
      'missing-required',
      'error',
      'A group member written as a mapping needs `task:` (a task, or an inline task) or `group:` (a group, or an inline sub-group); lm-eval raises ValueError.',
    );
    return;
  }
  for (const e of item.entries) {
    if (GROUP_OR_TASK_KEYS.has(e.key)) continue;
    const s = nearest(e.key, GROUP_OR_TASK_KEYS);
    sink.at(
      e.value.file,
      e.keyRange,
      'unknown-key',
      'error',
      `Unknown key \`${e.key}\` in a group member: it becomes a task setting and TaskConfig raises TypeError.${s ? ` Did you mean \`${s}\`?` : ''}`,
      s ? { fixes: [replaceFix(`Rename to \`${s}\``, e.keyRange, s)] } : undefined,
    );
  }
  if (hasGroup) {
    const sub = entryOf(item, 'task');
    if (sub && sub.value.kind === 'seq') for (const i of sub.value.items) checkMember(i, sink);
  }
}

function checkAggregateEntry(item: YNode, rules: HarnessRules, sink: FindingSink): void {
  if (item.kind !== 'map') return;
  if (!entryOf(item, 'metric'))
    sink.node(item, 'missing-required', 'error', 'An `aggregate_metric_list` entry needs `metric:`.');
  for (const e of item.entries) {
    if (AGG_METRIC_KEYS.has(e.key)) continue;
    const s = nearest(e.key, AGG_METRIC_KEYS.keys());
    sink.at(
      e.value.file,
      e.keyRange,
      'unknown-key',
      'error',
      `Unknown \`aggregate_metric_list\` key \`${e.key}\` (allowed: ${[...AGG_METRIC_KEYS.keys()].join(', ')}); lm-eval raises TypeError.${s ? ` Did you mean \`${s}\`?` : ''}`,
      s ? { fixes: [replaceFix(`Rename to \`${s}\``, e.keyRange, s)] } : undefined,
    );
  }
  const agg = entryOf(item, 'aggregation');
  const name = agg ? scalarString(agg.value) : undefined;
  if (agg && name !== undefined && name !== 'mean')
    sink.node(
      agg.value,
      'unknown-aggregation',
      'error',
      `Group aggregation \`${name}\` is not supported: only \`mean\` is built in (or a \`!function\`); lm-eval ${rules.legacy ? rules.label : 'v0.4.12+'} raises ValueError.`,
      { fixes: [replaceFix('Change to `mean`', agg.value.range, 'mean')] },
    );
}
