// The judges: one per diagnostic code the memory model reports, each deciding from the estimate's
// figures whether vLLM refuses to start (start-up phase, in the order vLLM checks: max_model_len in
// `_get_and_verify_max_len`, free memory in `init_device`, the KV budget in
// `determine_available_memory`, the one-request check in `check_enough_kv_cache_memory`) or runs
// out after start-up (what sits outside util × total must fit in the rest of the device).
// reference/vllm-memory.md §1, §3, §6.
import { GiB } from '../shared/units';
import { isFloat32Dtype } from './defaults';
import { CUDA_CONTEXT_BYTES, cudaContextBytes, wholeDeviceAccounting } from './terms/nonTorch';
import type { ResolvedInputs } from './inputs';
import type { EstimateReason, GpuSpec, MemoryReasonCode, Verdict, VllmVersion } from './types';
import { atLeast, type Engine, versionText } from './version';
import {
  freeMemoryMessage,
  maxModelLenMessage,
  maxSeqLenMessage,
  noCacheMemoryMessage,
  V0_CUDA_GRAPHS_WARNING,
} from './vllmMessages';

const gib = (bytes: number, digits = 2) => (bytes / GiB).toFixed(digits);

/** The figures a judge reads: the composed estimate of one rank, before any verdict. */
export interface BudgetFigures {
  inputs: ResolvedInputs;
  /** util × total. */
  budgetBytes: number;
  /** The budget in effect (util × total, or the fixed KV size plus the rest with kv_cache_memory_bytes). */
  effectiveBudgetBytes: number;
  contextBytes: number;
  /** The parts of the context and other processes' memory that sit outside the budget (not whole-device). */
  contextOutsideBytes: number;
  othersOutsideBytes: number;
  graphsOutsideBytes: number;
  spikeBytes: number;
  spikeOutsideBytes: number;
  headroomBytes: number;
  /** How far over the headroom the outside terms may be before a run is called at risk rather than fine. */
  outsideMarginBytes: number;
  /** The heaviest rank's weights (what loading must fit) and the binding rank's. */
  largestWeightsBytes: number;
  busiestWeightsBytes: number;
  /** Relative band of the weights. */
  weightsBand: number;
  kvCacheBytes: number;
  kvCacheTokens: number;
  /** KV bytes one sequence's engine can use (V0 + PP: one virtual engine's share). */
  schedulableKvBytes: number;
  oneSequenceKvBytes: number;
  /** Relative KV band, and the same in bytes of the binding rank's KV cache. */
  errorBand: number;
  kvBandBytes: number;
  /** V0 + PP splits the KV blocks over this many virtual engines (1 otherwise). */
  virtualEngines: number;
}

export interface Judgement {
  /** Start-up refusals come first, in vLLM's order; then what fails after start-up. */
  phase: 'startup' | 'runtime';
  verdict: Verdict;
  reason?: Omit<EstimateReason, 'verdict'>;
  assumption?: string;
}

type Judge = (f: BudgetFigures) => Judgement | undefined;

const failOrRisk = (shortfall: number, margin: number): Verdict => (shortfall < -margin ? 'will-fail' : 'at-risk');

/** The weights alone exceed what the device has once the CUDA context exists. */
function weightsOverDevice(f: BudgetFigures): boolean {
  return f.largestWeightsBytes > f.inputs.totalBytes - f.contextBytes;
}

/** Nothing left for the KV cache: the weights alone exceed the device, or the budget is spent. */
function noRoomForKvCache(f: BudgetFigures): boolean {
  return weightsOverDevice(f) || f.kvCacheBytes <= 0 || f.kvCacheTokens === 0;
}

const pctText = (band: number) => `±${Math.max(1, Math.round(band * 100))} %`;

/** What a warning inside the band says (issue #15): the shortfall is within the estimate's own error. */
export function atRiskText(band: number): string {
  return `at risk: within the estimate's ${pctText(band)}`;
}

/**
 * The one judge of `float32-weights`, also asked by the rule when no estimate exists (unknown
 * model): whether `dtype=` loads float32 weights, and what that costs per GPU when known.
 */
