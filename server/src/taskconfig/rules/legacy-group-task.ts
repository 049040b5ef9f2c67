// legacy-group-task: `group:` next to a single `task:` that the file defines, the pre-0.4.5 way to put
// a task in a collection (`tag:` replaced it). What lm-eval does with it depends on the release
// (harnessVersion.ts, checked against the tags):
//  - v0.4.0 to v0.4.3: a TaskConfig field, the documented way (info; `tag` does not exist yet);
//  - v0.4.4: deprecated, read as `tag` with a warning; next to a `tag:` a ValueError;
//  - v0.4.5 to v0.4.11 index the file as a task, then TaskConfig(**cfg) rejects `group` (TypeError);
//  - v0.4.12+ (_index.py _kind_of) read any file with `group:` as a group; _factory.py builds members
//    only from a `task:` list, so the group is empty and the task is never registered. A `group:`
//    list cannot even be a group name (unhashable): the index skips the file.
// One cause, one finding: the `group` value is claimed, so the schema's "must be a string" for a
// list is not reported again.
import { replaceFix } from '../findingsUtil';
import type { HarnessRules } from '../harnessVersion';
import { scalarString } from '../yamlTree';
import type { TaskConfigRule } from './rule';

const CODE = 'legacy-group-task';

function consequence(rules: HarnessRules, taskName: string, groupName: string | undefined, hasTag: boolean): string {
  const { legacy, groupInTaskConfig: how, label } = rules;
  const later =
    'from v0.4.5 TaskConfig rejects the `group` key and from v0.4.12 the file is read as a group and the task disappears';
  if (how === 'field')
    return `lm-eval ${label} reads this as task \`${taskName}\` in that collection (\`group\` is a TaskConfig field before v0.4.4); v0.4.4 deprecates it, ${later}. On upgrade, use \`tag:\`.`;
  if (how === 'deprecated' && hasTag)
    return `lm-eval ${label} raises ValueError: "Got both a \`group\` and \`tag\` entry within a TaskConfig".`;
  if (how === 'deprecated')
    return `lm-eval ${label} still reads this as task \`${taskName}\` (a deprecated use of \`group\`, read as \`tag\`), but ${later}.`;
  if (legacy)
    return `lm-eval ${label} indexes task \`${taskName}\` but cannot build it: TaskConfig has had no \`group\` field since v0.4.5 and raises TypeError ("got an unexpected keyword argument 'group'").`;
  if (groupName === undefined)
    return `lm-eval v0.4.12+ reads a file with \`group:\` as a group and a list cannot be its name, so the index skips this file and task \`${taskName}\` is never registered.`;
  return `lm-eval v0.4.12+ reads a file with \`group:\` as a group named \`${groupName}\`, builds members only from a \`task:\` list (so this group is empty), and never registers task \`${taskName}\`.`;
}

export const legacyGroupTask: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    const group = f.entries.get('group');
    if (!f.analyzed.legacyGroupTask || !group) return;
    const taskName = scalarString(f.entries.get('task')?.value) ?? '?';
    const groupName = scalarString(group.value);
    const hasTag = f.entries.has('tag');
    const how = f.harness.groupInTaskConfig;
    const written =
      group.value.kind === 'seq'
        ? '`group:` listing collection names next to a single `task:`'
        : '`group:` next to a single `task:`';
    // Before v0.4.4 it is the documented way and `tag` is itself a TypeError: a note, no fix.
    const severity = how === 'field' ? 'info' : how === 'deprecated' && !hasTag ? 'warning' : 'error';
    const advice = how === 'field' ? '' : ' Use `tag:` instead.';
    sink.at(
      group.file,
      group.keyRange,
      CODE,
      severity,
      `${written} is the old way to put a task in a collection. ${consequence(f.harness, taskName, groupName, hasTag)}${advice}`,
      how === 'field' || hasTag ? undefined : { fixes: [replaceFix('Rename `group` to `tag`', group.keyRange, 'tag')] },
    );
    sink.claim(group.value);
  },
};
