// The diagnostic codes are public identifiers: never rename one. Each is documented in docs/rules.md,
// which a diagnostic's codeDescription links to.

export const DIAGNOSTIC_CODES = [
  // model_args and the vLLM memory model
  'model-args-syntax',
  'float32-weights',
  'cuda-graph-headroom',
  'logprobs-spike',
  'kv-cache-too-small',
  'weights-exceed-budget',
  'gpu-memory-in-use',
  'tp-not-divisible',
  'max-gen-toks-too-large',
  'max-model-len-too-long',
  'duplicate-cli-kwarg',
  'conflicting-args',
  'ignored-model-arg',
  'unknown-model-arg',
  'accelerate-launch-vllm',
  'unknown-model',
  // task and group configs
  'yaml-syntax',
  'duplicate-key',
  'unknown-key',
  'invalid-value',
  'missing-required',
  'unknown-metric',
  'unknown-aggregation',
  'unknown-filter',
  'unknown-sampler',
  'include-not-found',
  'include-cycle',
  'diamond-include',
  'function-not-found',
  'duplicate-task-name',
  'legacy-group-task',
  'generation-kwargs-ignored',
  'single-quoted-newline',
  'no-task-or-group',
  // limits (hostile or huge input)
  'input-limit',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

const DOCS_URL = 'https://github.com/lm-eval-lens/lm-eval-lens/blob/main/docs';

const TASK_CONFIG_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(
  DIAGNOSTIC_CODES.slice(DIAGNOSTIC_CODES.indexOf('yaml-syntax'), DIAGNOSTIC_CODES.indexOf('no-task-or-group') + 1),
);

/** The documentation link a diagnostic's codeDescription points at: one section per code. */
export function ruleDocUrl(code: DiagnosticCode): string {
  const page = TASK_CONFIG_CODES.has(code) ? 'task-config-rules.md' : 'rules.md';
  return `${DOCS_URL}/${page}#${code}`;
}

export function isDiagnosticCode(s: string): s is DiagnosticCode {
  return (DIAGNOSTIC_CODES as readonly string[]).includes(s);
}
