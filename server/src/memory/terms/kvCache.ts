// The KV cache: bytes per token per rank (V0 `CacheEngine.get_cache_block_size`; V1
// `kv_cache_interface.py` page sizes), whole blocks (`available // page_size`), V0's pipeline
// virtual engines, and what one max_model_len request needs at vLLM's start-up check
// (`kv_cache_utils.py` `check_enough_kv_cache_memory`; V0 `raise_if_cache_size_invalid`).
// reference/vllm-memory.md §3.
import type { ModelArchitecture, VllmVersion } from '../types';
import { atLeast, type Engine } from '../version';
import { layersPerStage } from './weights';

export interface KvDtype {
  /** Bytes per cached element, scales included. */
  bytes: number;
  /** What the figure leaves out, when the layout is not fully known. */
  caveat?: string;
}

/**
 * KV-cache element size (`CacheConfig.cache_dtype`, reference/vllm-memory-2026.md §4.3): `auto` =
 * the model dtype; fp8 variants 1 B; `int8/fp8_per_token_head` 1 B plus one inline fp32 scale per
 * token, head and K/V (+4 B per head_dim elements, #38378); `int4_per_token_head` 0.5 B plus the
 * same; `nvfp4` 0.5 B plus one fp8 scale per 16 elements (0.5625 B, `nvfp4_kv_cache_full_dim`);
 * TurboQuant (#38479) 3–8-bit K and V plus per-vector metadata that is not counted.
 */
export function kvCacheDtype(kvCacheDtype: string | undefined, modelDtypeBytes: number, headDim = 128): KvDtype {
  const k = (kvCacheDtype ?? 'auto').trim().toLowerCase();
  const scale = 4 / Math.max(1, headDim);
  if (k === '' || k === 'auto') return { bytes: modelDtypeBytes };
  if (k === 'int8_per_token_head' || k === 'fp8_per_token_head') return { bytes: 1 + scale };
  if (k === 'int4_per_token_head') return { bytes: 0.5 + scale };
  if (k === 'fp8_ds_mla' || k === 'nvfp4_ds_mla')
    return {
      bytes: k === 'fp8_ds_mla' ? 1 : 0.5625,
      caveat: `${k} is an MLA-specific packed layout whose width the name does not give`,
    };
  if (k.startsWith('fp8') || k === 'int8') return { bytes: 1 };
  if (k === 'nvfp4') return { bytes: 0.5625 };
  if (k === 'nvfp4_4over6')
    return { bytes: 0.5625, caveat: 'nvfp4_4over6 is taken with the nvfp4 layout (unverified)' };
  const turbo: Record<string, number> = {
    turboquant_k8v4: (1 + 0.5) / 2,
    turboquant_4bit_nc: 0.5,
    turboquant_k3v4_nc: (0.375 + 0.5) / 2,
    turboquant_3bit_nc: 0.375,
  };
  if (turbo[k] !== undefined)
    return { bytes: turbo[k], caveat: `${k}: its per-vector norm/scale metadata is not counted` };
  if (k === 'float16' || k === 'bfloat16' || k === 'half') return { bytes: 2 };
  if (k === 'float32' || k === 'float') return { bytes: 4 };
  return { bytes: modelDtypeBytes, caveat: `kv_cache_dtype=${kvCacheDtype} is not known: counted as the model dtype` };
}

/** KV-cache element size in bytes; see kvCacheDtype. */
export function kvCacheDtypeBytes(
  kvCacheDtypeName: string | undefined,
  modelDtypeBytes: number,
  headDim = 128,
): number {
  return kvCacheDtype(kvCacheDtypeName, modelDtypeBytes, headDim).bytes;
}

/** MLA caches one latent per token and layer from 0.7.1 (#12528/#12601); before, V0 stored full heads padded to 256. */
export function mlaCacheEnabled(arch: ModelArchitecture, version: VllmVersion): boolean {
  return !!arch.mla && atLeast(version, 0, 7, 1);
}

/** KV bytes per token per layer on one rank. */
export function kvBytesPerTokenPerLayer(
  arch: ModelArchitecture,
  kvDtypeBytes: number,
  tp: number,
  version: VllmVersion,
): number {
  if (arch.mla) {
    if (mlaCacheEnabled(arch, version)) return (arch.mla.kvLoraRank + arch.mla.qkRopeHeadDim) * kvDtypeBytes; // no ×2, not split by TP
    const heads = Math.max(1, Math.floor(arch.numKeyValueHeads / Math.max(1, tp)));
    return 2 * heads * 256 * kvDtypeBytes; // head_size padded to 256 (get_head_size, @e9d517f27673)
  }
  const heads = Math.max(1, Math.floor(arch.numKeyValueHeads / Math.max(1, tp))); // replicated when TP > KV heads
  return 2 * heads * arch.headDim * kvDtypeBytes;
}