export function float32WeightsReason(
  dtypeSetting: string | undefined,
  weightsBytes?: number,
): EstimateReason | undefined {
  if (!isFloat32Dtype(dtypeSetting)) return undefined;
  const size =
    weightsBytes !== undefined
      ? `${gib(weightsBytes, 1)} GiB of weights per GPU instead of about ${gib(weightsBytes / 2, 1)} GiB; a`
      : 'A';
  return {
    code: 'float32-weights',
    message: `${size}ctivations and the KV cache (with kv_cache_dtype=auto) double too.`,
    verdict: 'fits',
  };
}

/** What the free-memory check reads: no model figures, so it also runs for an unknown model. */
export type FreeMemoryFigures = Pick<
  BudgetFigures,
  | 'budgetBytes'
  | 'effectiveBudgetBytes'
  | 'contextBytes'
  | 'contextOutsideBytes'
  | 'othersOutsideBytes'
  | 'outsideMarginBytes'
> & { inputs: Pick<ResolvedInputs, 'gpu' | 'engine' | 'version' | 'totalBytes' | 'util'> };

/**
 * The budget against what vLLM finds free, or what other processes and its own context hold.
 */
export function judgeFreeMemory(f: FreeMemoryFigures): Judgement | undefined {
  const { gpu, engine, version, totalBytes, util } = f.inputs;
  // vLLM measures free memory after its own CUDA context exists (and, from 0.11, after NCCL's
  // start-up buffers, #25359): that is what util × total must fit in. A context's size varies by
  // stack, so a shortfall smaller than half of it is a risk, not a certainty.
  const contextSlack = f.contextBytes / 2;
  // From 0.9.1 V1 refuses to start when free < util × total (#18974, in vllm/v1/worker/gpu_worker.py
  // `init_device`; since #30868 `request_memory` in vllm/v1/worker/utils.py). At util 1.0 the
  // context alone makes free < total, so it always refuses. 0.9.1 is the first release with it
  // (vllm-project/vllm#20305; vllm-project/llm-compressor#1560: "starting from version 0.9.1").
  const checksFree = engine === 'V1' && atLeast(version, 0, 9, 1);
  if (checksFree) {
    const freeAtStartup = (gpu.freeBytes ?? totalBytes) - f.contextBytes;
    if (freeAtStartup < f.budgetBytes)
      return {
        phase: 'startup',
        verdict: f.budgetBytes - freeAtStartup > contextSlack ? 'will-fail' : 'at-risk',
        reason: {
          code: 'gpu-memory-in-use',
          message: freeMemoryMessage(version, Math.max(0, freeAtStartup), totalBytes, util),
        },
      };
  }
  // Otherwise nothing stops the budget from overlapping what other processes or this process's
  // context hold (V0 and V1 before 0.9.1 size it from the total; a fixed kv_cache_memory_bytes
  // is allocated whatever is free): the KV cache allocation or a later step runs out of memory.
  // Whole-device accounting (0.6.4, V1 0.8.0–0.9.0) charges both to the budget, so neither is
  // outside it then.
  const left = totalBytes - f.effectiveBudgetBytes - f.othersOutsideBytes - f.contextOutsideBytes;
  const others = !checksFree && f.othersOutsideBytes > 0 && left < f.outsideMarginBytes;
  if (!others && !(left < 0)) return undefined;
  const held =
    f.othersOutsideBytes > 0
      ? `Other processes hold ${gib(f.othersOutsideBytes)} GiB of the ${gib(totalBytes)} GiB device`
      : `vLLM's own CUDA context${f.contextOutsideBytes > CUDA_CONTEXT_BYTES ? ' and NCCL buffers' : ''} (about ${gib(f.contextOutsideBytes)} GiB) sit outside the budget, yet the budget leaves only ${gib(Math.max(0, totalBytes - f.effectiveBudgetBytes))} GiB of the ${gib(totalBytes)} GiB device for them`;
  const sizing = checksFree
    ? `vLLM ${versionText(version)} allocates the fixed kv_cache_memory_bytes on top of the rest`
    : `vLLM ${versionText(version)} sizes its budget from the total (${util} × total = ${gib(f.budgetBytes)} GiB) and does not check free memory`;
  return {
    phase: 'runtime',
    verdict: left < (f.othersOutsideBytes > 0 ? 0 : -contextSlack) ? 'will-fail' : 'at-risk',
    reason: {
      code: 'gpu-memory-in-use',
      message: `${held}; ${sizing}, so the KV cache allocation or a later step runs out of memory.`,
    },
  };
}

