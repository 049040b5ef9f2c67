// The diagnostic codes are public identifiers: never rename one. Each is documented once, in the
// `<code>.md` next to its rule; `npm run docs` turns those into docs/rules.md, docs/task-config-rules.md
// and CODE_DOCS in codeDocs.ts (the codeDescription link and the SARIF rule metadata).

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
  'architecture-not-modelled',
  'broken-line-continuation',
  // read from a crash log (lm-eval-lens explain, log documents in the editor)
  'sampler-warmup-oom',
  'cuda-out-of-memory',
  'run-failure',
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
  'other-harness',
  // limits (hostile or huge input)
  'input-limit',
  // a directive, setting or config-file value that cannot be used (a version, a GPU name)
  'invalid-setting',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export function isDiagnosticCode(s: string): s is DiagnosticCode {
  return (DIAGNOSTIC_CODES as readonly string[]).includes(s);
}
