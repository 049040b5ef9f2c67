// Rules for a task config (TaskConfig), applied to the merged result of all includes.
import type { HarnessRules } from './harnessVersion';
import type { FindingSink } from './findingsUtil';
import { replaceFix } from './findingsUtil';
import type { MergedEntry } from './includes';
import {
  AGGREGATIONS,
  FEWSHOT_KEYS,
  FILTERS,
  KNOWN_TASK_LEVEL_KEYS,
  METRIC_ENTRY_KEYS,
  METRIC_KWARGS,
  METRICS,
  OUTPUT_TYPES,
  SAMPLERS,
} from './knowledge';
import { nearest } from '../knowledge/nearest';
import { entryOf, scalarString, type YMap, type YNode, type YScalar } from './yamlTree';

export interface TaskCheckOptions {
  /** A template or a base file without `task`: check what is written, not what is missing. */
  partial: boolean;
  /** Python-class task: the class consumes the keys. */
  pythonTask: boolean;
  /** Where to report missing keys (the `task` key, or the top of the file). */
  anchor: { file: string; range: { start: number; end: number } };
}

const isSet = (e: MergedEntry | undefined): e is MergedEntry =>
  !!e && !(e.value.kind === 'scalar' && e.value.value === null);

function didYouMean(s: string | undefined): string {
  return s ? ` Did you mean \`${s}\`?` : '';
}

export function checkTask(
  entries: Map<string, MergedEntry>,
  rules: HarnessRules,
  sink: FindingSink,
  opts: TaskCheckOptions,
): void {
  const outputTypeEntry = entries.get('output_type');
  const outputTypeRaw = outputTypeEntry ? scalarString(outputTypeEntry.value) : undefined;
  const outputType = isSet(outputTypeEntry) ? outputTypeRaw : 'generate_until';

  // Unknown top-level keys: TaskConfig(**cfg) raises TypeError when the task is built.
  if (!opts.pythonTask) {
    for (const e of entries.values()) {
      if (KNOWN_TASK_LEVEL_KEYS.has(e.key)) continue;
      const s = nearest(e.key, KNOWN_TASK_LEVEL_KEYS);
      sink.at(
        e.file,
        e.keyRange,
        'unknown-key',
        'error',
        `Unknown key \`${e.key}\`: lm-eval raises "TypeError: unexpected keyword argument" when it builds the task.${didYouMean(s)}${s ? '' : ' Move custom data under `metadata`.'}`,
        s ? { fixes: [replaceFix(`Rename to \`${s}\``, e.keyRange, s)] } : undefined,
      );
    }
  }

  // output_type: any other value raises ValueError("Got invalid output_type").
  if (
    isSet(outputTypeEntry) &&
    (outputTypeRaw === undefined || !(OUTPUT_TYPES as readonly string[]).includes(outputTypeRaw))
  ) {
    const s = outputTypeRaw ? nearest(outputTypeRaw, OUTPUT_TYPES) : undefined;
    sink.node(
      outputTypeEntry.value,
      'invalid-value',
      'error',
      `\`output_type\` must be one of ${OUTPUT_TYPES.join(', ')}; lm-eval raises ValueError.${didYouMean(s)}`,
      s ? { fixes: [replaceFix(`Change to \`${s}\``, outputTypeEntry.value.range, s)] } : undefined,
    );
  }

  if (!opts.partial && !opts.pythonTask) checkRequired(entries, outputType, sink, opts);

  const processResults = isSet(entries.get('process_results'));
  const metricList = entries.get('metric_list');
  if (metricList && metricList.value.kind === 'seq')
    for (const item of metricList.value.items) checkMetricEntry(item, processResults, sink);

  const repeatsEntry = entries.get('repeats');
  const repeats =
    repeatsEntry && repeatsEntry.value.kind === 'scalar' && typeof repeatsEntry.value.value === 'number'
      ? repeatsEntry.value.value
      : 1;
  const filterList = entries.get('filter_list');
  if (filterList && filterList.value.kind === 'seq')
    for (const item of filterList.value.items) checkFilterPipeline(item, repeats, sink);

  const fewshot = entries.get('fewshot_config');
  if (fewshot && fewshot.value.kind === 'map') checkFewshot(fewshot.value, rules, sink);

  const gen = entries.get('generation_kwargs');
  if (
    isSet(gen) &&
    outputType !== undefined &&
    outputType !== 'generate_until' &&
    !(gen.value.kind === 'map' && gen.value.entries.length === 0)
  ) {
    sink.at(
      gen.file,
      gen.keyRange,
      'generation-kwargs-ignored',
      'warning',
      `\`generation_kwargs\` only applies to \`generate_until\` tasks; this task is \`${outputType}\`${outputTypeEntry ? '' : ''}, so lm-eval ignores it (and logs a warning). Remove it or set \`output_type: generate_until\`.`,
    );
  }
  if (gen && gen.value.kind === 'map') {
    const until = entryOf(gen.value, 'until');
    if (until) {
      const items = until.value.kind === 'seq' ? until.value.items : [until.value];
      for (const item of items) checkNewlineLiteral(item, 'until', sink);
    }
  }
  for (const key of ['fewshot_delimiter', 'target_delimiter']) {
    const e = entries.get(key);
    if (e) checkNewlineLiteral(e.value, key, sink);
  }
}

