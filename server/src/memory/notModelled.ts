// Architectures with a part of their memory no formula here covers. They resolve (the user sees
// which model it is) but get no estimate: a wrong number costs more trust than none.
const DSA =
  "DeepSeek Sparse Attention: besides the MLA latent cache, every layer's indexer keeps its own per-token key cache (index_head_dim in FP8 with scales), which the KV-cache formula does not count";
const GEMMA3N =
  "Gemma 3n: the last layers reuse earlier layers' KV cache (num_kv_shared_layers), and per-layer embeddings and AltUp add weights outside the per-layer formula";
const GEMMA4 =
  'Gemma 4: full-attention layers have another head size and KV-head count than the sliding ones (global_head_dim, num_global_key_value_heads, K = V), which the one-shape KV-cache formula cannot express';
const LIGHTNING =
  'lightning (linear) attention layers, marked in attn_type_list, keep a per-request state whose size the memory model does not compute';
const NOT_MODELLED_TYPES: Record<string, string> = {
  deepseek_v32: DSA,
  glm_moe_dsa: DSA,
  deepseek_v4:
    'DeepSeek-V4 attention: per-layer compressed KV (compress_ratios), a sliding window, a sparse indexer and hyper-connections, none of which the KV-cache formula covers',
  minimax_m3:
    'MiniMax-M3 sparse attention: a learned indexer with its own cache on most layers (sparse_attention_config), which the KV-cache formula does not count',
  gemma3n: GEMMA3N,
  gemma3n_text: GEMMA3N,
  gemma4: GEMMA4,
  gemma4_text: GEMMA4,
  minimax: LIGHTNING,
  minimax_text_01: LIGHTNING,
  minimax_m1: LIGHTNING,
  mllama_text_model:
    "cross-attention layers (Llama 3.2 Vision) cache the image tokens' keys and values, which the self-attention KV-cache formula does not count",
};

/** The config.json model types that resolve but get no estimate (docs/model-catalog.md lists them). */
export const NOT_MODELLED_MODEL_TYPES: readonly string[] = Object.keys(NOT_MODELLED_TYPES);

/**
 * Why an architecture cannot be estimated, from its config.json model_type, or from the config
 * keys that introduce such a mechanism in a model type not listed; undefined when it can be.
 */
export function notModelledReason(modelType: string, config: Record<string, unknown> = {}): string | undefined {
  const known = NOT_MODELLED_TYPES[modelType];
  if (known) return known;
  if (config.index_topk !== undefined || config.index_head_dim !== undefined)
    return `${modelType}: a sparse-attention indexer with its own per-token cache (index_head_dim), which the KV-cache formula does not count`;
  if (typeof config.num_kv_shared_layers === 'number' && config.num_kv_shared_layers > 0)
    return `${modelType}: layers that reuse another layer's KV cache (num_kv_shared_layers), which the KV-cache formula does not express`;
  if (Array.isArray(config.attn_type_list) && config.attn_type_list.includes(0)) return `${modelType}: ${LIGHTNING}`;
  if (config.compress_ratios !== undefined || config.sparse_attention_config !== undefined)
    return `${modelType}: compressed or sparse attention caches (compress_ratios / sparse_attention_config) that the KV-cache formula does not cover`;
  return undefined;
}
