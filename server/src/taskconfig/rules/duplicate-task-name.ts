// duplicate-task-name: the name this file registers is also defined elsewhere in the workspace (task,
// group and tag names share one namespace; lm-eval keeps the first file in path order and skips the
// other) or is a built-in lm-eval name (loading the folder with --include_path overrides it). The
// workspace check (../workspace.ts) reports duplicates within the set of files it is given.
import * as path from 'node:path';
import type { TaskConfigRule } from './rule';

const CODE = 'duplicate-task-name';

export const duplicateTaskName: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    const checked = f.analyzed.resolved.parsed.file;
    for (const n of f.analyzed.names) {
      const other = f.ctx.workspaceNames?.get(n.name);
      if (other !== undefined && path.resolve(other) !== path.resolve(checked)) {
        const first = other.split(path.sep).join('/') < checked.split(path.sep).join('/');
        sink.at(
          n.file,
          n.range,
          CODE,
          'warning',
          `\`${n.name}\` is also defined in ${other}. Names share one namespace; lm-eval keeps the first file in path order (${first ? 'that one' : 'this one'}) and skips the other. Rename one of them.`,
          { related: [{ file: other, range: { start: 0, end: 0 }, message: `\`${n.name}\` defined here` }] },
        );
      } else if (f.ctx.builtinNames?.has(n.name)) {
        sink.at(
          n.file,
          n.range,
          CODE,
          'warning',
          `\`${n.name}\` is already a built-in lm-eval ${n.kind} name; loading this folder with --include_path overrides the built-in (lm-eval logs a warning). Pick a new name unless you mean to replace it.`,
        );
      }
    }
  },
};