function checkRequired(
  entries: Map<string, MergedEntry>,
  outputType: string | undefined,
  sink: FindingSink,
  opts: TaskCheckOptions,
): void {
  const missing = (what: string, why: string) =>
    sink.at(
      opts.anchor.file,
      opts.anchor.range,
      'missing-required',
      'error',
      `This task has no ${what} (after includes); ${why}`,
    );
  if (!isSet(entries.get('dataset_path')) && !isSet(entries.get('custom_dataset')))
    missing('`dataset_path` (or `custom_dataset`)', 'lm-eval cannot load a dataset. Add `dataset_path: <hub id>`.');
  if (!isSet(entries.get('test_split')) && !isSet(entries.get('validation_split')))
    missing(
      '`test_split` or `validation_split`',
      'lm-eval raises "must have valid or test docs". Add `test_split: test`.',
    );
  if (!isSet(entries.get('doc_to_text')))
    missing('`doc_to_text`', 'lm-eval cannot build a prompt. Add `doc_to_text: "{{question}}"` or a column name.');
  if (!isSet(entries.get('doc_to_target')))
    missing('`doc_to_target`', 'lm-eval cannot score it. Add `doc_to_target: <column or template>`.');
  if (outputType === 'multiple_choice' && !isSet(entries.get('doc_to_choice')))
    missing(
      '`doc_to_choice`',
      'a `multiple_choice` task needs its answer options. Add `doc_to_choice: <column, template or list>`.',
    );
}

function checkMetricEntry(item: YNode, processResults: boolean, sink: FindingSink): void {
  if (item.kind !== 'map') return; // shape errors come from the schema check
  const metric = entryOf(item, 'metric');
  if (!metric) {
    sink.node(item, 'missing-required', 'error', 'A `metric_list` entry needs `metric:`; lm-eval raises ValueError.');
  } else {
    const name = scalarString(metric.value);
    const hfEvaluate = entryOf(item, 'hf_evaluate');
    const usesHf = !!hfEvaluate && hfEvaluate.value.kind === 'scalar' && hfEvaluate.value.value === true;
    if (name !== undefined && !METRICS.has(name) && !processResults && !usesHf) {
      const s = nearest(name, METRICS.keys());
      sink.node(
        metric.value,
        'unknown-metric',
        'warning',
        `\`${name}\` is not a built-in metric and this task has no \`process_results\`; lm-eval warns and tries Hugging Face \`evaluate.load("${name}")\`.${didYouMean(s)}${s ? '' : ' Add `hf_evaluate: true` if that is intended.'}`,
        s ? { fixes: [replaceFix(`Change to \`${s}\``, metric.value.range, s)] } : undefined,
      );
    }
  }
  const agg = entryOf(item, 'aggregation');
  const aggName = agg ? scalarString(agg.value) : undefined;
  if (agg && aggName !== undefined && !AGGREGATIONS.includes(aggName)) {
    const s = nearest(aggName, AGGREGATIONS);
    sink.node(
      agg.value,
      'unknown-aggregation',
      'error',
      `\`${aggName}\` is not a registered aggregation (${AGGREGATIONS.join(', ')}); lm-eval fails when it builds the task.${didYouMean(s)}`,
      s ? { fixes: [replaceFix(`Change to \`${s}\``, agg.value.range, s)] } : undefined,
    );
  }
  // Other keys are passed to the metric function as kwargs, so a misspelt option is silently kept.
  for (const e of item.entries) {
    if (METRIC_ENTRY_KEYS.has(e.key) || METRIC_KWARGS.includes(e.key)) continue;
    const s = nearest(e.key, METRIC_ENTRY_KEYS.keys());
    if (!s) continue;
    sink.at(
      e.value.file,
      e.keyRange,
      'unknown-key',
      'warning',
      `\`${e.key}\` is not a metric-entry key: lm-eval passes it to the metric function as a keyword argument and \`${s}\` keeps its default. Did you mean \`${s}\`?`,
      { fixes: [replaceFix(`Rename to \`${s}\``, e.keyRange, s)] },
    );
  }
}

