// Weights plus the profile run's activation peak must fit in gpu_memory_utilization × total per
// rank, or vLLM fails before allocating any KV cache ("No available memory for the cache blocks").
import type { Finding, Fix } from '../shared/findings';
import { anchor, gib, resolves, setArgFix } from './fixes';
import { atRiskText } from '../memory/startup';
import { memoryRule } from './memory-rule';
import { tensorParallelCandidates } from './tensor-parallel';

const CODE = 'weights-exceed-budget';

export const weightsExceedBudget = memoryRule(CODE, (f, e, reason) => {
  const fixes: Fix[] = [];
  const dtype = f.args.get('dtype');
  const fp32 = e.effective.weightBytesPerParam >= 4;
  if (fp32 && dtype) {
    const target = f.gpu.spec.supportsBf16 ? 'auto' : 'float16';
    if (resolves(f, CODE, { dtype: target })) {
      const fix = setArgFix(f, 'dtype', target, `Set dtype=${target} (half the weights)`, true);
      if (fix) fixes.push(fix);
    }
  }
  const tp = tensorParallelCandidates(f).find((n) => resolves(f, CODE, { tensorParallelSize: n }));
  if (tp !== undefined) {
    const fix = setArgFix(
      f,
      'tensor_parallel_size',
      tp,
      `Set tensor_parallel_size=${tp} (smallest that fits)`,
      fixes.length === 0,
    );
    if (fix) fixes.push(fix);
  }
  const quoted = reason.message;
  // Inside the estimate's band the failure may not happen: a warning that says so (issue #15).
  const certain = reason.verdict === 'will-fail';
  const overDevice = e.weightsBytes > e.totalBytes - e.cudaContextBytes;
  const finding: Finding = {
    code: CODE,
    severity: certain ? 'error' : 'warning',
    message:
      `Weights (${gib(e.weightsBytes)}) plus the profiling activation peak (${gib(e.activationBytes)}) exceed the budget of ${gib(e.budgetBytes)} per GPU (gpu_memory_utilization × ${gib(e.totalBytes)} on ${f.gpu.spec.name})` +
      (certain ? '.' : ` — ${atRiskText(overDevice ? e.weightsBand : e.errorBand)}.`) +
      (tp !== undefined
        ? ` tensor_parallel_size=${tp} fits.`
        : ' Use more GPUs (tensor_parallel_size) or a quantized checkpoint (AWQ, GPTQ, FP8).'),
    ...(quoted ? { details: [`vLLM ${f.vllm.text} says: "${quoted}"`] } : {}),
    range: anchor(f, 'pretrained', 'dtype'),
    fixes,
  };
  return [finding];
});
