// What lm-eval knows about task and group configs: field names, registries and one-line docs.
// Follows lm-eval @4e7e0d47 (0.4.13.dev0): lm_eval/config/task.py, config/group.py, api/metrics.py,
// api/samplers.py, filters/*.py. v0.4.9 had the same TaskConfig fields.
import type { OutputType } from '../memory/types';

export interface KeyDoc {
  name: string;
  /** Markdown, one or two sentences. */
  doc: string;
  /** A short type description shown in completion details. */
  type: string;
  values?: readonly string[];
}

function docs(entries: [string, string, string, (readonly string[])?][]): ReadonlyMap<string, KeyDoc> {
  return new Map(entries.map(([name, type, doc, values]) => [name, { name, type, doc, values }]));
}

export const OUTPUT_TYPES: readonly OutputType[] = [
  'loglikelihood',
  'loglikelihood_rolling',
  'multiple_choice',
  'generate_until',
];

/** TaskConfig fields (the dataclass), in lm-eval's order. */
export const TASK_KEYS = docs([
  ['task', 'str', 'Unique task name, used with `--tasks`. A YAML without `task` or `group` is skipped by the indexer.'],
  ['task_alias', 'str', 'Name shown in the results table.'],
  ['tag', 'str | list', 'Tag names; a tag expands to every task carrying it, with no aggregate score.'],
  [
    'custom_dataset',
    'callable',
    'Called as `fn(**metadata, **dataset_kwargs)` instead of `datasets.load_dataset`; use `!function`.',
  ],
  ['dataset_path', 'str', 'Hugging Face Hub dataset id or loader path (`datasets.load_dataset(path=…)`).'],
  ['dataset_name', 'str', 'Dataset configuration / subset (`name=`).'],
  [
    'dataset_kwargs',
    'dict',
    'Extra keyword arguments for `load_dataset` (`data_files`, …). `trust_remote_code` is dropped with datasets ≥ 4.',
  ],
  ['training_split', 'str', 'Training split name.'],
  ['validation_split', 'str', 'Validation split; evaluated when `test_split` is unset.'],
  ['test_split', 'str', 'Split that is evaluated. One of `test_split`/`validation_split` is required.'],
  [
    'fewshot_split',
    'str',
    'Split few-shot examples come from (default: training, then validation, then test with a warning).',
  ],
  ['process_docs', 'callable', 'Applied to every split (`!function utils.process_docs`).'],
  [
    'doc_to_text',
    'str | callable | int',
    'Prompt: a column name or a Jinja2 template (`{{question}}`), or `!function`.',
  ],
  ['doc_to_target', 'str | callable | int | list', 'Gold answer: a column name, a Jinja2 template, or `!function`.'],
  [
    'doc_to_choice',
    'str | list | dict | callable',
    'Answer options (required for `multiple_choice`): a column, a template rendering a list, or a list.',
  ],
  ['doc_to_image', 'str | callable', 'Marks the task as multimodal (image); needs `hf-multimodal` or `vllm-vlm`.'],
  ['doc_to_audio', 'str | callable', 'Marks the task as multimodal (audio).'],
  ['unsafe_code', 'bool', 'The task runs model-written code; the CLI then needs `--confirm_run_unsafe_code`.'],
  [
    'process_results',
    'callable',
    'Custom per-document scoring; `metric_list` then only supplies aggregation and direction.',
  ],
  ['use_prompt', 'str', '`<category>:<prompt name>` from promptsource (needs the `promptsource` extra).'],
  ['description', 'str', 'Text placed before the few-shot block (Jinja-rendered).'],
  ['target_delimiter', 'str', 'Between question and answer (default `" "`).'],
  ['fewshot_delimiter', 'str', 'Between few-shot examples (default `"\\n\\n"`); also the default `until`.'],
  ['fewshot_config', 'dict', 'How few-shot examples are drawn: `sampler`, `samples`, `split`, per-shot templates.'],
  ['num_fewshot', 'int', 'Default number of shots. `--num_fewshot` overrides it, except an explicit `0`.'],
  ['metric_list', 'list', 'Metrics: `- metric: acc` with optional `aggregation`, `higher_is_better`, kwargs.'],
  ['output_type', 'str', 'Request type (default `generate_until`).', OUTPUT_TYPES],
  [
    'generation_kwargs',
    'dict',
    'Sampling settings for `generate_until` (`until`, `max_gen_toks`, `do_sample`, `temperature`, …).',
  ],
  ['repeats', 'int', 'Samples per request (self-consistency); pair with `do_sample: true` and vote filters.'],
  ['filter_list', 'list', 'Named post-processing pipelines: `- name: …` with `filter: [{function: regex, …}]`.'],
  ['should_decontaminate', 'bool', 'Turns on decontamination.'],
  ['doc_to_decontamination_query', 'str', 'Column or template used as the decontamination query.'],
  ['gen_prefix', 'str', 'Text appended after the prompt, the start of the answer (Jinja-rendered).'],
  ['metadata', 'dict', 'Free-form; `version` becomes the reported task version. `--metadata` and model args merge in.'],
]);

