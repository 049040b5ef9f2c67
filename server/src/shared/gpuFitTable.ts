// The "which GPU fits?" table as it crosses the wire (lmEvalLens/gpuTable) and reaches the CLI's
// JSON: plain data, built by service/gpuFit.ts, drawn by the client's panel.

/** The memory model's judgement of a configuration (memory/startup.ts). */
export type Verdict = 'fits' | 'at-risk' | 'will-fail';

/** One bar segment of the per-rank memory, in vLLM's accounting order. */
export interface MemorySegment {
  label: string;
  bytes: number;
  /** Inside the gpu_memory_utilization budget, outside it, or the headroom left. */
  where: 'inside' | 'outside' | 'headroom';
}

export interface GpuFitRow {
  gpu: string;
  totalBytes: number;
  /** The smallest tensor_parallel_size (from the one written) that fits; undefined when none up to 8 does. */
  tensorParallelSize?: number;
  /** GPUs the configuration then takes: tensor × pipeline × data parallel. */
  gpuCount: number;
  /** At `tensorParallelSize`, or at the written size when nothing fits. */
  verdict: Verdict;
  headroomBytes: number;
  budgetBytes: number;
  /** The largest max_model_len (a multiple of 256, at most what the model allows) that starts; undefined when none. */
  maxModelLenThatFits?: number;
  /** The per-rank breakdown drawn as a stacked bar against `totalBytes`. */
  segments: MemorySegment[];
  /** KV cache one max_model_len sequence needs (vLLM's start-up check compares it with the KV cache). */
  oneSequenceKvBytes: number;
}

export interface GpuFitTable {
  model: string;
  vllmVersion: string;
  /** As written in the configuration. */
  tensorParallelSize: number;
  maxModelLen: number;
  /** The GPU the rest of the editor estimates against, and where that came from. */
  currentGpu: string;
  currentGpuSource: string;
  /** The configuration as written on the current GPU (what the hover shows), for the large bar. */
  asWritten: GpuFitRow & { reasons: string[] };
  rows: GpuFitRow[];
}
