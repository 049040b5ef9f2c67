// unknown-metric: a `metric:` that is not in lm-eval's registry, in a task without `process_results`
// and without `hf_evaluate: true`. lm-eval then only warns and tries `evaluate.load(name)` from the
// Hugging Face Hub at run time, so a typo costs a job instead of failing at load. In a group: an
// `aggregate_metric_list` metric that none of its tasks reports (aggregateMetricReported.ts).
import { METRICS } from '../knowledge';
import { entryOf, scalarString } from '../yamlTree';
import { checkAggregateMetricsReported } from './aggregateMetricReported';
import { registeredName, searchedModules } from './registered';
import type { TaskConfigRule } from './rule';
import { isSet, metricEntries } from './structure';
import { suggestName } from './suggest';

const CODE = 'unknown-metric';

export const unknownMetric: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    if (f.checkedAs === 'group') return checkAggregateMetricsReported(CODE, f, sink);
    if (isSet(f.entries.get('process_results'))) return;
    for (const entry of metricEntries(f)) {
      const metric = entryOf(entry, 'metric');
      const name = metric ? scalarString(metric.value) : undefined;
      if (!metric || name === undefined || METRICS.has(name)) continue;
      const hfEvaluate = entryOf(entry, 'hf_evaluate');
      if (hfEvaluate && hfEvaluate.value.kind === 'scalar' && hfEvaluate.value.value === true) continue;
      const status = registeredName(f, 'metric', name, (n) => METRICS.has(n));
      if (status.status !== 'unregistered') continue;
      const s = suggestName(name, METRICS.keys(), metric.value.range);
      sink.node(
        metric.value,
        CODE,
        'warning',
        `\`${name}\` is not a registered metric${searchedModules(status, f.file)} and this task has no \`process_results\`; lm-eval warns and tries Hugging Face \`evaluate.load("${name}")\`.${s.didYouMean}${s.name ? '' : ' Add `hf_evaluate: true` if that is intended.'}`,
        s.extra,
      );
    }
  },
};
