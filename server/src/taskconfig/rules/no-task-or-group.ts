// no-task-or-group: a `.yaml` with neither `task:` nor `group:` after includes. lm-eval's indexer skips
// it without a word, so it defines nothing; a template used only through `include:` should lose the
// `.yaml` extension (lm-eval's own `_default_template_yaml`). The workspace check drops this finding
// for files another config includes.
import type { TaskConfigRule } from './rule';

const CODE = 'no-task-or-group';

export const noTaskOrGroup: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    if (f.checkedAs !== 'neither' || !/\.yaml$/i.test(f.file)) return;
    sink.at(
      f.file,
      f.anchor.range,
      CODE,
      'warning',
      'lm-eval skips a `.yaml` with neither `task:` nor `group:` (after includes) without a word, so this file defines nothing. Add `task: <name>`; if it is a template used only through `include:`, rename it without the `.yaml` extension (e.g. `_default_template_yaml`).',
    );
  },
};
