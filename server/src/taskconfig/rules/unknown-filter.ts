// unknown-filter: a filter step's `function:` that is neither `!function` nor a registered filter —
// lm-eval's own, or one the config's Python registers (`@register_filter("x")` in the utils.py its
// `!function` tags import, or in a vendored lm-eval); lm-eval fails when it builds the task.
import { FILTERS } from '../knowledge';
import { registeredName, searchedModules } from './registered';
import type { TaskConfigRule } from './rule';
import { filterSteps } from './structure';
import { suggestName } from './suggest';

const CODE = 'unknown-filter';

export const unknownFilter: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    for (const { fn, name, spec } of filterSteps(f)) {
      if (!fn || name === undefined || spec) continue;
      const status = registeredName(f, 'filter', name, (n) => FILTERS.has(n));
      if (status.status !== 'unregistered') continue;
      const s = suggestName(name, FILTERS.keys(), fn.value.range);
      sink.node(
        fn.value,
        CODE,
        'error',
        `\`${name}\` is not a registered filter${searchedModules(status, f.file)}: lm-eval logs "filter \`${name}\` is not registered!" and fails (KeyError) when it builds the task.${s.didYouMean} Registered: ${[...FILTERS.keys()].join(', ')}.`,
        s.extra,
      );
    }
  },
};