/**
 * The free-memory judge for a launch whose model is not known (QA3 F5): vLLM ≥ 0.9.1 compares
 * free memory with util × total before it loads anything, so the refusal does not depend on the
 * model. What older releases do depends on the model's figures: at most a risk here.
 */
export function freeMemoryReasonWithoutModel(i: {
  util: number;
  gpu: GpuSpec;
  version: VllmVersion;
  engine: Engine;
  worldSize: number;
}): EstimateReason | undefined {
  const totalBytes = i.gpu.totalBytes;
  const contextBytes = cudaContextBytes(i.engine, i.version, i.worldSize);
  const wholeDevice = wholeDeviceAccounting(i.engine, i.version);
  const budgetBytes = i.util * totalBytes;
  const othersBytes = i.gpu.freeBytes !== undefined ? Math.max(0, totalBytes - i.gpu.freeBytes) : 0;
  const j = judgeFreeMemory({
    inputs: { gpu: i.gpu, engine: i.engine, version: i.version, totalBytes, util: i.util },
    budgetBytes,
    effectiveBudgetBytes: budgetBytes,
    contextBytes,
    contextOutsideBytes: wholeDevice ? 0 : contextBytes,
    othersOutsideBytes: wholeDevice ? 0 : othersBytes,
    outsideMarginBytes: 0,
  });
  if (!j?.reason) return undefined;
  const verdict = j.phase === 'runtime' && j.verdict === 'will-fail' ? 'at-risk' : j.verdict;
  return { ...j.reason, verdict };
}

