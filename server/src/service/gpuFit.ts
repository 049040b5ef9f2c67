// "Which GPU do I need?": one launch estimated on every catalog GPU, each at the smallest
// tensor-parallel size that fits, with the headroom and the largest max_model_len that starts.
// Shared by `lm-eval-lens estimate --gpu all`, the code lens "Fits on: …" and the editor's table.
import { freeMemoryWithoutModel } from '../facts/freeMemory';
import type { LaunchFacts } from '../facts/launch';
import { GPU_CATALOG } from '../memory/gpus';
import type { GpuSpec, MemoryEstimate, MemoryReasonCode } from '../memory/types';
import type { GpuFitRow, GpuFitTable, MemorySegment } from '../shared/gpuFitTable';
import { breakdownRows } from './estimateTable';

/** Tensor-parallel sizes tried: one node's worth. */
export const MAX_TENSOR_PARALLEL = 8;
/** max_model_len is searched in steps of this many tokens (as the quick fix proposes it). */
const MAX_MODEL_LEN_STEP = 256;

export function memorySegments(e: MemoryEstimate): MemorySegment[] {
  const segments: MemorySegment[] = breakdownRows(e)
    .filter((r) => r.where === 'inside' || r.where === 'outside')
    .map((r) => ({ label: r.label, bytes: Math.max(0, r.bytes), where: r.where as 'inside' | 'outside' }));
  // Only what lands outside the budget is drawn outside it (the profiled activations absorb part of the spike).
  const spike = segments.find((s) => s.label.startsWith('Prompt-logprob'));
  if (spike) spike.bytes = Math.max(0, e.logprobsSpikeOutsideBytes);
  segments.push({ label: 'Headroom', bytes: Math.max(0, e.headroomBytes), where: 'headroom' });
  return segments.filter((s) => s.bytes > 0 || s.where === 'headroom');
}

function splitsOver(f: LaunchFacts, tp: number): boolean {
  const arch = f.architecture?.architecture;
  if (!arch) return false;
  const kv = arch.mla ? undefined : arch.numKeyValueHeads;
  return arch.numAttentionHeads % tp === 0 && (kv === undefined || kv % tp === 0 || tp % kv === 0);
}

const starts = (e: MemoryEstimate | undefined) =>
  !!e &&
  e.verdict !== 'will-fail' &&
  !e.reasons.some((r) => r.code === 'kv-cache-too-small' || r.code === 'weights-exceed-budget');

function rowOf(f: LaunchFacts, gpu: GpuSpec, tp: number, e: MemoryEstimate, fits: boolean): GpuFitRow {
  return {
    gpu: gpu.name,
    totalBytes: gpu.totalBytes,
    ...(fits ? { tensorParallelSize: tp } : {}),
    gpuCount: e.gpusRequired,
    verdict: e.verdict,
    headroomBytes: e.headroomBytes,
    budgetBytes: e.budgetBytes,
    maxModelLenThatFits: largestMaxModelLen(f, gpu, tp, e.derivedMaxModelLen),
    segments: memorySegments(e),
    oneSequenceKvBytes: e.oneSequenceKvBytes,
  };
}

export function gpuFitRow(f: LaunchFacts, gpu: GpuSpec): GpuFitRow | undefined {
  const written = f.estimate?.effective.tensorParallelSize ?? 1;
  const tried: { tp: number; e: MemoryEstimate }[] = [];
  for (let tp = written; tp <= Math.max(written, MAX_TENSOR_PARALLEL); tp++) {
    if (tp !== written && !splitsOver(f, tp)) continue;
    const e = f.estimateWith({ tensorParallelSize: tp }, gpu);
    if (!e) continue;
    tried.push({ tp, e });
    if (e.verdict === 'fits') break;
  }
  if (!tried.length) return undefined;
  const pick = tried.find((t) => t.e.verdict === 'fits') ?? tried.find((t) => t.e.verdict === 'at-risk');
  const shown = pick ?? tried[0];
  return rowOf(f, gpu, shown.tp, shown.e, pick !== undefined);
}

