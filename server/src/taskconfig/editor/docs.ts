// Documentation lookups shared by completion and hover: which keys and values are valid at a path.
import {
  AGG_METRIC_KEYS,
  AGGREGATIONS,
  FEWSHOT_KEYS,
  FILTERS,
  GENERATION_KWARGS,
  GROUP_KEYS,
  LOADER_KEYS,
  METRIC_ENTRY_KEYS,
  METRICS,
  OUTPUT_TYPES,
  SAMPLERS,
  TASK_KEYS,
  type KeyDoc,
} from '../knowledge';

const TOP_LEVEL = new Map<string, KeyDoc>([...TASK_KEYS, ...LOADER_KEYS]);
const GROUP_TOP = new Map<string, KeyDoc>([...GROUP_KEYS, ['include', LOADER_KEYS.get('include')!]]);
const FILTER_STEP = new Map<string, KeyDoc>([
  [
    'function',
    {
      name: 'function',
      type: 'str | callable',
      doc: 'A registered filter or `!function`.',
      values: [...FILTERS.keys()],
    },
  ],
  ...[...new Set([...FILTERS.values()].flatMap((f) => f.kwargs))].map((k): [string, KeyDoc] => [
    k,
    { name: k, type: 'any', doc: `Filter argument \`${k}\`.` },
  ]),
]);
const FILTER_PIPELINE = new Map<string, KeyDoc>([
  ['name', { name: 'name', type: 'str', doc: 'Pipeline name; results are reported as `metric,name`.' }],
  ['filter', { name: 'filter', type: 'list', doc: 'Steps: `- function: regex` with its arguments.' }],
]);

/** The keys valid in the mapping at `path` ('-' for list items). */
export function keysAt(path: readonly string[], isGroup: boolean): ReadonlyMap<string, KeyDoc> | undefined {
  const p = path.join('.');
  if (p === '') return isGroup ? GROUP_TOP : TOP_LEVEL;
  if (p === 'metric_list.-') return METRIC_ENTRY_KEYS;
  if (p === 'fewshot_config') return FEWSHOT_KEYS;
  if (p === 'generation_kwargs') return GENERATION_KWARGS;
  if (p === 'filter_list.-') return FILTER_PIPELINE;
  if (p === 'filter_list.-.filter.-') return FILTER_STEP;
  if (p === 'aggregate_metric_list.-' || p === 'aggregate_metric_list') return AGG_METRIC_KEYS;
  if (isGroup && /^task\.-(\.task\.-)*$/.test(p)) return new Map([...TASK_KEYS, ...GROUP_KEYS]);
  return undefined;
}

export interface ValueDoc {
  value: string;
  doc: string;
}

/** Valid values for `key` in the mapping at `parentPath`, with their docs. */
export function valuesFor(parentPath: readonly string[], key: string, isGroup: boolean): ValueDoc[] | undefined {
  const p = parentPath.join('.');
  if (p === '' && key === 'output_type')
    return OUTPUT_TYPES.map((v) => ({
      value: v,
      doc: {
        loglikelihood: 'Log-probability of a target continuation (`acc`, `perplexity`).',
        loglikelihood_rolling: 'Rolling log-likelihood over whole documents (perplexity tasks).',
        multiple_choice: 'Scores every choice from `doc_to_choice` by log-likelihood (`acc`, `acc_norm`).',
        generate_until: 'Free generation until a stop string (`generation_kwargs`); the default.',
      }[v],
    }));
  if (p === 'fewshot_config' && key === 'sampler')
    return SAMPLERS.map((v) => ({
      value: v,
      doc: v === 'first_n' ? 'The first n examples, in order (canonical few-shot).' : 'A seeded random sample.',
    }));
  if (p === 'metric_list.-' && key === 'metric')
    return [...METRICS].map(([name, m]) => ({
      value: name,
      doc: `Aggregation \`${m.aggregation}\`, higher_is_better ${m.higherIsBetter ? 'True' : 'False'}; for ${m.outputTypes.join(', ')}.`,
    }));
  if (p === 'metric_list.-' && key === 'aggregation')
    return AGGREGATIONS.map((v) => ({ value: v, doc: `Registered aggregation \`${v}\`.` }));
  if ((p === 'aggregate_metric_list.-' || p === 'aggregate_metric_list') && key === 'aggregation')
    return [{ value: 'mean', doc: 'The only built-in group aggregation.' }];
  if (p === 'filter_list.-.filter.-' && key === 'function')
    return [...FILTERS].map(([name, f]) => ({ value: name, doc: f.doc }));
  const doc = keysAt(parentPath, isGroup)?.get(key);
  if (doc && doc.type === 'bool')
    return [
      { value: 'true', doc: 'True' },
      { value: 'false', doc: 'False' },
    ];
  return undefined;
}

export function valueDoc(
  parentPath: readonly string[],
  key: string,
  value: string,
  isGroup: boolean,
): string | undefined {
  return valuesFor(parentPath, key, isGroup)?.find((v) => v.value === value)?.doc;
}
