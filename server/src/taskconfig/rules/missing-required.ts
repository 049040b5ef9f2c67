// missing-required: something lm-eval needs is absent — a task's dataset, split, prompt, target (and
// choices for multiple_choice), a metric entry's `metric`, a filter pipeline's `name`/`filter`, a filter
// step's `function` and required arguments, a group's `task:` list, a member's `task`/`group`.
// Templates and non-`.yaml` base files are partial: only what is written there is checked.
import { entryOf } from '../yamlTree';
import type { TaskConfigFacts, TaskConfigRule } from './rule';
import {
  aggregateEntries,
  effectiveOutputType,
  filterPipelines,
  filterSteps,
  groupMembers,
  isSet,
  metricEntries,
} from './structure';
import type { FindingSink } from '../findingsUtil';

const CODE = 'missing-required';

function checkTaskKeys(f: TaskConfigFacts, sink: FindingSink): void {
  const missing = (what: string, why: string) =>
    sink.at(f.anchor.file, f.anchor.range, CODE, 'error', `This task has no ${what} (after includes); ${why}`);
  const has = (key: string) => isSet(f.entries.get(key));
  if (!has('dataset_path') && !has('custom_dataset'))
    missing('`dataset_path` (or `custom_dataset`)', 'lm-eval cannot load a dataset. Add `dataset_path: <hub id>`.');
  if (!has('test_split') && !has('validation_split'))
    missing(
      '`test_split` or `validation_split`',
      'lm-eval raises "must have valid or test docs". Add `test_split: test`.',
    );
  if (!has('doc_to_text'))
    missing('`doc_to_text`', 'lm-eval cannot build a prompt. Add `doc_to_text: "{{question}}"` or a column name.');
  if (!has('doc_to_target'))
    missing('`doc_to_target`', 'lm-eval cannot score it. Add `doc_to_target: <column or template>`.');
  if (effectiveOutputType(f) === 'multiple_choice' && !has('doc_to_choice'))
    missing(
      '`doc_to_choice`',
      'a `multiple_choice` task needs its answer options. Add `doc_to_choice: <column, template or list>`.',
    );
}

function checkTaskParts(f: TaskConfigFacts, sink: FindingSink): void {
  for (const entry of metricEntries(f))
    if (!entryOf(entry, 'metric'))
      sink.node(entry, CODE, 'error', 'A `metric_list` entry needs `metric:`; lm-eval raises ValueError.');
  for (const pipeline of filterPipelines(f)) {
    if (!entryOf(pipeline, 'name'))
      sink.node(
        pipeline,
        CODE,
        'error',
        'A `filter_list` entry needs `name:` (results are reported as `metric,name`); lm-eval raises KeyError.',
      );
    if (!entryOf(pipeline, 'filter'))
      sink.node(
        pipeline,
        CODE,
        'error',
        'A `filter_list` entry needs `filter:`, a list of `{function: …}` steps; lm-eval raises KeyError.',
      );
  }
  for (const { step, fn, name, spec } of filterSteps(f)) {
    if (!fn) {
      sink.node(
        step,
        CODE,
        'error',
        'A filter step needs `function:` (a registered filter such as `regex`, or `!function`).',
      );
      continue;
    }
    for (const req of spec?.required ?? [])
      if (!entryOf(step, req))
        sink.node(
          fn.value,
          CODE,
          'error',
          `The \`${name}\` filter needs \`${req}\`${req === 'k' ? ' (how many responses to keep, at most `repeats`)' : ' (a `!function` that takes the responses)'}; lm-eval fails without it.`,
        );
  }
}

function checkGroupParts(f: TaskConfigFacts, sink: FindingSink): void {
  const task = f.entries.get('task');
  if (!isSet(task))
    sink.at(
      f.anchor.file,
      f.anchor.range,
      CODE,
      'error',
      'A group needs a `task:` list of member tasks, groups or tags; this one evaluates nothing.',
    );
  for (const { member, valid } of groupMembers(f))
    if (!valid)
      sink.node(
        member,
        CODE,
        'error',
        'A group member written as a mapping needs `task:` (a task, or an inline task) or `group:` (a group, or an inline sub-group); lm-eval fails to build the group without it.',
      );
  for (const entry of aggregateEntries(f))
    if (!entryOf(entry, 'metric')) sink.node(entry, CODE, 'error', 'An `aggregate_metric_list` entry needs `metric:`.');
}

export const missingRequired: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    if (f.checkedAs === 'group') return checkGroupParts(f, sink);
    if (f.checkedAs === 'task' && !f.partial) checkTaskKeys(f, sink);
    checkTaskParts(f, sink);
  },
};
