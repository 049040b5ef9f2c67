// Weights per rank, as vLLM loads them: vocab_parallel_embedding.py (vocab rows padded to 64 per
// partition), linear.py (column/row-parallel 1/TP, KV projections replicated when TP exceeds the KV
// heads), the model's make_layers / get_pp_indices (each pipeline stage its layers), the
// quantization method's weight shapes (quantization.ts) and the checkpoint's own size when known.
import { layerParams, totalParams } from '../architectures';
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

/** Layers on the busiest pipeline stage. */
export function layersPerStage(numLayers: number, pp: number): number {
  return Math.ceil(numLayers / Math.max(1, pp));
}

/**
 * Weight bytes on one rank. Linear layers split 1/TP (KV projections replicated when TP exceeds
 * the KV heads); embedding and lm_head are vocab-parallel and stay 16-bit under weight
 * quantization; an untied lm_head is a second vocab × hidden matrix; PP gives each stage its
 * layers, the embedding to the first and the lm_head to the last. Float32 doubles everything.
 */
export function weightsBytesPerRank(arch: ModelArchitecture, o: WeightsOptions): number {
  const tp = Math.max(1, o.tensorParallelSize);
  const pp = Math.max(1, o.pipelineParallelSize);
  const stage = pp === 1 ? 'only' : (o.stage ?? 'first');
  const embedParams = arch.vocabSize * arch.hiddenSize;
  const lmHeadParams = arch.tieWordEmbeddings ? 0 : embedParams;
  const bodyParams = Math.max(0, totalParams(arch) - embedParams - lmHeadParams);
  const { mlpMoe } = layerParams(arch);
  const moeLayers = arch.moe ? arch.numLayers - Math.min(arch.moe.firstKDenseLayers ?? 0, arch.numLayers) : 0;
  const expertParams = arch.moe ? Math.min(bodyParams, moeLayers * mlpMoe) : 0;
  // KV projections replicated when TP > KV heads (get_num_kv_heads): each rank keeps one head.
  let replicatedKvParams = 0;
  if (!arch.mla && tp > arch.numKeyValueHeads) {
    const perRankHeads = 1;
    replicatedKvParams =
      arch.numLayers * 2 * arch.hiddenSize * arch.headDim * (perRankHeads * tp - arch.numKeyValueHeads);
  }
  const q = o.quantization;
  const quantizedParams = q ? (q.expertsOnly ? expertParams : bodyParams) : 0;
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
  const plainBodyParams = bodyParams + replicatedKvParams - quantizedParams;
  const bodyBytes = (plainBodyParams * o.dtypeBytes + quantizedParams * padding * (q?.bytesPerParam ?? 0)) / tp;
  const stageFraction = layersPerStage(arch.numLayers, pp) / arch.numLayers;
  const rowsBytes = vocabRowsPerRank(arch.vocabSize, tp) * arch.hiddenSize * o.dtypeBytes;
  const embedBytes = stage === 'last' ? 0 : rowsBytes;
  const headBytes = stage === 'first' ? 0 : arch.tieWordEmbeddings ? (stage === 'last' ? rowsBytes : 0) : rowsBytes;
  // Modules the checkpoint leaves unquantized, in this stage's layers (the first or last n).
  let keptBytes = 0;
  if (q && o.unquantizedModules) {
    const n = layersPerStage(arch.numLayers, pp);
    const [from, to] =
      stage === 'last' ? [arch.numLayers - n, arch.numLayers] : stage === 'first' ? [0, n] : [0, arch.numLayers];
    const kept = Math.min(
      quantizedParams * stageFraction,
      unquantizedParams(arch, o.unquantizedModules, from, to, q.expertsOnly),
    );
    keptBytes = (kept * (o.dtypeBytes - padding * q.bytesPerParam)) / tp;
  }
  return bodyBytes * stageFraction + keptBytes + embedBytes + headBytes;
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
