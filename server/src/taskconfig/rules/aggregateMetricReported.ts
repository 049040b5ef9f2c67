// The group half of unknown-metric: an `aggregate_metric_list` metric that none of the group's tasks
// reports. lm-eval's Group.aggregate (v0.4.12+) averages only the `metric,filter` values it finds:
// with `filter_list` unset it looks for any filter of that metric and finds none, silently; with a
// `filter_list` it logs "Group 'g': no values found for metric 'm,f' across any tasks." v0.4.9
// (consolidate_group_results, filter_list default ["none"]) skips the metric without a word.
import type { FindingSink } from '../findingsUtil';
import { suggestName } from './suggest';
import { entryOf, scalarString, type YNode } from '../yamlTree';
import type { TaskConfigFacts } from './rule';
import { aggregateEntries } from './structure';

function filterNames(node: YNode | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar' && typeof node.value === 'string') return [node.value];
  if (node.kind !== 'seq') return undefined;
  const out = node.items.map(scalarString);
  return out.every((x) => x !== undefined) ? (out as string[]) : undefined;
}

export function checkAggregateMetricsReported(code: 'unknown-metric', f: TaskConfigFacts, sink: FindingSink): void {
  const entries = aggregateEntries(f);
  if (entries.length === 0) return;
  const results = f.groupResults();
  if (!results.complete || results.leaves === 0) return;
  const groupName = scalarString(f.entries.get('group')?.value) ?? '?';
  const reported = [...new Set([...results.keys].map((k) => k.slice(0, k.lastIndexOf(','))))].sort();
  for (const entry of entries) {
    const metric = entryOf(entry, 'metric');
    const name = scalarString(metric?.value);
    if (!metric || name === undefined) continue;
    const written = entryOf(entry, 'filter_list');
    // Unset: v0.4.12+ discover the filters (any will do); v0.4.9 aggregates "none" only.
    const filters = written ? filterNames(written.value) : f.harness.legacy ? ['none'] : undefined;
    if (written && !filters) continue;
    const missing = filters
      ? filters.filter((flt) => !results.keys.has(`${name},${flt}`))
      : reported.includes(name)
        ? []
        : [undefined];
    if (missing.length === 0) continue;
    const underFilters = [...results.keys]
      .filter((k) => k.slice(0, k.lastIndexOf(',')) === name)
      .map((k) => `\`${k.slice(k.lastIndexOf(',') + 1)}\``);
    const s = underFilters.length
      ? { didYouMean: '', extra: undefined }
      : suggestName(name, reported, metric.value.range);
    const what =
      missing[0] === undefined || underFilters.length === 0
        ? `No task of this group reports \`${name}\` (they report ${reported.map((r) => `\`${r}\``).join(', ')})`
        : `No task of this group reports \`${name}\` under filter ${missing.map((m) => `\`${m}\``).join(', ')} (it is reported under ${underFilters.join(', ')})`;
    const consequence =
      missing[0] === undefined || f.harness.legacy
        ? `so lm-eval${f.harness.legacy ? ` ${f.harness.label}` : ''} reports no aggregate for it, without a warning.`
        : `so lm-eval reports no aggregate for it and only logs "Group '${groupName}': no values found for metric '${name},${missing[0]}' across any tasks."`;
    sink.node(metric.value, code, 'warning', `${what}, ${consequence}${s.didYouMean}`, s.extra);
  }
}
