// A decoder layer's linear modules (attention projections, MLP or experts) from the architecture's
// shapes, and the parameter counts that follow from them when the catalog has no exact count.
import type { ModelArchitecture } from './types';

// Non-gated MLPs (fc1/fc2) instead of SwiGLU gate/up/down.
const TWO_MATRIX_MLP = new Set([
  'gpt2',
  'opt',
  'gpt_neox',
  'gptj',
  'phi',
  'falcon',
  'bloom',
  'gpt_bigcode',
  'starcoder2',
]);

/** Whether the MLP has gate, up and down projections (3 matrices) or fc1/fc2 (2). */
export function mlpMatrices(arch: ModelArchitecture): 2 | 3 {
  return TWO_MATRIX_MLP.has(arch.modelType) ? 2 : 3;
}

/** A linear module of a decoder layer: its name under `model.layers.<i>.` and its parameters. */
export interface LayerModule {
  name: string;
  params: number;
  /** The MoE expert weights (all experts of the layer as one entry). */
  expert: boolean;
}

const sumParams = (modules: readonly LayerModule[]) => modules.reduce((a, m) => a + m.params, 0);

/** The attention projections of one layer (GQA q/k/v/o, or MLA's low-rank projections). */
export function attentionModules(arch: ModelArchitecture): LayerModule[] {
  const h = arch.hiddenSize;
  const heads = arch.numAttentionHeads;
  if (arch.mla) {
    const { kvLoraRank, qkRopeHeadDim, qkNopeHeadDim = 128, vHeadDim = 128, qLoraRank } = arch.mla;
    const qHead = qkNopeHeadDim + qkRopeHeadDim;
    const q: LayerModule[] = qLoraRank
      ? [
          { name: 'self_attn.q_a_proj', params: h * qLoraRank, expert: false },
          { name: 'self_attn.q_b_proj', params: qLoraRank * heads * qHead, expert: false },
        ]
      : [{ name: 'self_attn.q_proj', params: h * heads * qHead, expert: false }];
    return [
      ...q,
      { name: 'self_attn.kv_a_proj_with_mqa', params: h * (kvLoraRank + qkRopeHeadDim), expert: false },
      { name: 'self_attn.kv_b_proj', params: kvLoraRank * heads * (qkNopeHeadDim + vHeadDim), expert: false },
      { name: 'self_attn.o_proj', params: heads * vHeadDim * h, expert: false },
    ];
  }
  const q = heads * arch.headDim;
  const kv = arch.numKeyValueHeads * arch.headDim;
  return [
    { name: 'self_attn.q_proj', params: h * q, expert: false },
    { name: 'self_attn.k_proj', params: h * kv, expert: false },
    { name: 'self_attn.v_proj', params: h * kv, expert: false },
    { name: 'self_attn.o_proj', params: q * h, expert: false },
  ];
}

/** The MLP of one layer: dense gate/up/down (or up/down), or the router, the experts and the shared experts. */
export function mlpModules(arch: ModelArchitecture, moeLayer: boolean): LayerModule[] {
  const h = arch.hiddenSize;
  if (!moeLayer || !arch.moe) {
    const per = h * arch.intermediateSize;
    const gate: LayerModule[] = mlpMatrices(arch) === 3 ? [{ name: 'mlp.gate_proj', params: per, expert: false }] : [];
    return [
      ...gate,
      { name: 'mlp.up_proj', params: per, expert: false },
      { name: 'mlp.down_proj', params: per, expert: false },
    ];
  }
  const { numExperts, moeIntermediateSize, numSharedExperts = 0 } = arch.moe;
  const out: LayerModule[] = [
    { name: 'mlp.gate', params: h * numExperts, expert: false },
    { name: 'mlp.experts', params: 3 * h * moeIntermediateSize * numExperts, expert: true },
  ];
  if (numSharedExperts > 0)
    out.push({ name: 'mlp.shared_experts', params: 3 * h * moeIntermediateSize * numSharedExperts, expert: false });
  return out;
}

/**
 * Parameters per decoder layer (attention + MLP or experts), excluding embeddings and norms'
 * negligible weights; `params` when the catalog holds an exact count is preferred by callers.
 */
export function layerParams(arch: ModelArchitecture): { attention: number; mlpDense: number; mlpMoe: number } {
  return {
    attention: sumParams(attentionModules(arch)),
    mlpDense: sumParams(mlpModules(arch, false)),
    mlpMoe: arch.moe ? sumParams(mlpModules(arch, true)) : 0,
  };
}

/** Total parameters: the exact count when known, else computed from the shapes. */
export function totalParams(arch: ModelArchitecture): number {
  if (arch.params && arch.params > 0) return arch.params;
  const { attention, mlpDense, mlpMoe } = layerParams(arch);
  const dense = arch.moe ? Math.min(arch.moe.firstKDenseLayers ?? 0, arch.numLayers) : arch.numLayers;
  const moeLayers = arch.moe ? arch.numLayers - dense : 0;
  const layers =
    arch.numLayers * attention + dense * mlpDense + moeLayers * mlpMoe + arch.numLayers * 2 * arch.hiddenSize;
  const embeddings = arch.vocabSize * arch.hiddenSize * (arch.tieWordEmbeddings ? 1 : 2);
  return layers + embeddings;
}
