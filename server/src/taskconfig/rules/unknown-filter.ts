// unknown-filter: a filter step's `function:` that is neither a registered filter nor `!function`;
// lm-eval fails when it builds the filter pipeline.
import { FILTERS } from '../knowledge';
import type { TaskConfigRule } from './rule';
import { filterSteps } from './structure';
import { suggestName } from './suggest';

const CODE = 'unknown-filter';

export const unknownFilter: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    for (const { fn, name, spec } of filterSteps(f)) {
      if (!fn || name === undefined || spec) continue;
      const s = suggestName(name, FILTERS.keys(), fn.value.range);
      sink.node(
        fn.value,
        CODE,
        'error',
        `\`${name}\` is not a registered filter: lm-eval logs "filter \`${name}\` is not registered!" and fails (KeyError) when it builds the task.${s.didYouMean} Registered: ${[...FILTERS.keys()].join(', ')}.`,
        s.extra,
      );
    }
  },
};
