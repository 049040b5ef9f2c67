// Memory the torch allocator does not see, and where vLLM counts it: the CUDA context and NCCL
// start-up buffers (before the baseline snapshot, so outside the budget), the non-torch growth
// during profiling (inside), and the versions whose profiler charged the whole device.
// reference/vllm-memory.md §1b–1d; vllm-memory-2026.md §2.3.
import type { VllmVersion } from '../types';
import { GiB, MiB } from '../../shared/units';
import { atLeast, type Engine } from '../version';

/**
 * CUDA context of one process: 527 MiB measured on an H100 and an H200 (driver 580, torch 2.11,
 * cuCtxCreate / torch.cuda.init). From 0.11 (#25359) NCCL's start-up buffers are taken before the
 * baseline snapshot, so with TP/PP > 1 they also sit outside the budget (≈0.25 GiB, unverified).
 */
export const CUDA_CONTEXT_BYTES = 527 * MiB;
export const NCCL_INIT_BYTES = 0.25 * GiB;

export function cudaContextBytes(engine: Engine, version: VllmVersion, worldSize: number): number {
  const nccl = engine === 'V1' && atLeast(version, 0, 11) && worldSize > 1 ? NCCL_INIT_BYTES : 0;
  return CUDA_CONTEXT_BYTES + nccl;
}

/** Versions whose profiler charged the whole device's used memory to the instance (0.6.4: #9516; V1 0.8.0–0.9.0). */
export function wholeDeviceAccounting(engine: Engine, version: VllmVersion): boolean {
  if (engine === 'V0') return atLeast(version, 0, 6, 4) && !atLeast(version, 0, 6, 5);
  return atLeast(version, 0, 8) && !atLeast(version, 0, 9, 1);
}

/**
 * Non-torch memory that grows during profiling (NCCL, custom all-reduce, cuBLAS and attention
 * workspaces): from logs, V1 0.13–0.14 GiB single-GPU and 0.54–0.55 GiB at TP=2 (llm-d, H100);
 * V0 0.16–0.39 GiB single-GPU and 0.25–0.43 GiB with TP (vllm#10517, #12126, #13061, #16570).
 */
export function nonTorchBytes(engine: Engine, worldSize: number): number {
  if (engine === 'V1') return worldSize > 1 ? 0.55 * GiB : 0.13 * GiB;
  return worldSize > 1 ? 0.35 * GiB : 0.25 * GiB;
}