export const JUDGES: Record<MemoryReasonCode, Judge> = {
  'max-model-len-too-long'(f) {
    const { userMaxModelLen: len, derivedMaxModelLen: derived, settings } = f.inputs;
    if (!(len && len > derived && !settings.allowLongMaxModelLen)) return undefined;
    return {
      phase: 'startup',
      verdict: 'will-fail',
      reason: { code: 'max-model-len-too-long', message: maxModelLenMessage(len, derived) },
    };
  },

  'gpu-memory-in-use': judgeFreeMemory,

  'weights-exceed-budget'(f) {
    const { totalBytes, engine, version } = f.inputs;
    // Certain only when even the low end of the band fails: the weights' band for loading, the
    // KV band for what the budget leaves.
    if (weightsOverDevice(f)) {
      const certain = f.largestWeightsBytes * (1 - f.weightsBand) > totalBytes - f.contextBytes;
      return {
        phase: 'startup',
        verdict: certain ? 'will-fail' : 'at-risk',
        reason: {
          code: 'weights-exceed-budget',
          message:
            `The weights alone (${gib(f.largestWeightsBytes)} GiB per GPU) exceed the ${gib(totalBytes)} GiB device: loading fails with torch.OutOfMemoryError: CUDA out of memory.` +
            (certain ? '' : ` (${atRiskText(f.weightsBand)} on the weights)`),
        },
      };
    }
    if (!noRoomForKvCache(f)) return undefined;
    const certain = f.kvCacheBytes + f.kvBandBytes <= 0;
    return {
      phase: 'startup',
      verdict: certain ? 'will-fail' : 'at-risk',
      reason: { code: 'weights-exceed-budget', message: noCacheMemoryMessage(engine, version) },
    };
  },

  'kv-cache-too-small'(f) {
    if (noRoomForKvCache(f)) return undefined; // weights-exceed-budget reports it
    const { engine, version, maxModelLen, blockSize } = f.inputs;
    const oneSeq = f.oneSequenceKvBytes;
    if (f.schedulableKvBytes < oneSeq) {
      const estimatedMaxLen = Math.max(
        0,
        Math.floor(((f.schedulableKvBytes / oneSeq) * maxModelLen) / blockSize) * blockSize,
      );
      // A shortfall inside the band may not happen: a warning, not a certain refusal.
      const certain = f.schedulableKvBytes + f.kvBandBytes / f.virtualEngines < oneSeq;
      return {
        phase: 'startup',
        verdict: certain ? 'will-fail' : 'at-risk',
        reason: {
          code: 'kv-cache-too-small',
          message: maxSeqLenMessage(
            engine,
            version,
            maxModelLen,
            f.kvCacheTokens,
            oneSeq,
            f.schedulableKvBytes,
            estimatedMaxLen,
          ),
        },
      };
    }
    if (!(f.schedulableKvBytes - f.kvBandBytes / f.virtualEngines < oneSeq)) return undefined;
    // Held by the estimate, not by the low end of its band: a caveat, not a verdict. A verdict
    // other than `fits` always comes with a reason a rule reports (QA D8: `at-risk` with no finding);
    // a warning here would fire on sound configurations whenever the band is wide (±85 % for V1 ≥ 0.21).
    return {
      phase: 'startup',
      verdict: 'fits',
      assumption: `the KV cache holds one max_model_len sequence by less than the ±${Math.round(f.errorBand * 100)} % error band`,
    };
  },

  'cuda-graph-headroom'(f) {
    const headroomWithoutSpike = f.headroomBytes + f.spikeOutsideBytes;
    if (!(f.graphsOutsideBytes > 0 && headroomWithoutSpike < f.outsideMarginBytes)) return undefined;
    const message =
      f.inputs.engine === 'V0'
        ? `vLLM warns: "${V0_CUDA_GRAPHS_WARNING}"`
        : `CUDA graphs (${gib(f.graphsOutsideBytes)} GiB) are captured after the KV cache is allocated and are not part of the budget before vLLM 0.21.`;
    return {
      phase: 'runtime',
      verdict: failOrRisk(headroomWithoutSpike, f.outsideMarginBytes),
      reason: { code: 'cuda-graph-headroom', message },
    };
  },

  'logprobs-spike'(f) {
    if (!(f.spikeOutsideBytes > 0 && f.headroomBytes < f.outsideMarginBytes)) return undefined;
    const { engine, maxNumBatchedTokens: mnbt, maxModelLen, arch } = f.inputs;
    const where =
      engine === 'V0'
        ? `V0 materialises ${mnbt} prompt tokens × ${arch.vocabSize} vocab at once`
        : `V1 materialises up to ${Math.min(maxModelLen, mnbt)} tokens × ${arch.vocabSize} vocab per request on every TP rank`;
    return {
      phase: 'runtime',
      verdict: failOrRisk(f.headroomBytes, f.outsideMarginBytes),
      reason: {
        code: 'logprobs-spike',
        message: `Prompt logprobs need ${gib(f.spikeBytes)} GiB transient (${where}); ${gib(f.spikeOutsideBytes)} GiB of it lands outside the budget, leaving ${gib(f.headroomBytes)} GiB of headroom. vLLM's profile run never includes it (vllm-project/vllm#5907).`,
      },
    };
  },

  'float32-weights'(f) {
    const reason = float32WeightsReason(f.inputs.settings.dtype, f.busiestWeightsBytes);
    return reason ? { phase: 'runtime', verdict: 'fits', reason } : undefined;
  },
};

/** The order the judges' reasons are listed in within a phase: vLLM's own order of checks. */
const JUDGE_ORDER: readonly MemoryReasonCode[] = [
  'max-model-len-too-long',
  'gpu-memory-in-use',
  'weights-exceed-budget',
  'kv-cache-too-small',
  'cuda-graph-headroom',
  'logprobs-spike',
  'float32-weights',
];

const SEVERITY: Record<Verdict, number> = { fits: 0, 'at-risk': 1, 'will-fail': 2 };

/** Every judge over the figures: the verdict (the worst), the reasons, and the judges' assumptions. */
export function judge(f: BudgetFigures): { verdict: Verdict; reasons: EstimateReason[]; assumptions: string[] } {
  const found = JUDGE_ORDER.map((code) => JUDGES[code](f)).filter((j): j is Judgement => j !== undefined);
  const ordered = [...found.filter((j) => j.phase === 'startup'), ...found.filter((j) => j.phase === 'runtime')];
  let verdict: Verdict = 'fits';
  for (const j of ordered) if (SEVERITY[j.verdict] > SEVERITY[verdict]) verdict = j.verdict;
  return {
    verdict,
    reasons: ordered.flatMap((j) => (j.reason ? [{ ...j.reason, verdict: j.verdict }] : [])),
    assumptions: ordered.flatMap((j) => (j.assumption ? [j.assumption] : [])),
  };
}
