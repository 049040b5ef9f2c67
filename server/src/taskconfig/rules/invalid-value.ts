// invalid-value: a value lm-eval rejects when it loads the config — an `output_type` outside the four
// it knows, `class` that is not `!function`, `take_first_k` keeping more responses than `repeats`, a
// `!function` without `module.attr`, a group's `task:` that is one name instead of a list, and the
// value types and shapes of schemas/task-config.schema.json.
// (An `include:` that is not a path, and a file that is not a mapping, are reported by the include
// resolver.)
import { type FindingSink, replaceFix } from '../findingsUtil';
import { functionTarget } from '../functionRefs';
import { OUTPUT_TYPES } from '../knowledge';
import { checkSchema } from '../schemaCheck';
import { entryOf, scalarString } from '../yamlTree';
import type { TaskConfigFacts, TaskConfigRule } from './rule';
import { filterSteps, isSet, isTaskLike, repeats } from './structure';
import { suggestName } from './suggest';

const CODE = 'invalid-value';

/** A group whose `task:` is one name: lm-eval builds group members only from a list. */
function checkOneNameGroupTask(f: TaskConfigFacts, sink: FindingSink): void {
  const task = f.entries.get('task');
  const name = scalarString(task?.value);
  if (!task || name === undefined) return;
  const { legacy, label } = f.harness;
  sink.node(
    task.value,
    CODE,
    'error',
    legacy
      ? `A group's \`task:\` must be a list of members: lm-eval ${label} reads a file whose \`task:\` is one name as task \`${name}\`, not as a group. Write \`task: [${name}]\`.`
      : `A group's \`task:\` must be a list of members: lm-eval v0.4.12+ builds members only from a list, so this group evaluates nothing. Write \`task: [${name}]\`.`,
    { fixes: [replaceFix(`Make it a list: [${name}]`, task.value.range, `[${name}]`)] },
  );
  sink.claim(task.value);
}

export const invalidValue: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    const cls = f.entries.get('class');
    if (f.checkedAs === 'python-task' && cls && cls.value.kind !== 'function')
      sink.node(
        cls.value,
        CODE,
        'error',
        '`class` must be `!function module.TaskClass`; lm-eval instantiates it as a Python task.',
      );

    // output_type: any other value raises ValueError("Got invalid output_type").
    const outputType = f.entries.get('output_type');
    const written = outputType ? scalarString(outputType.value) : undefined;
    if (
      isTaskLike(f) &&
      isSet(outputType) &&
      (written === undefined || !(OUTPUT_TYPES as readonly string[]).includes(written))
    ) {
      const s = suggestName(written, OUTPUT_TYPES, outputType.value.range);
      sink.node(
        outputType.value,
        CODE,
        'error',
        `\`output_type\` must be one of ${OUTPUT_TYPES.join(', ')}; lm-eval raises ValueError.${s.didYouMean}`,
        s.extra,
      );
    }

    const taskRepeats = repeats(f);
    for (const { step, name } of filterSteps(f)) {
      if (name !== 'take_first_k') continue;
      const k = entryOf(step, 'k');
      if (k && k.value.kind === 'scalar' && typeof k.value.value === 'number' && k.value.value > taskRepeats)
        sink.node(
          k.value,
          CODE,
          'error',
          `\`take_first_k\` keeps ${k.value.value} responses but the task has \`repeats: ${taskRepeats}\`; after generating, lm-eval fails with AssertionError ("Need at least ${k.value.value} responses per doc to take first ${k.value.value}, but got ${taskRepeats} only!"). Raise \`repeats\` or lower \`k\`.`,
        );
    }

    if (f.checkedAs !== 'python-task')
      sink.push(checkSchema(f.entries, f.checkedAs === 'group' ? 'group' : 'task', f.file));

    for (const fn of f.functions)
      if (!functionTarget(fn.spec, fn.file, f.harness))
        sink.node(
          fn,
          CODE,
          'error',
          `\`!function ${fn.spec}\` needs \`module.attr\` (e.g. \`!function utils.process_docs\`); ${
            f.harness.legacy
              ? `lm-eval ${f.harness.label} looks for a module file named \`.py\` and fails (FileNotFoundError).`
              : 'lm-eval raises ValueError ("Invalid function reference").'
          }`,
        );

    if (f.analyzed.groupWithOneNameTask) checkOneNameGroupTask(f, sink);
  },
};
