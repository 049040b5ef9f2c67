// The budget gpu_memory_utilization × total overlaps memory vLLM cannot have: what other processes
// hold (a detected GPU, nvidia-smi) or vLLM's own CUDA context (and NCCL buffers), which exist
// before the budget is taken. vLLM ≥ 0.9.1 (V1) refuses to start ("Free memory on device ... on
// startup is less than desired GPU memory utilization"); older releases size the budget from the
// total and run out of memory allocating the KV cache (memory/startup.ts).
import type { Finding, Fix } from '../shared/findings';
import { anchor, gib, hasReason, utilizationFix } from './fixes';
import { memoryRuleWithoutEstimate } from './memory-rule';
import { CUDA_CONTEXT_BYTES, cudaContextBytes } from '../memory/terms/nonTorch';
import { freeMemoryWithoutModel, launchWorldSize } from '../facts/freeMemory';
import { engineFor } from '../memory/version';

const CODE = 'gpu-memory-in-use';

export const gpuMemoryInUse = memoryRuleWithoutEstimate(
  CODE,
  (f) => freeMemoryWithoutModel(f),
  (f, e, reason) => {
    const measured = f.gpu.spec.freeBytes;
    const totalBytes = e?.totalBytes ?? f.gpu.spec.totalBytes;
    const util = e?.gpuMemoryUtilization ?? f.settings.gpuMemoryUtilization ?? 0;
    const budgetBytes = e?.budgetBytes ?? util * totalBytes;
    const worldSize = launchWorldSize(f);
    const contextBytes =
      e?.cudaContextBytes ?? cudaContextBytes(engineFor(f.vllm.version, f.env), f.vllm.version, worldSize);
    // What vLLM finds free once its own context exists.
    const free = (measured ?? totalBytes) - contextBytes;
    const fixes: Fix[] = [];
    const lower = Math.floor((free / totalBytes) * 100 - 1) / 100;
    if (lower >= 0.05) {
      // Without a model the refusal is all there is to fix: no estimate to check the lower value against.
      const candidate = e ? f.estimateWith({ gpuMemoryUtilization: lower }) : undefined;
      if (!e || (candidate && !hasReason(candidate, CODE) && candidate.verdict !== 'will-fail')) {
        const fix = utilizationFix(f, lower, 'Lower', true, ' (what is free)');
        if (fix) fixes.push(fix);
      }
    }
    const quoted = reason.message;
    const asked = `gpu_memory_utilization=${util} asks for ${gib(budgetBytes, 2)}`;
    const message =
      measured !== undefined
        ? `${f.gpu.spec.name} has ${gib(measured, 2)} free but ${asked}: other processes hold the rest.`
        : `${asked} of the ${gib(totalBytes, 2)} ${f.gpu.spec.name}, but vLLM's own CUDA context${contextBytes > CUDA_CONTEXT_BYTES ? ' and NCCL buffers take' : ' takes'} about ${gib(contextBytes, 2)} first: at most ${gib(Math.max(0, free), 2)} is free when vLLM sizes its budget.`;
    // The refusal is vLLM ≥ 0.9.1's; a release the project does not name (or names as a range) may
    // be older, where the same budget fails later and differently: a warning that says so.
    const releaseAssumed = f.vllm.source === 'default' || f.vllm.range;
    const certain = reason.verdict === 'will-fail' && !(releaseAssumed && measured === undefined);
    const finding: Finding = {
      code: CODE,
      severity: certain ? 'error' : 'warning',
      message:
        releaseAssumed && measured === undefined
          ? `${message} The project names no vLLM release (${f.vllm.text} assumed): 0.9.1 and later refuse to start; older ones start and run out of memory allocating the KV cache or capturing CUDA graphs.`
          : message,
      // From 0.9.1 the reason is vLLM's own start-up error; before, it is the memory model's account.
      ...(quoted
        ? { details: [/^Free memory on/.test(quoted) ? `vLLM ${f.vllm.text} says: "${quoted}"` : quoted] }
        : {}),
      range: anchor(f, 'gpu_memory_utilization'),
      fixes,
    };
    return [finding];
  },
);