/**
 * KV bytes per token on one rank (every layer of its pipeline stage): GQA heads / TP, explicit
 * head_dim, MLA latent. Llama-3-8B bf16: 32 × 2 × 8 × 128 × 2 = 131,072 B.
 */
export function kvBytesPerToken(
  arch: ModelArchitecture,
  kvDtypeBytes: number,
  tp = 1,
  pp = 1,
  version: VllmVersion = { major: 0, minor: 22, patch: 0 },
): number {
  return layersPerStage(kvCacheLayerCount(arch), pp) * kvBytesPerTokenPerLayer(arch, kvDtypeBytes, tp, version);
}

/**
 * Layers with a per-token KV cache: all of them, except in hybrid models whose linear-attention or
 * mamba layers keep a constant per-request state instead (V1 MambaSpec, #19327), not counted here.
 */
export function kvCacheLayerCount(arch: ModelArchitecture): number {
  const k = arch.kvCacheLayers;
  return k !== undefined && k > 0 && k <= arch.numLayers ? k : arch.numLayers;
}

/** KV blocks one rank allocates (`available // page_size`, V0's "# GPU blocks"), never negative. */
export function kvCacheBlocks(kvBytes: number, bytesPerToken: number, blockSize: number): number {
  if (!(kvBytes > 0) || !(bytesPerToken > 0) || !(blockSize > 0)) return 0;
  return Math.floor(kvBytes / (bytesPerToken * blockSize));
}

/**
 * Tokens one engine can place in its KV cache: whole blocks only. V0 with pipeline parallelism
 * splits the blocks over `pipeline_parallel_size` virtual engines (CacheEngine and Scheduler take
 * `num_gpu_blocks // pipeline_parallel_size`; `raise_if_cache_size_invalid` compares max_model_len
 * with `block_size × (num_gpu_blocks // pipeline_parallel_size)`), so each holds 1/pp of them. V1
 * has no virtual engines.
 */
export function kvCacheTokens(
  kvBytes: number,
  bytesPerToken: number,
  blockSize: number,
  engine: Engine = 'V1',
  pipelineParallelSize = 1,
): number {
  const blocks = kvCacheBlocks(kvBytes, bytesPerToken, blockSize);
  const share = engine === 'V0' ? Math.max(1, Math.floor(pipelineParallelSize)) : 1;
  return Math.floor(blocks / share) * blockSize;
}

export interface OneSequenceOptions {
  engine: Engine;
  version: VllmVersion;
  maxModelLen: number;
  maxNumBatchedTokens: number;
  blockSize: number;
  kvDtypeBytes: number;
  tensorParallelSize: number;
  pipelineParallelSize: number;
}

/**
 * KV bytes one max_model_len request needs, as vLLM's start-up check counts them. V0 and V1 before
 * 0.8.3: every layer stores every token. V1 from 0.8.3 (#14097): all-sliding models need only the
 * window; from 0.9.1 (hybrid allocator, #17996) sliding layers of mixed models need
 * ⌈min(W − 1 + mnbt, L)/bs⌉ + 1 blocks (SlidingWindowSpec.max_memory_usage_bytes).
 */
export function oneSequenceKvBytes(arch: ModelArchitecture, o: OneSequenceOptions): number {
  const bs = Math.max(1, o.blockSize);
  const perLayer = kvBytesPerTokenPerLayer(arch, o.kvDtypeBytes, o.tensorParallelSize, o.version);
  const layers = layersPerStage(kvCacheLayerCount(arch), o.pipelineParallelSize);
  const fullBlocks = Math.ceil(o.maxModelLen / bs);
  const sw = arch.slidingWindow;
  if (o.engine === 'V0' || !sw || !atLeast(o.version, 0, 8, 3)) return layers * fullBlocks * bs * perLayer;
  const slidingBlocks = Math.min(
    fullBlocks,
    Math.ceil(Math.min(sw.window - 1 + o.maxNumBatchedTokens, o.maxModelLen) / bs) + 1,
  );
  const allSliding = sw.layers === 'all' || sw.layers.every(Boolean);
  if (allSliding) return layers * slidingBlocks * bs * perLayer;
  if (!atLeast(o.version, 0, 9, 1)) return layers * fullBlocks * bs * perLayer; // unify_hybrid_kv_cache_specs: all full
  const flags = sw.layers as boolean[];
  const slidingShare = flags.filter(Boolean).length / flags.length;
  const slidingLayers = Math.round(layers * slidingShare);
  return ((layers - slidingLayers) * fullBlocks + slidingLayers * slidingBlocks) * bs * perLayer;
}
