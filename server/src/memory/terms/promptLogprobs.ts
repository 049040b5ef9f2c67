// The prompt-logprob spike: lm-eval's loglikelihood path asks for prompt_logprobs=1 on every
// prompt token (lm_eval/models/vllm_causallms.py), and vLLM's profile run never includes it
// (vllm-project/vllm#5907). V0 `layers/sampler.py` (step-wide), V1 `_get_prompt_logprobs_dict`
// (per request), Model Runner V2 `compute_prompt_logprobs_with_chunking` (1024-token chunks).
// reference/vllm-memory.md §5; vllm-memory-2026.md §2.8.
import type { ModelArchitecture, OutputType, VllmVersion } from '../types';
import type { Engine } from '../version';

const LOGLIKELIHOOD_TYPES: ReadonlySet<OutputType> = new Set<OutputType>([
  'loglikelihood',
  'loglikelihood_rolling',
  'multiple_choice',
]);

export interface LogprobsOptions {
  engine: Engine;
  version: VllmVersion;
  maxNumBatchedTokens: number;
  maxModelLen: number;
  dtypeBytes: number;
  outputTypes: readonly OutputType[];
  /** Model Runner V2 chunks prompt logprobs by 1024 tokens (default for dense Qwen3 from ≈0.22, #39337). */
  modelRunnerV2?: boolean;
  /**
   * lm-eval's integer `--batch_size`: each `generate` call carries that many requests, so a step
   * holds at most that many prompts. Undefined for `auto` (all requests in one call).
   */
  requestsPerCall?: number;
}

/** lm-eval's `--batch_size` as requests per `generate` call: an integer, or undefined for `auto`/`auto:N`. */
export function requestsPerCall(batchSize: string | number | undefined): number | undefined {
  const n = typeof batchSize === 'number' ? batchSize : /^\s*\d+\s*$/.test(batchSize ?? '') ? Number(batchSize) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/**
 * V1 computes prompt logprobs one request at a time, so the spike follows the longest single
 * prompt. loglikelihood_rolling windows fill max_model_len (lm-eval cuts documents into
 * max_length − 2 token windows); multiple-choice and loglikelihood requests of lm-eval's tasks are
 * context + continuation, and we bound them at 4,096 tokens (an assumption the hover states) rather
 * than at max_model_len, which for long-context models would flag every MMLU run.
 */
export const LOGLIKELIHOOD_PROMPT_TOKENS_BOUND = 4096;

/** The longest single prompt: a rolling window fills max_model_len; other requests ≤ 4,096 tokens. */
export function v1PromptTokensBound(outputTypes: readonly OutputType[]): number {
  return outputTypes.includes('loglikelihood_rolling') ? Infinity : LOGLIKELIHOOD_PROMPT_TOKENS_BOUND;
}

/**
 * Prompt tokens V0 materialises in one step: every prompt of the step, up to
 * max_num_batched_tokens; with an integer lm-eval batch size, at most that many of the longest
 * prompts (a reported Open LLM Leaderboard OOM ran `--batch_size 1` and failed allocating 7 GiB in
 * `get_logprobs`, far below a full 32k-token step).
 */
export function v0PromptTokensPerStep(o: LogprobsOptions): number {
  const longest = Math.min(o.maxModelLen, v1PromptTokensBound(o.outputTypes));
  const step = o.requestsPerCall !== undefined ? o.requestsPerCall * longest : Infinity;
  return Math.max(1, Math.min(o.maxNumBatchedTokens, step));
}

/**
 * The unprofiled transient of prompt logprobs, per rank. V0 (sampler.py @e9d517f27673): all
 * prompt tokens of the step × vocab — logits, a float32 copy, softmax, log_softmax and the rank
 * comparison (bool, summed through an int64 cast). V1 (_get_prompt_logprobs_dict): per request,
 * n ≤ min(max_model_len, mnbt) tokens × vocab — logits, float32 log_softmax, the bool comparison
 * and its int64 sum; all-gathered, so on every TP rank. Bytes per element measured on an H100
 * (PyTorch 2.11, same ops, bf16 logits): V1 15.0 B, V0 23.0 B (the notes' 7 B / 15 B omit the
 * int64 reduction copy).
 */
export function promptLogprobsSpikeBytes(arch: ModelArchitecture, o: LogprobsOptions): number {
  if (!o.outputTypes.some((t) => LOGLIKELIHOOD_TYPES.has(t))) return 0;
  const v = arch.vocabSize;
  if (o.engine === 'V0') return v0PromptTokensPerStep(o) * v * (o.dtypeBytes + 21);
  let n = Math.min(o.maxModelLen, o.maxNumBatchedTokens, v1PromptTokensBound(o.outputTypes));
  if (o.modelRunnerV2) n = Math.min(n, 1024);
  return n * v * (o.dtypeBytes + 13);
}