/** Keys the loader takes out before TaskConfig(**cfg). */
export const LOADER_KEYS = docs([
  ['include', 'str | list', "Other YAML files merged under this one, relative to this file (the file's own keys win)."],
  ['group', 'str', 'Makes the file a group (v0.4.12+), even next to a string `task`.'],
  ['task_list', 'list', 'Removed before building (legacy).'],
  ['class', 'callable', 'A Python task class (`!function task.MyTask`); the class consumes the other keys.'],
]);

export const GROUP_KEYS = docs([
  ['group', 'str', 'Group name used with `--tasks`.'],
  ['group_alias', 'str', 'Name shown in the results table.'],
  [
    'task',
    'list',
    'Members: task, group or tag names, `{task: name, …overrides}`, or inline `{group: name, task: […]}`.',
  ],
  [
    'aggregate_metric_list',
    'list | dict',
    'Aggregate scores: `- metric: acc` with `aggregation: mean`, `weight_by_size`, `filter_list`.',
  ],
  ['metadata', 'dict', '`version`; `num_fewshot` overrides the n-shot column of the table.'],
]);

export const FEWSHOT_KEYS = docs([
  [
    'sampler',
    'str',
    'How shots are drawn: `default` (random, seeded) or `first_n` (in order).',
    ['default', 'first_n'],
  ],
  ['split', 'str', "Split shots come from (default: the task's `fewshot_split`)."],
  ['process_docs', 'callable', "Applied to the few-shot split (default: the task's `process_docs`)."],
  ['fewshot_indices', 'list', 'Subset of indices to draw from.'],
  ['samples', 'list | callable', 'Hard-coded examples (a list of dicts) or `!function` returning them.'],
  ['doc_to_text', 'str | callable', 'Prompt template for shots only.'],
  ['doc_to_target', 'str | callable', 'Target template for shots only.'],
  ['doc_to_choice', 'str | list | callable', 'Choices for shots only.'],
  ['gen_prefix', 'str', 'Answer prefix for shots only.'],
  ['fewshot_delimiter', 'str', 'Delimiter between shots.'],
  ['target_delimiter', 'str', 'Delimiter between question and answer in shots.'],
]);

export const METRIC_ENTRY_KEYS = docs([
  ['metric', 'str | callable', 'A registered metric, a Hugging Face `evaluate` metric, or `!function`.'],
  ['aggregation', 'str | callable', 'How per-document scores combine (`mean`, …); default from the metric.'],
  ['higher_is_better', 'bool', 'Direction of the metric; default from the metric.'],
  ['hf_evaluate', 'bool', 'Load the metric with `evaluate.load(name)` instead of the registry.'],
]);
/** Common metric kwargs (every other key of a metric entry is passed to the metric function). */
export const METRIC_KWARGS = [
  'ignore_case',
  'ignore_punctuation',
  'regexes_to_ignore',
  'ignore_numbers',
  'average',
  'k',
  'weight_by_size',
];

export const AGG_METRIC_KEYS = docs([
  ['metric', 'str', 'Metric name the children report.'],
  ['aggregation', 'str | callable', 'Only `mean` is built in (or `!function`).', ['mean']],
  ['weight_by_size', 'bool', 'Weight children by document count (default True from v0.4.12, False in v0.4.9).'],
  ['filter_list', 'str | list', 'Filter names to aggregate (default: discovered from the children).'],
]);

export const GENERATION_KWARGS = docs([
  ['until', 'str | list', 'Stop strings; the model\'s EOS is always added. Write `"\\n"` in double quotes.'],
  ['max_gen_toks', 'int', 'Most tokens generated (default 256). Wins over `max_new_tokens`, `max_tokens`.'],
  ['max_new_tokens', 'int', 'Alias of `max_gen_toks` (lower priority).'],
  ['do_sample', 'bool', '`false` forces `temperature: 0`; inferred from `temperature > 0` when absent.'],
  ['temperature', 'float', 'Sampling temperature (cast to float).'],
  ['top_p', 'float', 'Nucleus sampling.'],
  ['top_k', 'int', 'Top-k sampling.'],
  ['num_beams', 'int', 'Beam search width (HF backend).'],
]);

/** metric → [default aggregation, higher_is_better, intended output types]. */
export const METRICS: ReadonlyMap<
  string,
  { aggregation: string; higherIsBetter: boolean; outputTypes: readonly OutputType[] }
