// Weights per rank, as vLLM loads them: vocab_parallel_embedding.py (vocab rows padded to 64 per
// partition), linear.py (column/row-parallel 1/TP, KV projections replicated when TP exceeds the KV
// heads), the model's make_layers / get_pp_indices (each pipeline stage its layers), the
// quantization method's weight shapes (quantization.ts) and the checkpoint's own size when known.
import { layerParams, totalParams } from '../layerModules';
import { mxfp4ExpertLayout, type ExpertLayout, type QuantizedWeightCost } from '../quantization';
import type { ModelArchitecture, UnquantizedModules } from '../types';
import { unquantizedParams } from '../unquantizedModules';

export interface WeightsOptions {
  dtypeBytes: number;
  quantization?: QuantizedWeightCost;
  tensorParallelSize: number;
  pipelineParallelSize: number;
  /** Which pipeline stage: the first holds the embedding, the last the lm_head. */
  stage?: 'first' | 'last' | 'only';
  /**
   * The decoder layers this rank holds, [from, to) (get_pp_indices). Default: the whole model
   * with PP 1, else the first or last stage of the default split.
   */
  layerRange?: readonly [number, number];
  /** Modules the checkpoint keeps in the model dtype despite `quantization`. */
  unquantizedModules?: UnquantizedModules;
  /** Experts-only (MXFP4) quantization: how the MoE backend pads each expert. Default: Marlin's. */
  expertLayout?: ExpertLayout;
}

/** The MXFP4 expert layout when none is given: Marlin's, the backend every CUDA GPU can run. */
const MARLIN_EXPERTS: ExpertLayout = mxfp4ExpertLayout(undefined, { major: 0, minor: 0, patch: 0 });

/** How a checkpoint's files hold MXFP4 experts: unpadded (the backend pads them at load time). */
export const UNPADDED_EXPERTS: ExpertLayout = { intermediateMultiple: 1, hiddenMultiple: 1, label: 'unpadded' };

/** Vocabulary rows one TP rank holds: padded to a multiple of 64 per partition (DEFAULT_VOCAB_PADDING_SIZE). */
export function vocabRowsPerRank(vocabSize: number, tp: number): number {
  const perRank = Math.ceil(vocabSize / Math.max(1, tp));
  return Math.ceil(perRank / 64) * 64;
}

/** Layers on the busiest pipeline stage of the default split. */
export function layersPerStage(numLayers: number, pp: number): number {
  return Math.max(...ppPartition(numLayers, pp).layers);
}

export interface PpPartition {
  /** Decoder layers of each stage, first to last. */
  layers: number[];
  /** Set when VLLM_PP_LAYER_PARTITION was given but vLLM would refuse it. */
  invalidOverride?: string;
}

/**
 * The layers each pipeline stage owns, as `get_pp_indices` (vllm/distributed/utils.py) splits
 * them: `VLLM_PP_LAYER_PARTITION` when it has pp entries summing to the layer count (else vLLM
 * raises ValueError); otherwise num_layers // pp each, the leftover layers given one each to the
 * stages before the last, from the second-to-last backwards ("Hidden layers were unevenly
 * partitioned").
 */
export function ppPartition(numLayers: number, pp: number, override?: readonly number[]): PpPartition {
  const n = Math.max(1, Math.floor(pp));
  const L = Math.max(0, Math.floor(numLayers));
  let invalidOverride: string | undefined;
  if (override?.length) {
    const sum = override.reduce((a, b) => a + b, 0);
    if (override.length === n && sum === L) return { layers: [...override] };
    invalidOverride = `VLLM_PP_LAYER_PARTITION=${override.join(',')} has ${override.length} entries summing to ${sum}; vLLM needs ${n} summing to ${L} and raises ValueError`;
  }
  const per = Math.floor(L / n);
  const layers = Array.from({ length: n }, () => per);
  const rest = L % n;
  for (let i = 2; i < rest + 2; i++) layers[n - i] += 1;
  return invalidOverride ? { layers, invalidOverride } : { layers };
}

/** [from, to) of each stage. */
export function stageRanges(partition: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (const n of partition) {
    out.push([from, from + n]);
    from += n;
  }
  return out;
}

/**
 * Weight bytes on one rank: the parameters of the decoder layers it owns, divided by TP, plus the
 * embedding on the first stage and the lm_head on the last (tied: on both). Linear layers split
 * 1/TP (KV projections replicated when TP exceeds the KV heads); embedding and lm_head are
 * vocab-parallel and stay 16-bit under weight quantization. A MoE model's leading dense layers
 * (first_k_dense_replace) are lighter than its MoE layers, so they count where they sit.
 * Float32 doubles everything.
 */
