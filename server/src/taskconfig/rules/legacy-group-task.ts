// legacy-group-task: `group:` next to a single `task:`, the pre-0.4 way to put a task in a group.
// lm-eval before v0.4.12 still reads the file as a task; v0.4.12+ reads it as a group containing the
// task, and the task itself is never registered. `tag:` is the replacement.
import { replaceFix } from '../findingsUtil';
import { scalarString } from '../yamlTree';
import type { TaskConfigRule } from './rule';

const CODE = 'legacy-group-task';

export const legacyGroupTask: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    const group = f.entries.get('group');
    if (!f.analyzed.legacyGroupTask || !group) return;
    const { legacy, label } = f.harness;
    const groupName = scalarString(group.value) ?? '?';
    sink.at(
      group.file,
      group.keyRange,
      CODE,
      legacy ? 'warning' : 'error',
      legacy
        ? `\`group:\` next to a single \`task:\` is the pre-0.4 way to put a task in a group; lm-eval ${label} still reads this as a task, but v0.4.12+ reads the file as a group named \`${groupName}\` and the task disappears. Use \`tag:\` instead.`
        : `lm-eval v0.4.12+ reads a file with \`group:\` as a group: this defines a group \`${groupName}\` containing \`${scalarString(f.entries.get('task')?.value) ?? '?'}\`, and the task itself is never registered. Use \`tag:\` to put a task in a collection.`,
      { fixes: [replaceFix('Rename `group` to `tag`', group.keyRange, 'tag')] },
    );
  },
};
