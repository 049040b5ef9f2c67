// The KV cache: bytes per token per rank (V0 `CacheEngine.get_cache_block_size`; V1
// `kv_cache_interface.py` page sizes), whole blocks (`available // page_size`), V0's pipeline
// virtual engines, and what one max_model_len request needs at vLLM's start-up check
// (`kv_cache_utils.py` `check_enough_kv_cache_memory`; V0 `raise_if_cache_size_invalid`).
// reference/vllm-memory.md §3.
import type { ModelArchitecture, VllmVersion } from '../types';
import { atLeast, type Engine } from '../version';
import { layersPerStage } from './weights';

/** KV-cache element size: `auto` = the model dtype; fp8 variants 1 B (`CacheConfig.cache_dtype`). */
export function kvCacheDtypeBytes(kvCacheDtype: string | undefined, modelDtypeBytes: number): number {
  const k = (kvCacheDtype ?? 'auto').trim().toLowerCase();
  if (k === '' || k === 'auto') return modelDtypeBytes;
  if (k.startsWith('fp8') || k === 'int8') return 1;
  if (k === 'int8_per_token_head' || k === 'fp8_per_token_head') return 1;
  if (k === 'nvfp4') return 0.5625;
  if (k === 'float16' || k === 'bfloat16' || k === 'half') return 2;
  if (k === 'float32' || k === 'float') return 4;
  return modelDtypeBytes;
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
