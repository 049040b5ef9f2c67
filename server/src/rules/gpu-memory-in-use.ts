// vLLM ≥ 0.9.1 refuses to start when the device's free memory is below gpu_memory_utilization ×
// total ("Free memory on device ... on startup is less than desired GPU memory utilization").
// Only a detected GPU (nvidia-smi) tells us what other processes hold.
import type { Finding, Fix } from '../shared/findings';
import { anchor, gib, hasReason, utilizationFix, utilText } from './fixes';
import { memoryRule } from './memory-rule';

const CODE = 'gpu-memory-in-use';

export const gpuMemoryInUse = memoryRule(CODE, (f, e, reason) => {
  // Only a measured free figure (nvidia-smi) makes the model report other processes.
  const free = f.gpu.spec.freeBytes;
  if (free === undefined) return [];
  const fixes: Fix[] = [];
  const util = Math.floor((free / e.totalBytes) * 100 - 1) / 100;
  if (util >= 0.05) {
    const candidate = f.estimateWith({ gpuMemoryUtilization: util });
    if (candidate && !hasReason(candidate, CODE) && candidate.verdict !== 'will-fail') {
      const fix = utilizationFix(f, util, 'Lower', true, ' (what is free)');
      if (fix) fixes.push(fix);
    }
  }
  const quoted = reason.message;
  const finding: Finding = {
    code: CODE,
    severity: 'error',
    message: `${f.gpu.spec.name} has ${gib(free, 2)} free but gpu_memory_utilization=${utilText(e.gpuMemoryUtilization)} asks for ${gib(e.budgetBytes, 2)}: other processes hold the rest.`,
    // From 0.9.1 the reason is vLLM's own start-up error; before, it is the memory model's account.
    ...(quoted ? { details: [/^Free memory on/.test(quoted) ? `vLLM ${f.vllm.text} says: "${quoted}"` : quoted] } : {}),
    range: anchor(f, 'gpu_memory_utilization'),
    fixes,
  };
  return [finding];
});
