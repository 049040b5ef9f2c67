// What sits outside gpu_memory_utilization — CUDA graphs (until vLLM 0.21), the CUDA context,
// NCCL buffers and the prompt-logprob spike — must fit in (1 − util) × total
// (reference/vllm-memory.md §2, §6; lm-eval issue #1923: enforce_eager=True fixed it).
import type { Finding, Fix } from '../shared/findings';
import { anchor, eagerResolves, gib, lowerUtilizationThatResolves, setArgFix, utilizationFix, utilText } from './fixes';
import { memoryRule } from './memory-rule';

const CODE = 'cuda-graph-headroom';

export const cudaGraphHeadroom = memoryRule(CODE, (f, e, reason) => {
  const fixes: Fix[] = [];
  const graphsAreTheDifference = eagerResolves(f, e, CODE);
  const eager = setArgFix(f, 'enforce_eager', true, 'Set enforce_eager=True (no CUDA graphs)', graphsAreTheDifference);
  if (eager && graphsAreTheDifference) fixes.push(eager);
  const util = lowerUtilizationThatResolves(f, CODE);
  const utilFix = util !== undefined ? utilizationFix(f, util, 'Lower', !graphsAreTheDifference) : undefined;
  if (utilFix) fixes.push(utilFix);
  const outside = `${gib(e.outsideBudgetBytes, 2)} outside the budget`;
  const breakdown = `Outside the budget: CUDA graphs ${e.cudaGraphInsideBudget ? 'reserved inside' : gib(e.cudaGraphBytes, 2)}, CUDA context ${gib(e.cudaContextBytes, 2)}, prompt-logprob spike ${gib(e.logprobsSpikeOutsideBytes, 2)} beyond the profiled activations.`;
  const quoted = reason.message;
  const free = gib(e.totalBytes - e.budgetBytes, 2);
  const finding: Finding = {
    code: CODE,
    severity: 'warning',
    message:
      `${outside} exceeds the ${free} that gpu_memory_utilization=${utilText(e.gpuMemoryUtilization)} leaves free on ${f.gpu.spec.name}: expect CUDA out of memory after start-up.` +
      (graphsAreTheDifference
        ? ' enforce_eager=True removes the CUDA graphs.'
        : util !== undefined
          ? ` Lower gpu_memory_utilization to ${utilText(util)}.`
          : ''),
    details: [breakdown, ...(quoted ? [quoted] : [])],
    range: anchor(f, 'gpu_memory_utilization', 'enforce_eager'),
    fixes,
  };
  return [finding];
});
