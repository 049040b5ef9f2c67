// lm-eval's loglikelihood path asks vLLM for prompt_logprobs=1 on every prompt token; the logits
// (tokens × vocab × fp32) are never profiled by vLLM, so the spike lands outside the budget
// (vllm-project/vllm#5907, lm-eval #2490, #2698, #2779). Large vocabularies (Qwen 151,936) make it huge.
import type { Finding, Fix } from '../shared/findings';
import {
  anchor,
  eagerResolves,
  gib,
  largestValueThatResolves,
  lowerUtilizationThatResolves,
  setArgFix,
  utilizationFix,
  utilText,
} from './fixes';
import { memoryRule } from './memory-rule';

const CODE = 'logprobs-spike';

export const logprobsSpike = memoryRule(CODE, (f, e, reason) => {
  const fixes: Fix[] = [];
  // Where CUDA graphs sit outside the budget (vLLM < 0.21), dropping them frees that headroom for
  // the spike; loglikelihood requests are prefill-only, so eager mode costs them almost nothing.
  const eager = eagerResolves(f, e, CODE)
    ? setArgFix(
        f,
        'enforce_eager',
        true,
        'Set enforce_eager=True (frees the CUDA-graph memory outside the budget)',
        true,
      )
    : undefined;
  if (eager) fixes.push(eager);
  const util = lowerUtilizationThatResolves(f, CODE);
  const utilFix = util !== undefined ? utilizationFix(f, util, 'Lower', fixes.length === 0) : undefined;
  if (utilFix) fixes.push(utilFix);
  // The spike scales with the tokens scheduled per step: cap max_num_batched_tokens (V1 bounds the
  // per-request chunk by it) to the largest multiple of 256 that resolves it.
  const mnbt = largestValueThatResolves(f, CODE, e.effective.maxNumBatchedTokens, 256, (v) => ({
    maxNumBatchedTokens: v,
  }));
  if (mnbt !== undefined) {
    const fix = setArgFix(
      f,
      'max_num_batched_tokens',
      mnbt,
      `Cap max_num_batched_tokens at ${mnbt}`,
      fixes.length === 0,
    );
    if (fix) fixes.push(fix);
  }
  const seqs = largestValueThatResolves(f, CODE, e.effective.maxNumSeqs, 1, (v) => ({ maxNumSeqs: v }));
  if (seqs !== undefined) {
    const fix = setArgFix(f, 'max_num_seqs', seqs, `Cap max_num_seqs at ${seqs}`, fixes.length === 0);
    if (fix) fixes.push(fix);
  }
  // The memory model words the numbers (tokens × vocab, per rank, what lands outside the budget).
  const arithmetic = reason.message;
  const advice = eager
    ? ' enforce_eager=True frees enough (CUDA graphs sit outside the budget in this vLLM).'
    : util !== undefined
      ? ` Lower gpu_memory_utilization to ${utilText(util)}${mnbt !== undefined ? ` or cap max_num_batched_tokens at ${mnbt}` : ''}.`
      : mnbt !== undefined
        ? ` Cap max_num_batched_tokens at ${mnbt}.`
        : '';
  const finding: Finding = {
    code: CODE,
    severity: 'warning',
    message: `Loglikelihood/multiple-choice tasks: prompt logprobs need about ${gib(e.logprobsSpikeBytes)} per GPU that vLLM's profiler never reserves.${advice}`,
    details: [arithmetic],
    range: anchor(f, 'gpu_memory_utilization'),
    fixes,
  };
  return [finding];
});