/** Binary search over multiples of 256: a longer max_model_len never needs less memory. */
function largestMaxModelLen(f: LaunchFacts, gpu: GpuSpec, tp: number, ceiling: number): number | undefined {
  const at = (len: number) => starts(f.estimateWith({ tensorParallelSize: tp, maxModelLen: len }, gpu));
  let hi = Math.floor(ceiling / MAX_MODEL_LEN_STEP);
  if (hi < 1) return at(ceiling) ? ceiling : undefined;
  if (at(ceiling)) return ceiling;
  let lo = 0; // lo: largest step count known to start (0 = none)
  if (!at(MAX_MODEL_LEN_STEP)) return undefined;
  lo = 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (at(mid * MAX_MODEL_LEN_STEP)) lo = mid;
    else hi = mid;
  }
  return lo * MAX_MODEL_LEN_STEP;
}

/** The launch on every catalog GPU, in catalog order. Undefined without an estimate. */
export function gpuFitTable(f: LaunchFacts, gpus: readonly GpuSpec[] = GPU_CATALOG): GpuFitTable | undefined {
  const e = f.estimate;
  if (!e || !f.architecture) return undefined;
  const rows = gpus.map((g) => gpuFitRow(f, g)).filter((r): r is GpuFitRow => r !== undefined);
  const tp = e.effective.tensorParallelSize;
  const asWritten = {
    ...rowOf(f, f.gpu.spec, tp, e, e.verdict !== 'will-fail'),
    reasons: e.reasons.map((r) => r.message),
  };
  return {
    model: f.architecture.architecture.id,
    vllmVersion: f.vllm.text,
    tensorParallelSize: e.effective.tensorParallelSize,
    maxModelLen: e.maxModelLen,
    currentGpu: f.gpu.spec.name,
    currentGpuSource: f.gpu.source,
    asWritten,
    rows,
  };
}

/** "Fits on: L4 ×2, A10G ×2, A100-40GB (+8)": the GPUs that fit, smallest memory first. */
export function fitsOnSummary(table: GpuFitTable, max = 3): string {
  const fitting = table.rows
    .filter((r) => r.tensorParallelSize !== undefined && r.verdict === 'fits')
    .sort((a, b) => a.totalBytes * a.gpuCount - b.totalBytes * b.gpuCount || a.gpuCount - b.gpuCount);
  if (!fitting.length) {
    const risky = table.rows.filter((r) => r.tensorParallelSize !== undefined);
    return risky.length
      ? `Fits on no GPU with margin; at risk on ${risky.length} (see the table)`
      : `Fits on no catalog GPU up to tensor_parallel_size=${MAX_TENSOR_PARALLEL}`;
  }
  const names = fitting.slice(0, max).map((r) => (r.gpuCount > 1 ? `${r.gpuCount}× ${r.gpu}` : r.gpu));
  return `Fits on: ${names.join(', ')}${fitting.length > max ? ` (+${fitting.length - max})` : ''}`;
}

const failsEverywhere = new WeakMap<LaunchFacts, Map<string, boolean>>();

/**
 * Whether the launch fails on every catalog GPU at its own GPU count — for `code`, with that
 * reason as a certain failure; without, for any reason — so a failure judged on an assumed GPU is
 * certain whichever GPU it runs on. Largest first: most launches that fail on the assumed GPU start
 * on the largest one, so this usually costs one estimate.
 */
export function failsOnEveryCatalogGpu(
  f: LaunchFacts,
  code?: MemoryReasonCode,
  gpus: readonly GpuSpec[] = GPU_CATALOG,
): boolean {
  if (!f.isVllm) return false;
  const fails = (e: MemoryEstimate | undefined) =>
    !!e && (code ? e.reasons.some((r) => r.code === code && r.verdict === 'will-fail') : e.verdict === 'will-fail');
  // Without an estimate (an unknown model) only vLLM's free-memory check can be judged.
  const failsOn = f.estimate
    ? (g: GpuSpec) => fails(f.estimateWith({}, g))
    : (g: GpuSpec) => (!code || code === 'gpu-memory-in-use') && freeMemoryWithoutModel(f, g)?.verdict === 'will-fail';
  if (!(f.estimate ? fails(f.estimate) : failsOn(f.gpu.spec))) return false;
  const key = code ?? '';
  const known = failsEverywhere.get(f)?.get(key);
  if (known !== undefined) return known;
  const largestFirst = [...gpus].sort((a, b) => b.totalBytes - a.totalBytes);
  const result = largestFirst.every(failsOn);
  if (!failsEverywhere.has(f)) failsEverywhere.set(f, new Map());
  failsEverywhere.get(f)?.set(key, result);
  return result;
}