function checkFilterPipeline(item: YNode, repeats: number, sink: FindingSink): void {
  if (item.kind !== 'map') return;
  const name = entryOf(item, 'name');
  const filters = entryOf(item, 'filter');
  if (!name)
    sink.node(
      item,
      'missing-required',
      'error',
      'A `filter_list` entry needs `name:` (results are reported as `metric,name`); lm-eval raises KeyError.',
    );
  if (!filters) {
    sink.node(
      item,
      'missing-required',
      'error',
      'A `filter_list` entry needs `filter:`, a list of `{function: …}` steps; lm-eval raises KeyError.',
    );
    return;
  }
  if (filters.value.kind !== 'seq') return;
  for (const step of filters.value.items) {
    if (step.kind !== 'map') continue;
    const fn = entryOf(step, 'function');
    if (!fn) {
      sink.node(
        step,
        'missing-required',
        'error',
        'A filter step needs `function:` (a registered filter such as `regex`, or `!function`).',
      );
      continue;
    }
    if (fn.value.kind === 'function') continue;
    const fname = scalarString(fn.value);
    if (fname === undefined) continue;
    const spec = FILTERS.get(fname);
    if (!spec) {
      const s = nearest(fname, FILTERS.keys());
      sink.node(
        fn.value,
        'unknown-filter',
        'error',
        `\`${fname}\` is not a registered filter; lm-eval fails when it builds the filter pipeline.${didYouMean(s)} Registered: ${[...FILTERS.keys()].join(', ')}.`,
        s ? { fixes: [replaceFix(`Change to \`${s}\``, fn.value.range, s)] } : undefined,
      );
      continue;
    }
    for (const req of spec.required ?? []) {
      if (!entryOf(step, req))
        sink.node(
          fn.value,
          'missing-required',
          'error',
          `The \`${fname}\` filter needs \`${req}\`${req === 'k' ? ' (how many responses to keep, at most `repeats`)' : ' (a `!function` that takes the responses)'}; lm-eval fails without it.`,
        );
    }
    for (const e of step.entries) {
      if (e.key === 'function' || spec.kwargs.includes(e.key)) continue;
      const s = nearest(e.key, spec.kwargs);
      if (s)
        sink.at(
          e.value.file,
          e.keyRange,
          'unknown-key',
          'warning',
          `\`${e.key}\` is not a parameter of the \`${fname}\` filter. Did you mean \`${s}\`?`,
          {
            fixes: [replaceFix(`Rename to \`${s}\``, e.keyRange, s)],
          },
        );
    }
    if (fname === 'take_first_k') {
      const k = entryOf(step, 'k');
      if (k && k.value.kind === 'scalar' && typeof k.value.value === 'number' && k.value.value > repeats)
        sink.node(
          k.value,
          'invalid-value',
          'error',
          `\`take_first_k\` keeps ${k.value.value} responses but the task has \`repeats: ${repeats}\`; lm-eval asserts \`repeats >= k\`. Raise \`repeats\` or lower \`k\`.`,
        );
    }
  }
}

function checkFewshot(map: YMap, rules: HarnessRules, sink: FindingSink): void {
  for (const e of map.entries) {
    if (FEWSHOT_KEYS.has(e.key)) continue;
    const s = nearest(e.key, FEWSHOT_KEYS.keys());
    sink.at(
      e.value.file,
      e.keyRange,
      'unknown-key',
      rules.legacy ? 'warning' : 'error',
      rules.legacy
        ? `Unknown \`fewshot_config\` key \`${e.key}\`; lm-eval ${rules.label} ignores it.${didYouMean(s)}`
        : `Unknown \`fewshot_config\` key \`${e.key}\`: FewshotConfig raises TypeError.${didYouMean(s)}`,
      s ? { fixes: [replaceFix(`Rename to \`${s}\``, e.keyRange, s)] } : undefined,
    );
  }
  const sampler = entryOf(map, 'sampler');
  const name = sampler ? scalarString(sampler.value) : undefined;
  if (sampler && name !== undefined && !SAMPLERS.includes(name)) {
    const s = nearest(name, SAMPLERS);
    sink.node(
      sampler.value,
      'unknown-sampler',
      'error',
      `\`${name}\` is not a few-shot sampler; lm-eval knows \`default\` (random, seeded) and \`first_n\` (in order) and raises an error for anything else.${didYouMean(s)}`,
      s ? { fixes: [replaceFix(`Change to \`${s}\``, sampler.value.range, s)] } : undefined,
    );
  }
}

/** `'\n'` in single quotes (or unquoted) is a backslash and an n, not a newline (docs/footguns.md). */
function checkNewlineLiteral(node: YNode, key: string, sink: FindingSink): void {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') return;
  if (node.style !== 'single' && node.style !== 'plain') return;
  if (!/\\[nt]/.test(node.value)) return;
  const s = node as YScalar;
  const doubled = '"' + s.value!.toString().replace(/"/g, '\\"') + '"';
  sink.node(
    node,
    'single-quoted-newline',
    'warning',
    `\`${key}\` is ${s.style === 'single' ? 'single-quoted' : 'unquoted'}, so \`\\n\` here is a backslash and an "n", not a newline${key === 'until' ? ': generation will not stop at line ends' : ''}. Use double quotes: ${doubled}.`,
    { fixes: [replaceFix('Use double quotes', node.range, doubled)] },
  );
}
