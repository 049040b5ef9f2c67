// vLLM's start-up free-memory check for one launch, judged without a model: the check compares
// gpu_memory_utilization × total with what is free once vLLM's own CUDA context exists, whatever
// the model (memory/startup.ts). Used by the gpu-memory-in-use rule and by the all-GPU check.
import { freeMemoryReasonWithoutModel } from '../memory/startup';
import type { EstimateReason, GpuSpec } from '../memory/types';
import { engineFor } from '../memory/version';
import { vllmEnvironment } from '../memory/vllmEnvironment';
import type { LaunchFacts } from './launch';

const positive = (n: number | undefined) => (n !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined);

/** The launch's GPUs per model replica: tensor × pipeline parallel size (1 each when unset or not valid). */
export function launchWorldSize(f: LaunchFacts): number {
  return (positive(f.settings.tensorParallelSize) ?? 1) * (positive(f.settings.pipelineParallelSize) ?? 1);
}

/** The judge when no estimate exists (an unknown model): vLLM's free-memory check needs none. */
export function freeMemoryWithoutModel(f: LaunchFacts, gpu: GpuSpec = f.gpu.spec): EstimateReason | undefined {
  const util = f.settings.gpuMemoryUtilization;
  if (util === undefined || !(util > 0 && util <= 1)) return undefined;
  const useV1 = f.settings.useV1 ?? vllmEnvironment(f.env).useV1;
  const engine = engineFor(f.vllm.version, useV1 === undefined ? {} : { VLLM_USE_V1: useV1 ? '1' : '0' });
  return freeMemoryReasonWithoutModel({ util, gpu, version: f.vllm.version, engine, worldSize: launchWorldSize(f) });
}
