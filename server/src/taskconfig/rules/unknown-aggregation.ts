// unknown-aggregation: a metric entry's `aggregation:` that is not a registered aggregation (lm-eval's
// get_aggregation only warns and returns None; calling it fails after the run, in
// calculate_aggregate_metric), or a group's aggregate metric other than `mean` (the only group
// aggregation lm-eval has; anything else raises ValueError).
import { AGGREGATIONS } from '../knowledge';
import { replaceFix } from '../findingsUtil';
import { entryOf, scalarString } from '../yamlTree';
import { registeredName, searchedModules } from './registered';
import type { TaskConfigRule } from './rule';
import { aggregateEntries, metricEntries } from './structure';
import { suggestName } from './suggest';

const CODE = 'unknown-aggregation';

export const unknownAggregation: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    for (const entry of metricEntries(f)) {
      const agg = entryOf(entry, 'aggregation');
      const name = agg ? scalarString(agg.value) : undefined;
      if (!agg || name === undefined) continue;
      const status = registeredName(f, 'aggregation', name, (n) => AGGREGATIONS.includes(n));
      if (status.status !== 'unregistered') continue;
      const s = suggestName(name, AGGREGATIONS, agg.value.range);
      sink.node(
        agg.value,
        CODE,
        'error',
        `\`${name}\` is not a registered aggregation (lm-eval's: ${AGGREGATIONS.join(', ')})${searchedModules(status, f.file)}. lm-eval only logs "${name} not a registered aggregation metric!" when it builds the task, then fails with TypeError when it aggregates the scores, after the whole run.${s.didYouMean}`,
        s.extra,
      );
    }
    for (const entry of aggregateEntries(f)) {
      const agg = entryOf(entry, 'aggregation');
      const name = agg ? scalarString(agg.value) : undefined;
      if (!agg || name === undefined || name === 'mean') continue;
      sink.node(
        agg.value,
        CODE,
        'error',
        `Group aggregation \`${name}\` is not supported: only \`mean\` is built in (or a \`!function\`); lm-eval ${f.harness.legacy ? f.harness.label : 'v0.4.12+'} raises ValueError.`,
        { fixes: [replaceFix('Change to `mean`', agg.value.range, 'mean')] },
      );
    }
  },
};
