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

export interface Topology {
  engine: Engine;
  version: VllmVersion;
  tensorParallelSize: number;
  pipelineParallelSize: number;
  /** CUDA compute capability of the GPU, when known. */
  computeCapability?: number;
}

/**
 * Non-torch memory that grows during profiling (NCCL, custom all-reduce, cuBLAS and attention
 * workspaces), by topology (reference/vllm-memory-2026.md §2.3). One GPU: V1 0.13–0.14 GiB (llm-d,
 * H100), V0 0.16–0.39 GiB (vllm#10517, #12126, #16570). Several ranks on Ampere/Ada, or before
 * 0.11: the custom all-reduce IPC buffers and NCCL, 0.25–0.43 GiB in V0 logs (#13061, #16570).
 * TP on Hopper or newer from 0.11: torch symmetric-memory all-reduce is on by default (#24111),
 * 0.54–0.55 GiB at TP=2 (llm-d, H100). Ranks on other nodes and non-driver PP ranks carry more,
 * which the logs do not pin down (nonTorchUnmodelled says so).
 */
export function nonTorchBytes(t: Topology): number {
  const world = Math.max(1, t.tensorParallelSize) * Math.max(1, t.pipelineParallelSize);
  if (world === 1) return t.engine === 'V1' ? 0.13 * GiB : 0.25 * GiB;
  const symmetricMemory =
    t.engine === 'V1' &&
    atLeast(t.version, 0, 11) &&
    t.tensorParallelSize > 1 &&
    t.computeCapability !== undefined &&
    t.computeCapability >= 9;
  return symmetricMemory ? 0.55 * GiB : 0.35 * GiB;
}

/**
 * What the topology adds that no log measures: more than 8 ranks span nodes (ranks on other nodes
 * keep more communication buffers), and PP stages other than the driver's. KV is sized from the
 * worst rank, so this widens the KV band rather than moving the figure.
 */
export function nonTorchUnmodelled(t: Topology): string | undefined {
  const world = Math.max(1, t.tensorParallelSize) * Math.max(1, t.pipelineParallelSize);
  if (world > 8)
    return `${world} ranks span more than one node: the other nodes' communication buffers are not modelled`;
  if (t.pipelineParallelSize > 1) return "the non-driver pipeline ranks' communication buffers are not modelled";
  return undefined;
}