> = new Map(
  (
    [
      ['acc', 'mean', true, ['loglikelihood', 'multiple_choice']],
      ['acc_norm', 'mean', true, ['loglikelihood', 'multiple_choice']],
      ['acc_mutual_info', 'mean', true, ['multiple_choice']],
      ['acc_bytes', 'mean', true, ['loglikelihood', 'multiple_choice']],
      ['brier_score', 'brier_score', false, ['multiple_choice']],
      ['likelihood', 'mean', true, ['multiple_choice']],
      ['mcc', 'matthews_corrcoef', true, ['multiple_choice']],
      ['f1', 'f1', true, ['multiple_choice']],
      ['exact_match', 'mean', true, ['generate_until']],
      ['bleu', 'bleu', true, ['generate_until']],
      ['chrf', 'chrf', true, ['generate_until']],
      ['ter', 'ter', true, ['generate_until']],
      ['perplexity', 'perplexity', false, ['loglikelihood']],
      ['acc_all', 'mean', true, ['loglikelihood']],
      ['word_perplexity', 'weighted_perplexity', false, ['loglikelihood_rolling']],
      ['byte_perplexity', 'weighted_perplexity', false, ['loglikelihood_rolling']],
      ['bits_per_byte', 'bits_per_byte', false, ['loglikelihood_rolling']],
      ['bypass', 'bypass', true, OUTPUT_TYPES],
    ] as const
  ).map(([name, aggregation, higherIsBetter, outputTypes]) => [name, { aggregation, higherIsBetter, outputTypes }]),
);

export const AGGREGATIONS: readonly string[] = [
  'bypass',
  'nanmean',
  'mean',
  'median',
  'perplexity',
  'weighted_perplexity',
  'bits_per_byte',
  'f1',
  'matthews_corrcoef',
  'bleu',
  'chrf',
  'ter',
  'brier_score',
];

export const SAMPLERS: readonly string[] = ['default', 'first_n'];

export interface FilterSpec {
  doc: string;
  /** Keyword arguments the filter's constructor takes. */
  kwargs: readonly string[];
  required?: readonly string[];
}

/** Filters lm-eval registers itself (lm_eval/filters/*.py). Task-local ones, such as acpbench's
 * `ACP_grammar_filter`, come from the config's own Python (registrations.ts). */
export const FILTERS: ReadonlyMap<string, FilterSpec> = new Map<string, FilterSpec>([
  [
    'regex',
    {
      doc: 'Extract with a regex (`regex_pattern`, `group_select`, `fallback`).',
      kwargs: ['regex_pattern', 'group_select', 'fallback'],
    },
  ],
  [
    'regex_pos',
    { doc: 'Regex extraction for position answers.', kwargs: ['regex_pattern', 'group_select', 'fallback'] },
  ],
  [
    'multi_choice_regex',
    {
      doc: 'Regex extraction that also matches choice letters/texts.',
      kwargs: ['regex_pattern', 'group_select', 'fallback', 'ignore_case', 'ignore_punctuation', 'regexes_to_ignore'],
    },
  ],
  ['remove_whitespace', { doc: 'Strip leading whitespace.', kwargs: [] }],
  ['take_first', { doc: 'Keep the first response per request.', kwargs: [] }],
  ['take_first_k', { doc: 'Keep the first `k` responses (needs `k` ≤ `repeats`).', kwargs: ['k'], required: ['k'] }],
  ['majority_vote', { doc: 'Most common response (use with `repeats`).', kwargs: [] }],
  ['lowercase', { doc: 'Lowercase responses.', kwargs: [] }],
  ['uppercase', { doc: 'Uppercase responses.', kwargs: [] }],
  [
    'map',
    { doc: 'Map responses through `mapping_dict` (else `default_value`).', kwargs: ['mapping_dict', 'default_value'] },
  ],
  ['format_span', { doc: 'Normalise span labels.', kwargs: [] }],
  [
    'custom',
    { doc: 'Apply `filter_fn` (a `!function`) to the responses.', kwargs: ['filter_fn'], required: ['filter_fn'] },
  ],
  ['decontaminate', { doc: 'Decontamination filter (`path`).', kwargs: ['path'] }],
]);

export const KNOWN_TASK_LEVEL_KEYS: ReadonlySet<string> = new Set([...TASK_KEYS.keys(), ...LOADER_KEYS.keys()]);

/** Keys that only lm-eval task configs use: their presence says "this YAML is an lm-eval config". */
export const DISTINCTIVE_KEYS: ReadonlySet<string> = new Set([
  'dataset_path',
  'dataset_name',
  'doc_to_text',
  'doc_to_target',
  'doc_to_choice',
  'output_type',
  'metric_list',
  'aggregate_metric_list',
  'fewshot_config',
  'generation_kwargs',
  'filter_list',
  'process_docs',
  'test_split',
  'validation_split',
  'training_split',
  'fewshot_split',
  'task_alias',
  'group_alias',
  'num_fewshot',
  'custom_dataset',
  'process_results',
  'doc_to_decontamination_query',
  'should_decontaminate',
  'target_delimiter',
  'fewshot_delimiter',
  'gen_prefix',
  'doc_to_image',
  'doc_to_audio',
  'unsafe_code',
  'use_prompt',
]);