export function weightsBytesPerRank(arch: ModelArchitecture, o: WeightsOptions): number {
  const tp = Math.max(1, o.tensorParallelSize);
  const pp = Math.max(1, o.pipelineParallelSize);
  const L = arch.numLayers;
  const stage = pp === 1 ? 'only' : (o.stage ?? 'first');
  const ranges = stageRanges(ppPartition(L, pp).layers);
  const [from, to] =
    o.layerRange ?? (stage === 'last' ? ranges[ranges.length - 1] : stage === 'first' ? ranges[0] : [0, L]);
  const hasEmbedding = stage !== 'last';
  const hasHead = stage !== 'first';
  const owned = Math.max(0, Math.min(to, L) - Math.max(0, from));

  const embedParams = arch.vocabSize * arch.hiddenSize;
  const lmHeadParams = arch.tieWordEmbeddings ? 0 : embedParams;
  const bodyParams = Math.max(0, totalParams(arch) - embedParams - lmHeadParams);
  const { mlpDense, mlpMoe } = layerParams(arch);
  // Which layers are MoE: all but the first k dense ones.
  const k = arch.moe ? Math.min(arch.moe.firstKDenseLayers ?? 0, L) : L;
  const denseOwned = Math.max(0, Math.min(to, k) - Math.max(0, from));
  const moeOwned = arch.moe ? owned - denseOwned : 0;
  const mlpAll = k * mlpDense + (arch.moe ? (L - k) * mlpMoe : 0);
  // Attention, norms and the rest, equal in every layer; if the catalog's count is below the
  // shapes' (an inexact total), the MLPs are scaled to it.
  const mlpScale = mlpAll > bodyParams && mlpAll > 0 ? bodyParams / mlpAll : 1;
  const otherPerLayer = Math.max(0, bodyParams - mlpAll) / Math.max(1, L);
  const stageBody = (denseOwned * mlpDense + moeOwned * mlpMoe) * mlpScale + owned * otherPerLayer;
  const expertParams = moeOwned * mlpMoe * mlpScale;
  // KV projections replicated when TP > KV heads (get_num_kv_heads): each rank keeps one head.
  let replicatedKvParams = 0;
  if (!arch.mla && tp > arch.numKeyValueHeads)
    replicatedKvParams = owned * 2 * arch.hiddenSize * arch.headDim * (tp - arch.numKeyValueHeads);
  const q = o.quantization;
  const quantizedParams = q ? (q.expertsOnly ? expertParams : stageBody) : 0;
  let padding = 1;
  if (q?.expertsOnly && arch.moe) {
    // MXFP4 MoE backends pad each expert's per-rank intermediate size and the hidden size.
    const layout = o.expertLayout ?? MARLIN_EXPERTS;
    const inter = Math.max(1, Math.ceil(arch.moe.moeIntermediateSize / tp));
    const roundUp = (x: number, m: number) => Math.ceil(x / m) * m;
    padding =
      (roundUp(inter, layout.intermediateMultiple) * roundUp(arch.hiddenSize, layout.hiddenMultiple)) /
      (inter * arch.hiddenSize);
  }
  const plainBodyParams = stageBody + replicatedKvParams - quantizedParams;
  const bodyBytes = (plainBodyParams * o.dtypeBytes + quantizedParams * padding * (q?.bytesPerParam ?? 0)) / tp;
  const rowsBytes = vocabRowsPerRank(arch.vocabSize, tp) * arch.hiddenSize * o.dtypeBytes;
  const embedBytes = hasEmbedding ? rowsBytes : 0;
  // The last stage holds the lm_head; tied embeddings put the matrix on the first stage too.
  const headBytes = !hasHead ? 0 : arch.tieWordEmbeddings ? (hasEmbedding ? 0 : rowsBytes) : rowsBytes;
  // Modules the checkpoint leaves unquantized, in this rank's layers.
  let keptBytes = 0;
  if (q && o.unquantizedModules) {
    const kept = Math.min(quantizedParams, unquantizedParams(arch, o.unquantizedModules, from, to, q.expertsOnly));
    keptBytes = (kept * (o.dtypeBytes - padding * q.bytesPerParam)) / tp;
  }
  return bodyBytes + keptBytes + embedBytes + headBytes;
}

/**
 * The factor that scales computed weights to the checkpoint's exact size (safetensors index
 * `metadata.total_size`), or 1 when the size is unknown or too far off to be the same weights
 * (outside 0.8–1.25: another dtype or a partial index).
 */
export function checkpointScale(
  arch: ModelArchitecture,
  checkpointBytesPerParam: number,
  quantization: QuantizedWeightCost | undefined,
  unquantizedModules: UnquantizedModules | undefined,
): number {
  if (!arch.checkpointBytes || arch.checkpointBytes <= 0) return 1;
  const computed = weightsBytesPerRank(arch, {
    dtypeBytes: checkpointBytesPerParam,
    quantization,
    tensorParallelSize: 1,
    pipelineParallelSize: 1,
    unquantizedModules,
    expertLayout: UNPADDED_EXPERTS, // the files hold the experts unpadded
  });
  const ratio = computed > 0 ? arch.checkpointBytes / computed : 1;
  return ratio > 0.8 && ratio < 1.25 ? ratio : 1;
}
