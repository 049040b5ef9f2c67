// A Hugging Face config.json → ModelArchitecture: the shapes under whichever key names the model
// family uses, the text model of a multimodal config, rope scaling, the hybrid layers that keep a
// KV cache, sliding windows, MoE and MLA shapes, and the checkpoint's quantization_config.
import { CONFIG_MAX_BYTES } from './modelFileProvider';
import { notModelledReason } from './notModelled';
import { quantizationFromConfig } from './quantization';
import type { ModelArchitecture } from './types';

export type Json = Record<string, unknown>;

/** The value as a JSON object, undefined for arrays, primitives and null. */
export function jsonObject(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

/** The first of the values that is a finite number above 0 (config keys differ by model family). */
export function firstPositive(...vs: unknown[]): number | undefined {
  for (const v of vs) if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  return undefined;
}

// Models whose config omits tie_word_embeddings and whose class ties by default (transformers).
const TIED_BY_DEFAULT = new Set([
  'gemma',
  'gemma2',
  'gemma3',
  'gemma3_text',
  'gpt2',
  'opt',
  'falcon',
  'bloom',
  'gpt_bigcode',
  'phi',
]);

// Layer kinds without a per-token KV cache; any other name counts as attention (never undercount).
const STATE_LAYER_TYPES = new Set([
  'linear_attention',
  'mamba',
  'mamba2',
  'conv',
  'short_conv',
  'recurrent',
  'linear',
  'gated_deltanet',
  'deltanet',
  'kda',
]);

/**
 * How many layers of a hybrid model keep a KV cache, from whichever field its config uses:
 * `layer_types` (Qwen3.5, Granite-4: "linear_attention"/"mamba" vs "full_attention"),
 * `full_attention_interval` (Qwen3-Next), `hybrid_override_pattern` (Nemotron-H: '*' = attention),
 * `layers_block_type` or `attn_layer_period`/`attn_layer_offset` (Jamba), and
 * `linear_attn_config.full_attn_layers` (Kimi-Linear). Undefined for a plain transformer.
 */
export function hybridKvCacheLayers(c: Record<string, unknown>, numLayers: number): number | undefined {
  const within = (n: number) => (n > 0 && n < numLayers ? n : undefined);
  if (Array.isArray(c.layer_types)) {
    const names = c.layer_types.filter((t): t is string => typeof t === 'string');
    const attention = names.length - names.filter((t) => STATE_LAYER_TYPES.has(t)).length;
    return names.length === numLayers ? within(attention) : undefined;
  }
  const interval = firstPositive(c.full_attention_interval);
  if (interval && interval > 1) return within(Math.floor(numLayers / interval));
  if (typeof c.hybrid_override_pattern === 'string')
    return within([...c.hybrid_override_pattern].filter((ch) => ch === '*').length);
  if (Array.isArray(c.layers_block_type)) return within(c.layers_block_type.filter((t) => t === 'attention').length);
  const period = firstPositive(c.attn_layer_period);
  if (period && period > 0) {
    const offset = firstPositive(c.attn_layer_offset) ?? 0;
    let n = 0;
    for (let i = 0; i < numLayers; i++) if (i % period === offset) n++;
    return within(n);
  }
  const linear = c.linear_attn_config;
  if (linear && typeof linear === 'object' && Array.isArray((linear as Record<string, unknown>).full_attn_layers)) {
    return within(((linear as Record<string, unknown>).full_attn_layers as unknown[]).length);
  }
  return undefined;
}

/** Parse a Hugging Face config.json (text_config for multimodal models). Undefined when the shapes are missing. */
export function parseConfigJson(text: string, id: string): ModelArchitecture | undefined {
  if (typeof text !== 'string' || text.length > CONFIG_MAX_BYTES) return undefined;
  let root: Json | undefined;
  try {
    root = jsonObject(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!root) return undefined;
  const inner = jsonObject(root.text_config) ?? jsonObject(root.llm_config) ?? jsonObject(root.language_config);
  const c: Json = inner ? { ...root, ...inner } : root;
  const modelType = String(inner?.model_type ?? root.model_type ?? 'unknown');
  const arch = coreShapes(c, id, modelType);
  if (!arch) return undefined;
  const dtype = typeof c.torch_dtype === 'string' ? c.torch_dtype : typeof c.dtype === 'string' ? c.dtype : undefined;
  if (dtype) arch.torchDtype = dtype;
  const ropeScaling = ropeScalingOf(c);
  if (ropeScaling) arch.ropeScaling = ropeScaling;
  const kvLayers = hybridKvCacheLayers(c, arch.numLayers);
  if (kvLayers !== undefined) arch.kvCacheLayers = kvLayers;
  const slidingWindow = slidingWindowOf(c, modelType, kvLayers ?? arch.numLayers);
  if (slidingWindow) arch.slidingWindow = slidingWindow;
  const moe = moeShapes(c, arch.intermediateSize);
  if (moe) arch.moe = moe;
  const mla = mlaShapes(c);
  if (mla) arch.mla = mla;
  const notModelled = notModelledReason(modelType, c);
  if (notModelled) arch.notModelled = notModelled;
  const quant = quantizationFromConfig(root.quantization_config ?? c.quantization_config);
  if (quant) arch.checkpointQuantization = quant;
  return arch;
}

const POSITION_KEYS = [
  'max_position_embeddings',
  'n_positions',
  'max_seq_len',
  'seq_length',
  'max_sequence_length',
  'max_seq_length',
  'seq_len',
];

/** Layers, widths, heads, vocabulary and positions; undefined when one the estimate needs is missing. */
function coreShapes(c: Json, id: string, modelType: string): ModelArchitecture | undefined {
  const numLayers = firstPositive(c.num_hidden_layers, c.n_layer, c.num_layers, c.n_layers);
  const hiddenSize = firstPositive(c.hidden_size, c.n_embd, c.d_model, c.dim);
  const heads = firstPositive(c.num_attention_heads, c.n_head, c.num_heads, c.n_heads);
  const vocab = firstPositive(c.vocab_size, c.padded_vocab_size);
  if (!numLayers || !hiddenSize || !heads || !vocab) return undefined;
  const kvHeads =
    firstPositive(c.num_key_value_heads, c.n_head_kv, c.num_kv_heads, c.multi_query === true ? 1 : undefined) ?? heads;
  const headDim = firstPositive(c.head_dim) ?? Math.floor(hiddenSize / heads);
  const positions = POSITION_KEYS.map((k) => firstPositive(c[k])).filter((v): v is number => v !== undefined);
  return {
    id,
    modelType,
    numLayers,
    hiddenSize,
    intermediateSize: firstPositive(c.intermediate_size, c.n_inner, c.ffn_dim, c.ffn_hidden_size) ?? 4 * hiddenSize,
    numAttentionHeads: heads,
    numKeyValueHeads: kvHeads,
    headDim,
    vocabSize: vocab,
    maxPositionEmbeddings: positions.length ? Math.min(...positions) : 2048,
    tieWordEmbeddings:
      typeof c.tie_word_embeddings === 'boolean' ? c.tie_word_embeddings : TIED_BY_DEFAULT.has(modelType),
  };
}

/** `rope_scaling` (or `rope_parameters`) when it changes anything: a type other than default, or a factor. */
function ropeScalingOf(c: Json): ModelArchitecture['ropeScaling'] {
  const rs = jsonObject(c.rope_scaling) ?? jsonObject(c.rope_parameters);
  if (!rs) return undefined;
  const type = String(rs.rope_type ?? rs.type ?? 'default');
  const scaling: NonNullable<ModelArchitecture['ropeScaling']> = { type };
  const factor = firstPositive(rs.factor);
  if (factor) scaling.factor = factor;
  const orig = firstPositive(rs.original_max_position_embeddings, c.original_max_position_embeddings);
  if (orig) scaling.originalMaxPositionEmbeddings = orig;
  return type !== 'default' || factor ? scaling : undefined;
}

/**
 * The sliding window and which of the `flagLayers` layers that hold a KV cache use it: per layer
 * from `layer_types`, every other layer (Gemma 2), by `sliding_window_pattern`, else all of them;
 * none for Qwen2 and Qwen2-MoE, whose configs name a `sliding_window` they do not apply.
 */
function slidingWindowOf(c: Json, modelType: string, flagLayers: number): ModelArchitecture['slidingWindow'] {
  const window = firstPositive(c.sliding_window);
  if (!window || c.use_sliding_window === false) return undefined;
  // Sliding flags of the layers that hold a KV cache (a hybrid model's attention layers).
  const attentionTypes = Array.isArray(c.layer_types)
    ? c.layer_types.filter((t) => typeof t === 'string' && !STATE_LAYER_TYPES.has(t))
    : undefined;
  const types = attentionTypes?.map((t) => t === 'sliding_attention');
  const pattern = firstPositive(c.sliding_window_pattern);
  if (types && types.length === flagLayers) return { window, layers: types };
  if (modelType === 'gemma2') return { window, layers: Array.from({ length: flagLayers }, (_, i) => i % 2 === 0) };
  if (pattern && pattern > 1)
    return { window, layers: Array.from({ length: flagLayers }, (_, i) => (i + 1) % pattern !== 0) };
  if (modelType !== 'qwen2' && modelType !== 'qwen2_moe') return { window, layers: 'all' };
  return undefined;
}

/** Routed experts, experts per token, their width, shared experts and leading dense layers. */
function moeShapes(c: Json, intermediateSize: number): ModelArchitecture['moe'] {
  const experts = firstPositive(c.num_local_experts, c.num_experts, c.n_routed_experts);
  const perToken = firstPositive(c.num_experts_per_tok, c.moe_top_k);
  if (!experts || !perToken) return undefined;
  const moe: NonNullable<ModelArchitecture['moe']> = {
    numExperts: experts,
    expertsPerToken: perToken,
    moeIntermediateSize: firstPositive(c.moe_intermediate_size, c.expert_intermediate_size) ?? intermediateSize,
  };
  const shared = firstPositive(c.n_shared_experts, c.num_shared_experts);
  if (shared) moe.numSharedExperts = shared;
  const firstK = firstPositive(c.first_k_dense_replace);
  if (firstK) moe.firstKDenseLayers = firstK;
  return moe;
}

/** Multi-head latent attention's ranks and head sizes (DeepSeek-V2/V3, Kimi-K2). */
function mlaShapes(c: Json): ModelArchitecture['mla'] {
  const kvLora = firstPositive(c.kv_lora_rank);
  const rope = firstPositive(c.qk_rope_head_dim);
  if (!kvLora || !rope) return undefined;
  const mla: NonNullable<ModelArchitecture['mla']> = { kvLoraRank: kvLora, qkRopeHeadDim: rope };
  const nope = firstPositive(c.qk_nope_head_dim);
  if (nope) mla.qkNopeHeadDim = nope;
  const v = firstPositive(c.v_head_dim);
  if (v) mla.vHeadDim = v;
  const q = firstPositive(c.q_lora_rank);
  if (q) mla.qLoraRank = q;
  return mla;
}
