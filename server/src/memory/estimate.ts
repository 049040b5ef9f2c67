// The vLLM GPU-memory model, per GPU rank (the busiest one), version by version. Each term is a
// named function with the vLLM source it follows (reference/vllm-memory.md; "@label" = the main-
// branch snapshot nearest that release). Constants that come from logs or measurements say so.
import { layerParams, mlpMatrices, totalParams } from './architectures';
import {
  mxfp4ExpertLayout,
  quantizationFromName,
  quantizedWeightCost,
  type ExpertLayout,
  type QuantizedWeightCost,
} from './quantization';
import type {
  EstimateInput,
  EstimateReason,
  GpuSpec,
  MemoryEstimate,
  ModelArchitecture,
  OutputType,
  UnquantizedModules,
  VllmSettings,
  VllmVersion,
} from './types';
import { unquantizedParams } from './unquantizedModules';
import { atLeast, EARLIEST_MODELLED_VLLM_VERSION, engineFor, versionText } from './version';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

export type Engine = 'V0' | 'V1';

const gib = (bytes: number, digits = 2) => (bytes / GiB).toFixed(digits);

// ---------------------------------------------------------------------------------------------
// Defaults that change memory (reference/vllm-memory.md §4)
// ---------------------------------------------------------------------------------------------

/** `gpu_memory_utilization` default: 0.90, and 0.92 from 0.21 (#38284, with graph accounting). */
export function defaultGpuMemoryUtilization(version: VllmVersion): number {
  return atLeast(version, 0, 21) ? 0.92 : 0.9;
}

export interface ResolvedDtype {
  dtype: 'bfloat16' | 'float16' | 'float32';
  bytes: number;
  note?: string;
}

const DTYPE_ALIASES: Record<string, ResolvedDtype['dtype']> = {
  half: 'float16',
  float16: 'float16',
  fp16: 'float16',
  'torch.float16': 'float16',
  bfloat16: 'bfloat16',
  bf16: 'bfloat16',
  'torch.bfloat16': 'bfloat16',
  float: 'float32',
  float32: 'float32',
  fp32: 'float32',
  'torch.float32': 'float32',
};

const DTYPE_BYTES: Record<ResolvedDtype['dtype'], number> = { bfloat16: 2, float16: 2, float32: 4 };

/**
 * `dtype` as vLLM resolves it (`_get_and_verify_dtype`): `auto` follows the config's torch_dtype;
 * a float32 (or missing) config is downcast — to fp16 up to 0.9.0 (bf16 for Gemma 2), to the
 * platform's first supported type (bf16 on sm80+) from 0.9.1 (#18751).
 */
export function resolveDtype(
  arch: ModelArchitecture,
  requested: string | undefined,
  gpu: GpuSpec,
  version: VllmVersion,
): ResolvedDtype {
  const req = (requested ?? 'auto').trim().toLowerCase();
  const explicit = DTYPE_ALIASES[req];
  if (explicit) {
    const r: ResolvedDtype = { dtype: explicit, bytes: DTYPE_BYTES[explicit] };
    if (explicit === 'bfloat16' && !gpu.supportsBf16)
      r.note = `${gpu.name} has no bfloat16 support: vLLM refuses dtype=bfloat16 there`;
    return r;
  }
  const config = DTYPE_ALIASES[(arch.torchDtype ?? '').toLowerCase()];
  if (!config || config === 'float32') {
    const why = config ? 'a float32 config' : 'no torch_dtype in the config';
    if (!atLeast(version, 0, 9, 1)) {
      const d = arch.modelType === 'gemma2' ? 'bfloat16' : 'float16';
      return { dtype: d, bytes: 2, note: `dtype=auto with ${why}: vLLM ${versionText(version)} loads ${d}` };
    }
    const d = gpu.supportsBf16 ? 'bfloat16' : 'float16';
    return { dtype: d, bytes: 2, note: `dtype=auto with ${why}: vLLM ≥ 0.9.1 loads ${d} on ${gpu.name}` };
  }
  if (config === 'bfloat16' && !gpu.supportsBf16) {
    return {
      dtype: 'float16',
      bytes: 2,
      note: `bfloat16 checkpoint on ${gpu.name} (no bf16): float16 assumed (older vLLM refuses and asks for dtype=half)`,
    };
  }
  return { dtype: config, bytes: DTYPE_BYTES[config] };
}

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

function isA100(gpu: GpuSpec): boolean {
  return /a100/i.test(gpu.name);
}

/**
 * `max_num_seqs` default. V0: 256. V1 `LLM` class (#13726, 0.8.0): 1024 on devices with ≥ 70 GiB,
 * else 256; A100 is excluded from the large default from 0.9.0 (#17885).
 */
export function defaultMaxNumSeqs(engine: Engine, version: VllmVersion, gpu: GpuSpec): number {
  if (engine === 'V0' || !atLeast(version, 0, 8)) return 256;
  const big = gpu.totalBytes >= 70 * GiB && !(isA100(gpu) && atLeast(version, 0, 9));
  return big ? 1024 : 256;
}

/** Whether chunked prefill is on: always in V1; in V0 only when asked, or (0.5+) for max_model_len > 32K without a sliding window. */
export function chunkedPrefillEnabled(
  engine: Engine,
  version: VllmVersion,
  arch: ModelArchitecture,
  maxModelLen: number,
  explicit: boolean | undefined,
): boolean {
  if (explicit !== undefined) return explicit;
  if (engine === 'V1') return true;
  return atLeast(version, 0, 5) && maxModelLen > 32768 && !arch.slidingWindow;
}

/**
 * `max_num_batched_tokens` default. V1 `LLM` class: 16384 on ≥ 70 GiB non-A100 devices, else 8192;
 * `vllm serve`: 8192 / 2048 (`get_batch_defaults`); capped at max_num_seqs × max_model_len and
 * raised to max_model_len without chunked prefill. V0: max(max_model_len, 2048) without chunked
 * prefill; with it 512 (0.5–0.6) and 2048 from 0.7 (unverified boundary).
 */
export function defaultMaxNumBatchedTokens(
  engine: Engine,
  version: VllmVersion,
  gpu: GpuSpec,
  maxModelLen: number,
  maxNumSeqs: number,
  chunked: boolean,
  usage: 'llm' | 'server' = 'llm',
): number {
  if (engine === 'V0') {
    if (!chunked) return Math.max(maxModelLen, 2048);
    return atLeast(version, 0, 7) ? 2048 : 512;
  }
  const big = gpu.totalBytes >= 70 * GiB && !isA100(gpu);
  let mnbt = usage === 'server' ? (big ? 8192 : 2048) : big ? 16384 : 8192;
  mnbt = Math.min(mnbt, maxNumSeqs * maxModelLen);
  if (!chunked) mnbt = Math.max(mnbt, maxModelLen);
  return mnbt;
}

/**
 * The max_model_len vLLM derives (`_get_and_verify_max_len`): max_position_embeddings, times the
 * rope-scaling factor for types other than su/longrope/llama3/mrope (yarn starts from
 * original_max_position_embeddings; Gemma 3's value is already scaled). Before 0.6.4 (#9414)
 * Gemma 2 was capped at its 4096 sliding window.
 */
export function defaultMaxModelLen(arch: ModelArchitecture, version: VllmVersion): number {
  let len = arch.maxPositionEmbeddings > 0 ? arch.maxPositionEmbeddings : 2048;
  const rs = arch.ropeScaling;
  const type = rs?.type?.toLowerCase() ?? '';
  if (
    rs &&
    rs.factor &&
    rs.factor > 0 &&
    !['su', 'longrope', 'llama3', 'mrope', 'default'].includes(type) &&
    !arch.modelType.startsWith('gemma3')
  ) {
    const base = type === 'yarn' && rs.originalMaxPositionEmbeddings ? rs.originalMaxPositionEmbeddings : len;
    len = Math.floor(base * rs.factor);
  }
  if (arch.modelType === 'gemma2' && arch.slidingWindow && !atLeast(version, 0, 6, 4))
    len = Math.min(len, arch.slidingWindow.window);
  return len;
}

// ---------------------------------------------------------------------------------------------
// Weights (vocab_parallel_embedding.py, linear.py, the model's make_layers / get_pp_indices)
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Profile-run activation peak (V0 model_runner.profile_run; V1 gpu_model_runner.profile_run)
// ---------------------------------------------------------------------------------------------

/**
 * Bytes per (row × vocab entry) of the sampler warm-up: fp32 logits, the top-k/top-p sort (values
 * + int64 indices), softmax, cumsum, masks and the scatter back. Fitted on the llm-d H100 logs
 * (Qwen3 0.6B/32B, Llama-3.3-70B, gpt-oss-20b: 38.4–39.6 B) and on V0 logs (Qwen2.5-7B 0.7.3:
 * 37.8 B); an emulation of the same ops in PyTorch 2.11 on an H100 peaked at 40.0 B.
 */
export const SAMPLER_BYTES_PER_LOGIT = 38.5;

export interface ActivationOptions {
  engine: Engine;
  version: VllmVersion;
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  dtypeBytes: number;
  tensorParallelSize: number;
  /** This rank runs the sampler (V1: every TP rank of the last stage; V0: the driver only). */
  runsSampler: boolean;
}

/** Forward-pass transient of one layer for T tokens: hidden, residual and norm output plus the MLP's widest point. */
export function forwardActivationBytes(
  arch: ModelArchitecture,
  tokens: number,
  dtypeBytes: number,
  tp: number,
): number {
  const t = Math.max(1, tp);
  const mats = mlpMatrices(arch);
  const denseWidth = (mats === 3 ? 3 : 2) * Math.ceil(arch.intermediateSize / t);
  const moeWidth = arch.moe ? arch.moe.expertsPerToken * 3 * Math.ceil(arch.moe.moeIntermediateSize / t) : 0;
  const qkvWidth =
    Math.ceil(((arch.numAttentionHeads + 2 * arch.numKeyValueHeads) * arch.headDim) / t) +
    Math.ceil((arch.numAttentionHeads * arch.headDim) / t);
  const width = Math.max(denseWidth, moeWidth, qkvWidth);
  return tokens * (3 * arch.hiddenSize + width) * dtypeBytes;
}

/**
 * The profile run's PyTorch activation peak (weights excluded): the larger of the forward pass over
 * max_num_batched_tokens and the sampler warm-up (whose rows are max_num_seqs in V0 and
 * min(max_num_seqs, mnbt) in V1 from 0.8.0, #13721/#14508; V1 before that profiled the forward
 * only) with the batch's hidden states still alive.
 */
export function activationPeakBytes(arch: ModelArchitecture, o: ActivationOptions): number {
  const tokens = Math.max(1, o.maxNumBatchedTokens);
  const forward = forwardActivationBytes(arch, tokens, o.dtypeBytes, o.tensorParallelSize);
  const samplerProfiled = o.engine === 'V0' || atLeast(o.version, 0, 8);
  if (!o.runsSampler || !samplerProfiled) return forward;
  const rows = o.engine === 'V1' ? Math.min(o.maxNumSeqs, tokens) : o.maxNumSeqs;
  const sampler = rows * arch.vocabSize * SAMPLER_BYTES_PER_LOGIT + tokens * arch.hiddenSize * o.dtypeBytes * 2;
  return Math.max(forward, sampler);
}

// ---------------------------------------------------------------------------------------------
// Non-torch memory, CUDA context, other processes
// ---------------------------------------------------------------------------------------------

/**
 * CUDA context of one process: 527 MiB measured on an H100 and an H200 (driver 580, torch 2.11,
 * cuCtxCreate / torch.cuda.init). From 0.11 (#25359) NCCL's start-up buffers are taken before the
 * baseline snapshot, so with TP/PP > 1 they also sit outside the budget (≈0.25 GiB, unverified).
 */
export const CUDA_CONTEXT_BYTES = 527 * MiB;
export const NCCL_INIT_BYTES = 0.25 * GiB;

export function cudaContextBytes(engine: Engine, version: VllmVersion, worldSize: number): number {
  const nccl = engine === 'V1' && atLeast(version, 0, 11) && worldSize > 1 ? NCCL_INIT_BYTES : 0;
  return CUDA_CONTEXT_BYTES + nccl;
}

/** Versions whose profiler charged the whole device's used memory to the instance (0.6.4: #9516; V1 0.8.0–0.9.0). */
export function wholeDeviceAccounting(engine: Engine, version: VllmVersion): boolean {
  if (engine === 'V0') return atLeast(version, 0, 6, 4) && !atLeast(version, 0, 6, 5);
  return atLeast(version, 0, 8) && !atLeast(version, 0, 9, 1);
}

/**
 * Non-torch memory that grows during profiling (NCCL, custom all-reduce, cuBLAS and attention
 * workspaces): from logs, V1 0.13–0.14 GiB single-GPU and 0.54–0.55 GiB at TP=2 (llm-d, H100);
 * V0 0.16–0.39 GiB single-GPU and 0.25–0.43 GiB with TP (vllm#10517, #12126, #13061, #16570).
 */
export function nonTorchBytes(engine: Engine, worldSize: number): number {
  if (engine === 'V1') return worldSize > 1 ? 0.55 * GiB : 0.13 * GiB;
  return worldSize > 1 ? 0.35 * GiB : 0.25 * GiB;
}

// ---------------------------------------------------------------------------------------------
// KV cache (kv_cache_interface.py, kv_cache_utils.py; V0 CacheEngine.get_cache_block_size)
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// CUDA graphs (V0 model_runner.capture_model; V1 config/vllm.py _set_cudagraph_sizes)
// ---------------------------------------------------------------------------------------------

/** Batch sizes vLLM captures by default; empty with enforce_eager. */
export function cudaGraphCaptureSizes(
  engine: Engine,
  version: VllmVersion,
  maxNumSeqs: number,
  maxNumBatchedTokens: number,
  enforceEager: boolean,
): number[] {
  if (enforceEager) return [];
  const sizes: number[] = [1, 2, 4];
  if (engine === 'V0') {
    // _BATCH_SIZES_TO_CAPTURE = [1, 2, 4] + 8·i, up to the padded max_num_seqs (≤ 256 in 0.4).
    const cap = atLeast(version, 0, 6)
      ? Math.min(8192, Math.ceil(maxNumSeqs / 8) * 8)
      : Math.min(256, Math.ceil(maxNumSeqs / 8) * 8);
    for (let b = 8; b <= cap; b += 8) sizes.push(b);
    return sizes.filter((b) => b <= Math.max(cap, 4));
  }
  if (!atLeast(version, 0, 10)) {
    for (let b = 8; b <= 512; b += 8) sizes.push(b);
    return sizes.filter((b) => b <= maxNumBatchedTokens);
  }
  const max = Math.min(2 * maxNumSeqs, 512, maxNumBatchedTokens);
  if (!atLeast(version, 0, 11, 1)) {
    for (let b = 8; b <= max; b += 8) sizes.push(b); // #20628
    return sizes.filter((b) => b <= max);
  }
  for (let b = 8; b < Math.min(256, max + 1); b += 8) sizes.push(b); // #26016: 8s below 256, then 16s
  for (let b = 256; b <= max; b += 16) sizes.push(b);
  if (maxNumBatchedTokens <= max && !sizes.includes(maxNumBatchedTokens)) sizes.push(maxNumBatchedTokens);
  return sizes.filter((b) => b <= max);
}

/**
 * Graph pool per rank. V0 captures full decode graphs: ≈1 MiB per layer per graph, from vllm#7553
 * (Yi-1.5-34B, TP=4, 35 graphs × 60 layers took 2464 MiB: 1.17 MiB), which also matches V0's own
 * "1~3 GiB" warning for 7–70B models. V1 piecewise graphs: ≈0.08 MiB per layer per graph (llm-d
 * H100 logs: 0.1 GiB for Qwen3-0.6B, 0.6 GiB for Llama-70B over 67 sizes); FULL_AND_PIECEWISE
 * (default from 0.11, #25444) adds uniform-decode full graphs: ×1.5 (rule of thumb). Plus the
 * largest captured batch's activations.
 */
export function cudaGraphBytes(
  arch: ModelArchitecture,
  engine: Engine,
  version: VllmVersion,
  sizes: readonly number[],
  dtypeBytes: number,
  tp: number,
  pp: number,
): number {
  if (sizes.length === 0) return 0;
  const layers = layersPerStage(arch.numLayers, pp);
  const largest = Math.max(...sizes);
  const pool = forwardActivationBytes(arch, largest, dtypeBytes, tp);
  if (engine === 'V0') return sizes.length * layers * 1.0 * MiB + pool;
  const perLayerGraph = 0.08 * MiB * (atLeast(version, 0, 11) ? 1.5 : 1);
  return sizes.length * layers * perLayerGraph + pool;
}

/** From 0.21 (#38284) vLLM estimates graph memory during profiling and reserves it inside the budget. */
export function cudaGraphInsideBudget(
  engine: Engine,
  version: VllmVersion,
  estimateCudaGraphs: boolean | undefined,
): boolean {
  if (engine !== 'V1') return false;
  if (estimateCudaGraphs !== undefined) return estimateCudaGraphs && atLeast(version, 0, 17);
  return atLeast(version, 0, 21);
}

// ---------------------------------------------------------------------------------------------
// prompt_logprobs (what lm-eval's loglikelihood path asks for: prompt_logprobs=1 on every token)
// ---------------------------------------------------------------------------------------------

const LOGLIKELIHOOD_TYPES: ReadonlySet<OutputType> = new Set<OutputType>([
  'loglikelihood',
  'loglikelihood_rolling',
  'multiple_choice',
]);

export interface LogprobsOptions {
  engine: Engine;
  version: VllmVersion;
  maxNumBatchedTokens: number;
  maxModelLen: number;
  dtypeBytes: number;
  outputTypes: readonly OutputType[];
  /** Model Runner V2 chunks prompt logprobs by 1024 tokens (default for dense Qwen3 from ≈0.22, #39337). */
  modelRunnerV2?: boolean;
}

/**
 * V1 computes prompt logprobs one request at a time, so the spike follows the longest single
 * prompt. loglikelihood_rolling windows fill max_model_len (lm-eval cuts documents into
 * max_length − 2 token windows); multiple-choice and loglikelihood requests of lm-eval's tasks are
 * context + continuation, and we bound them at 4,096 tokens (an assumption the hover states) rather
 * than at max_model_len, which for long-context models would flag every MMLU run.
 */
export const LOGLIKELIHOOD_PROMPT_TOKENS_BOUND = 4096;

export function v1PromptTokensBound(outputTypes: readonly OutputType[]): number {
  return outputTypes.includes('loglikelihood_rolling') ? Infinity : LOGLIKELIHOOD_PROMPT_TOKENS_BOUND;
}

/**
 * The unprofiled transient of prompt logprobs, per rank. V0 (sampler.py @e9d517f27673): all
 * prompt tokens of the step × vocab — logits, a float32 copy, softmax, log_softmax and the rank
 * comparison (bool, summed through an int64 cast). V1 (_get_prompt_logprobs_dict): per request,
 * n ≤ min(max_model_len, mnbt) tokens × vocab — logits, float32 log_softmax, the bool comparison
 * and its int64 sum; all-gathered, so on every TP rank. Bytes per element measured on an H100
 * (PyTorch 2.11, same ops, bf16 logits): V1 15.0 B, V0 23.0 B (the notes' 7 B / 15 B omit the
 * int64 reduction copy).
 */
export function promptLogprobsSpikeBytes(arch: ModelArchitecture, o: LogprobsOptions): number {
  if (!o.outputTypes.some((t) => LOGLIKELIHOOD_TYPES.has(t))) return 0;
  const v = arch.vocabSize;
  if (o.engine === 'V0') return o.maxNumBatchedTokens * v * (o.dtypeBytes + 21);
  let n = Math.min(o.maxModelLen, o.maxNumBatchedTokens, v1PromptTokensBound(o.outputTypes));
  if (o.modelRunnerV2) n = Math.min(n, 1024);
  return n * v * (o.dtypeBytes + 13);
}

// ---------------------------------------------------------------------------------------------
// vLLM's own messages, by version (reference/vllm-memory.md §1d, §3, §6)
// ---------------------------------------------------------------------------------------------

const DOCS = ' See https://docs.vllm.ai/en/latest/configuration/conserving_memory/ for more details.';

export function noCacheMemoryMessage(engine: Engine, version: VllmVersion): string {
  let s =
    'No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.';
  if (engine === 'V1' && atLeast(version, 0, 22)) {
    s =
      'No available memory for the cache blocks. Try increasing `gpu_memory_utilization` (this flag also controls CPU memory reservation on the CPU backend, despite its name) when initializing the engine.';
  }
  if (engine === 'V1' && atLeast(version, 0, 13)) s += DOCS;
  return s;
}

export function maxSeqLenMessage(
  engine: Engine,
  version: VllmVersion,
  maxModelLen: number,
  kvTokens: number,
  neededBytes: number,
  availableBytes: number,
  estimatedMaxLen: number,
): string {
  if (engine === 'V0') {
    return `The model's max seq len (${maxModelLen}) is larger than the maximum number of tokens that can be stored in KV cache (${kvTokens}). Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`;
  }
  const need = gib(neededBytes);
  const have = gib(Math.max(0, availableBytes));
  if (!atLeast(version, 0, 8, 5)) {
    return `To serve at least one request with the models's max seq len (${maxModelLen}), (${need} GB KV cache is needed, which is larger than the available KV cache memory (${have} GB). Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`;
  }
  if (!atLeast(version, 0, 10)) {
    return `To serve at least one request with the models's max seq len (${maxModelLen}), (${need} GiB KV cache is needed, which is larger than the available KV cache memory (${have} GiB). Based on the available memory, Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`;
  }
  const head = atLeast(version, 0, 22) ? "model's" : "models's";
  const util = atLeast(version, 0, 22)
    ? '`gpu_memory_utilization` (which also controls CPU memory on the CPU backend)'
    : '`gpu_memory_utilization`';
  return (
    `To serve at least one request with the ${head} max seq len (${maxModelLen}), (${need} GiB KV cache is needed, which is larger than the available KV cache memory (${have} GiB). Based on the available memory, the estimated maximum model length is ${estimatedMaxLen}. Try increasing ${util} or decreasing \`max_model_len\` when initializing the engine.` +
    (atLeast(version, 0, 14) ? DOCS : '')
  );
}

export function freeMemoryMessage(version: VllmVersion, freeBytes: number, totalBytes: number, util: number): string {
  const device = atLeast(version, 0, 14) ? 'device cuda:0' : 'device';
  const requested = atLeast(version, 0, 14)
    ? Math.ceil(((util * totalBytes) / GiB) * 100) / 100
    : (util * totalBytes) / GiB;
  return `Free memory on ${device} (${gib(freeBytes)}/${gib(totalBytes)} GiB) on startup is less than desired GPU memory utilization (${util}, ${requested.toFixed(2)} GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes.`;
}

export function maxModelLenMessage(maxModelLen: number, derived: number): string {
  return `User-specified max_model_len (${maxModelLen}) is greater than the derived max_model_len (max_position_embeddings=${derived} or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1.`;
}

// ---------------------------------------------------------------------------------------------
// The estimate
// ---------------------------------------------------------------------------------------------

function positiveInt(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) && v >= 1 ? Math.floor(v) : undefined;
}

function clampUtil(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) && v > 0 && v <= 1 ? v : undefined;
}

const count = (v: unknown, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback;

/** Guard the arithmetic against a hand-written or truncated config: every size at least 1. */
function sanitizeArchitecture(a: ModelArchitecture): ModelArchitecture {
  const hiddenSize = count(a.hiddenSize, 1);
  const numAttentionHeads = count(a.numAttentionHeads, 1);
  return {
    ...a,
    modelType: typeof a.modelType === 'string' ? a.modelType : '',
    numLayers: count(a.numLayers, 1),
    hiddenSize,
    intermediateSize: count(a.intermediateSize, 4 * hiddenSize),
    numAttentionHeads,
    numKeyValueHeads: count(a.numKeyValueHeads, numAttentionHeads),
    headDim: count(a.headDim, Math.max(1, Math.floor(hiddenSize / numAttentionHeads))),
    vocabSize: count(a.vocabSize, 32000),
    maxPositionEmbeddings: count(a.maxPositionEmbeddings, 2048),
    params: a.params !== undefined && Number.isFinite(a.params) && a.params > 0 ? a.params : undefined,
  };
}

interface RankNumbers {
  weightsBytes: number;
  activationBytes: number;
  runsSampler: boolean;
}

const UNPADDED_EXPERTS: ExpertLayout = { intermediateMultiple: 1, hiddenMultiple: 1, label: 'unpadded' };

/** The least KV-capacity error band with a KV connector (kv_transfer_config) configured. */
export const KV_CONNECTOR_ERROR_BAND = 0.2;

/** vLLM's memory on the busiest GPU rank for one configuration. Pure; never throws on odd input. */
export function estimateVllmMemory(input: EstimateInput): MemoryEstimate {
  const arch = sanitizeArchitecture(input.architecture);
  const { gpu, workload } = input;
  const settings: VllmSettings = input.settings ?? {};
  const version = input.version;
  const assumptions: string[] = [...(arch.assumptions ?? [])];
  const reasons: EstimateReason[] = [];

  if (!atLeast(version, EARLIEST_MODELLED_VLLM_VERSION.major, EARLIEST_MODELLED_VLLM_VERSION.minor)) {
    assumptions.push(
      `vLLM ${versionText(version)} predates the modelled versions (0.4.0 on): estimated with 0.4.0's accounting, whose profiler may differ (0.2.x charged NCCL memory differently, vllm-project/vllm#2031)`,
    );
  }
  const engine: Engine = engineFor(
    version,
    settings.useV1 === undefined ? {} : { VLLM_USE_V1: settings.useV1 ? '1' : '0' },
  );
  const tp = positiveInt(settings.tensorParallelSize) ?? 1;
  const pp = positiveInt(settings.pipelineParallelSize) ?? 1;
  const dp = positiveInt(settings.dataParallelSize) ?? 1;
  const worldSize = tp * pp;
  const totalBytes = Math.max(0, gpu.totalBytes || 0);

  const util = clampUtil(settings.gpuMemoryUtilization) ?? defaultGpuMemoryUtilization(version);
  if (clampUtil(settings.gpuMemoryUtilization) === undefined) {
    assumptions.push(
      `gpu_memory_utilization = ${util} (vLLM ${versionText(version)} default; lm-eval ≤ 0.4.11 passed 0.9 itself)`,
    );
  }

  const dtype = resolveDtype(arch, settings.dtype, gpu, version);
  if (!settings.dtype || settings.dtype.trim().toLowerCase() === 'auto')
    assumptions.push(
      `dtype = auto → ${dtype.dtype}${arch.torchDtype ? ` (config torch_dtype ${arch.torchDtype})` : ''}`,
    );
  if (dtype.note) assumptions.push(dtype.note);

  if (kvCacheLayerCount(arch) < arch.numLayers) {
    assumptions.push(
      `hybrid model: ${kvCacheLayerCount(arch)} of ${arch.numLayers} layers keep a per-token KV cache; the linear-attention/mamba layers' fixed per-request state is not counted` +
        (arch.params || arch.checkpointBytes ? '' : ', and their weights are sized as attention layers'),
    );
  }
  const kvDtypeName = settings.kvCacheDtype?.trim() || 'auto';
  const kvDtypeBytes = kvCacheDtypeBytes(kvDtypeName, dtype.bytes);

  // Quantization: the user's `quantization=` wins over the checkpoint's own config.
  const quantSpec = quantizationFromName(settings.quantization) ?? arch.checkpointQuantization;
  const quantCost = quantSpec ? quantizedWeightCost(quantSpec) : undefined;
  if (quantSpec && quantCost) assumptions.push(`weights: ${quantCost.label}; embeddings and lm_head ${dtype.dtype}`);
  else if (quantSpec)
    assumptions.push(`quantization ${quantSpec.method}: size unknown, weights counted at ${dtype.dtype}`);
  const expertLayout =
    quantCost?.expertsOnly && arch.moe ? mxfp4ExpertLayout(gpu.computeCapability, version) : undefined;
  if (expertLayout) assumptions.push(`weights: ${expertLayout.label}`);
  // vLLM reads the skip list from the checkpoint's config even when `quantization=` names the method.
  const ckptQuant = arch.checkpointQuantization;
  const unquantized =
    quantSpec?.unquantizedModules ??
    (ckptQuant && ckptQuant.method === quantSpec?.method ? ckptQuant.unquantizedModules : undefined);
  if (quantCost && unquantized) {
    const keptParams = unquantizedParams(arch, unquantized, 0, arch.numLayers, quantCost.expertsOnly);
    if (keptParams > 0)
      assumptions.push(
        `weights: ${(keptParams / 1e9).toFixed(2)} B parameters of the decoder layers stay ${dtype.dtype} (quantization_config.${unquantized.key})`,
      );
  }

  // max_model_len
  const derivedMaxModelLen = defaultMaxModelLen(arch, version);
  const userLen = positiveInt(settings.maxModelLen);
  const maxModelLen = userLen ?? derivedMaxModelLen;
  if (!userLen)
    assumptions.push(
      `max_model_len = ${derivedMaxModelLen} (derived from the model config; lm-eval passes none unless max_length/max_model_len is set)`,
    );

  const chunked = chunkedPrefillEnabled(engine, version, arch, maxModelLen, settings.enableChunkedPrefill);
  const maxNumSeqs = positiveInt(settings.maxNumSeqs) ?? defaultMaxNumSeqs(engine, version, gpu);
  if (!positiveInt(settings.maxNumSeqs))
    assumptions.push(`max_num_seqs = ${maxNumSeqs} (vLLM ${engine} default on ${gpu.name})`);
  const usage = settings.usageContext ?? 'llm';
  const mnbt =
    positiveInt(settings.maxNumBatchedTokens) ??
    defaultMaxNumBatchedTokens(engine, version, gpu, maxModelLen, maxNumSeqs, chunked, usage);
  if (!positiveInt(settings.maxNumBatchedTokens)) {
    assumptions.push(
      `max_num_batched_tokens = ${mnbt} (${engine} default${usage === 'server' ? ' for vllm serve' : ''}, chunked prefill ${chunked ? 'on' : 'off'})`,
    );
  }
  const blockSize = positiveInt(settings.blockSize) ?? 16;
  const enforceEager = settings.enforceEager === true;

  // Weights and activations on the first and last pipeline stage; the busiest decides.
  const weightsFor = (stage: 'first' | 'last' | 'only') =>
    weightsBytesPerRank(arch, {
      dtypeBytes: dtype.bytes,
      quantization: quantCost,
      tensorParallelSize: tp,
      pipelineParallelSize: pp,
      stage,
      unquantizedModules: unquantized,
      expertLayout,
    });
  const actFor = (runsSampler: boolean) =>
    activationPeakBytes(arch, {
      engine,
      version,
      maxNumBatchedTokens: mnbt,
      maxNumSeqs,
      dtypeBytes: dtype.bytes,
      tensorParallelSize: tp,
      runsSampler,
    });
  const ranks: RankNumbers[] =
    pp > 1
      ? [
          { weightsBytes: weightsFor('first'), activationBytes: actFor(false), runsSampler: false },
          { weightsBytes: weightsFor('last'), activationBytes: actFor(true), runsSampler: true },
        ]
      : engine === 'V0' && tp > 1
        ? [
            { weightsBytes: weightsFor('only'), activationBytes: actFor(true), runsSampler: true }, // driver
            { weightsBytes: weightsFor('only'), activationBytes: actFor(false), runsSampler: false },
          ]
        : [{ weightsBytes: weightsFor('only'), activationBytes: actFor(true), runsSampler: true }];

  // cpu_offload_gb moves that many GiB of weights per rank to host memory.
  const offloadBytes = Math.max(0, (settings.cpuOffloadGb ?? 0) * GiB);
  if (offloadBytes > 0) for (const r of ranks) r.weightsBytes = Math.max(0, r.weightsBytes - offloadBytes);
  // Exact checkpoint size (safetensors index) rescales the computed weights when the dtype matches.
  const ckptBytesPerParam = DTYPE_BYTES[DTYPE_ALIASES[(arch.torchDtype ?? '').toLowerCase()] ?? 'bfloat16'];
  if (arch.checkpointBytes && arch.checkpointBytes > 0) {
    const computed = weightsBytesPerRank(arch, {
      dtypeBytes: ckptBytesPerParam,
      quantization: ckptQuant ? quantCost : undefined,
      tensorParallelSize: 1,
      pipelineParallelSize: 1,
      unquantizedModules: ckptQuant ? unquantized : undefined,
      expertLayout: UNPADDED_EXPERTS, // the files hold the experts unpadded
    });
    const ratio = computed > 0 ? arch.checkpointBytes / computed : 1;
    if (ratio > 0.8 && ratio < 1.25) for (const r of ranks) r.weightsBytes *= ratio;
  }

  const nonTorch = nonTorchBytes(engine, worldSize);
  const contextBytes = cudaContextBytes(engine, version, worldSize);
  const usedByOthers = gpu.freeBytes !== undefined ? Math.max(0, totalBytes - gpu.freeBytes) : 0;
  const wholeDevice = wholeDeviceAccounting(engine, version);
  if (gpu.freeBytes === undefined) assumptions.push(`the whole ${gpu.name} is free (no other processes)`);
  if (wholeDevice)
    assumptions.push(
      `vLLM ${versionText(version)} charges the CUDA context${usedByOthers ? ' and other processes' : ''} to the budget (whole-device accounting)`,
    );

  // CUDA graphs
  const captureSizes = cudaGraphCaptureSizes(engine, version, maxNumSeqs, mnbt, enforceEager);
  const graphBytes = cudaGraphBytes(arch, engine, version, captureSizes, dtype.bytes, tp, pp);
  const graphsInside = graphBytes > 0 && cudaGraphInsideBudget(engine, version, settings.estimateCudaGraphs);

  // Budget and KV cache, per rank; KV blocks are the minimum over ranks.
  const budgetBytes = util * totalBytes;
  const perTokenBytes = kvBytesPerToken(arch, kvDtypeBytes, tp, pp, version);
  const chargedOutside = wholeDevice ? contextBytes + usedByOthers : 0;
  const nonKv = (r: RankNumbers) =>
    r.weightsBytes + r.activationBytes + nonTorch + chargedOutside + (graphsInside ? graphBytes : 0);
  const busiest = ranks.reduce((a, b) => (nonKv(b) > nonKv(a) ? b : a));
  const kvOverride =
    settings.kvCacheMemoryBytes !== undefined &&
    engine === 'V1' &&
    atLeast(version, 0, 11) &&
    settings.kvCacheMemoryBytes > 0
      ? settings.kvCacheMemoryBytes
      : undefined;
  const kvCacheBytes = kvOverride ?? budgetBytes - nonKv(busiest);
  if (kvOverride)
    assumptions.push(
      `kv_cache_memory_bytes = ${kvOverride}: the KV cache size is fixed and gpu_memory_utilization is ignored`,
    );
  const kvBlocks = kvCacheBlocks(kvCacheBytes, perTokenBytes, blockSize);
  const kvTokens = kvCacheTokens(kvCacheBytes, perTokenBytes, blockSize, engine, pp);
  // What one sequence can use: V0's virtual engines each get 1/pp of the blocks.
  const virtualEngines = engine === 'V0' ? pp : 1;
  const schedulableKvBytes = kvCacheBytes / virtualEngines;
  if (virtualEngines > 1)
    assumptions.push(
      `V0 pipeline parallelism: the ${kvBlocks} KV blocks are split over ${pp} virtual engines (${kvTokens} tokens each)`,
    );
  const oneSeq = oneSequenceKvBytes(arch, {
    engine,
    version,
    maxModelLen,
    maxNumBatchedTokens: mnbt,
    blockSize,
    kvDtypeBytes,
    tensorParallelSize: tp,
    pipelineParallelSize: pp,
  });

  // Outside the budget at the runtime peak.
  const spike = promptLogprobsSpikeBytes(arch, {
    engine,
    version,
    maxNumBatchedTokens: mnbt,
    maxModelLen,
    dtypeBytes: dtype.bytes,
    outputTypes: workload?.outputTypes ?? [],
    modelRunnerV2: engine === 'V1' && atLeast(version, 0, 22) && arch.modelType === 'qwen3' && !quantSpec,
  });
  if (!workload?.outputTypes?.length) assumptions.push('task output types unknown: no prompt-logprob spike counted');
  else if (spike > 0 && engine === 'V1' && v1PromptTokensBound(workload.outputTypes) < Math.min(maxModelLen, mnbt)) {
    assumptions.push(
      `prompt logprobs: the longest loglikelihood request is taken as ≤ ${LOGLIKELIHOOD_PROMPT_TOKENS_BOUND} tokens (lm-eval's multiple-choice prompts), not max_model_len`,
    );
  }
  // The profiled activation region is free again when the logprobs are computed (the forward's
  // intermediates are gone); only the excess lands outside the budget.
  const spikeRank = ranks.find((r) => r.runsSampler) ?? busiest;
  const spikeOutside = Math.max(0, spike - spikeRank.activationBytes);
  const graphsOutside = graphsInside ? 0 : graphBytes;
  const othersOutside = wholeDevice ? 0 : usedByOthers;
  const contextOutside = wholeDevice ? 0 : contextBytes;
  const effectiveBudget = kvOverride ? nonKv(busiest) + kvOverride : budgetBytes;
  const outsideBudgetBytes = contextOutside + graphsOutside + spikeOutside + othersOutside;
  const headroomBytes = totalBytes - effectiveBudget - outsideBudgetBytes;

  // How sure we are: weights ±2 % (more for a catalog guess), activations ±15 %, non-torch ±0.1 GiB land on the KV figure.
  const weightsUncertainty = Number.isFinite(arch.weightsUncertainty)
    ? Math.min(1, Math.max(0.02, arch.weightsUncertainty!))
    : 0.02;
  const nonKvUncertainty = weightsUncertainty * busiest.weightsBytes + 0.15 * busiest.activationBytes + 0.1 * GiB;
  // A KV connector's own buffers are not modelled; the one public log with one (LMCache,
  // vllm-project/vllm#21348) held 16 % fewer tokens than estimated.
  const connectorBand = settings.kvConnector ? KV_CONNECTOR_ERROR_BAND : 0;
  if (settings.kvConnector)
    assumptions.push(
      `KV connector ${settings.kvConnector} (kv_transfer_config): its GPU buffers are not modelled, so the KV cache may hold fewer tokens (band at least ±${Math.round(KV_CONNECTOR_ERROR_BAND * 100)} %)`,
    );
  const errorBand = Math.min(1, Math.max(0.02, connectorBand, nonKvUncertainty / Math.max(kvCacheBytes, 64 * MiB)));
  const outsideMargin = 0.25 * (graphsOutside + spikeOutside) + 0.02 * totalBytes + 0.25 * GiB;

  let verdict: MemoryEstimate['verdict'] = 'fits';
  const fail = () => (verdict = 'will-fail');
  const risk = () => {
    if (verdict === 'fits') verdict = 'at-risk';
  };

  // Start-up refusals, in the order vLLM checks them.
  if (userLen && userLen > derivedMaxModelLen && !settings.allowLongMaxModelLen) {
    reasons.push({ code: 'max-model-len-too-long', message: maxModelLenMessage(userLen, derivedMaxModelLen) });
    fail();
  }
  if (gpu.freeBytes !== undefined && engine === 'V1' && atLeast(version, 0, 9, 1) && gpu.freeBytes < budgetBytes) {
    reasons.push({ code: 'gpu-memory-in-use', message: freeMemoryMessage(version, gpu.freeBytes, totalBytes, util) });
    fail();
  }
  const weightsPlusLoad = Math.max(...ranks.map((r) => r.weightsBytes));
  if (weightsPlusLoad > totalBytes - contextBytes) {
    reasons.push({
      code: 'weights-exceed-budget',
      message: `The weights alone (${gib(weightsPlusLoad)} GiB per GPU) exceed the ${gib(totalBytes)} GiB device: loading fails with torch.OutOfMemoryError: CUDA out of memory.`,
    });
    fail();
  } else if (kvCacheBytes <= 0 || kvTokens === 0) {
    reasons.push({ code: 'weights-exceed-budget', message: noCacheMemoryMessage(engine, version) });
    fail();
  } else if (schedulableKvBytes < oneSeq) {
    const estimatedMaxLen = Math.max(
      0,
      Math.floor(((schedulableKvBytes / oneSeq) * maxModelLen) / blockSize) * blockSize,
    );
    reasons.push({
      code: 'kv-cache-too-small',
      message: maxSeqLenMessage(engine, version, maxModelLen, kvTokens, oneSeq, schedulableKvBytes, estimatedMaxLen),
    });
    fail();
  } else if (schedulableKvBytes < oneSeq * (1 + errorBand)) {
    assumptions.push(
      `the KV cache holds one max_model_len sequence by less than the ±${Math.round(errorBand * 100)} % error band`,
    );
    risk();
  }

  // After start-up: what sits outside the budget must fit in (1 − util) × total.
  const headroomWithoutSpike = headroomBytes + spikeOutside;
  // From 0.9.1 V1 refuses to start instead (checked above); before, nothing stops the budget from
  // overlapping what other processes hold.
  const startupChecksFree = engine === 'V1' && atLeast(version, 0, 9, 1);
  if (
    othersOutside > 0 &&
    !startupChecksFree &&
    totalBytes - effectiveBudget - othersOutside - contextOutside < outsideMargin
  ) {
    reasons.push({
      code: 'gpu-memory-in-use',
      message: `Other processes hold ${gib(othersOutside)} GiB of the ${gib(totalBytes)} GiB device; vLLM ${versionText(version)} sizes its budget from the total (${util} × total = ${gib(budgetBytes)} GiB) and does not check free memory, so the KV cache allocation or a later step runs out of memory.`,
    });
    if (totalBytes - effectiveBudget - othersOutside - contextOutside < 0) fail();
    else risk();
  }
  if (graphsOutside > 0 && headroomWithoutSpike < outsideMargin) {
    const text =
      engine === 'V0'
        ? 'vLLM warns: "CUDA graphs can take additional 1~3 GiB memory per GPU. If you are running out of memory, consider decreasing `gpu_memory_utilization` or enforcing eager mode. You can also reduce the `max_num_seqs` as needed to decrease memory usage."'
        : `CUDA graphs (${gib(graphsOutside)} GiB) are captured after the KV cache is allocated and are not part of the budget before vLLM 0.21.`;
    reasons.push({ code: 'cuda-graph-headroom', message: text });
    if (headroomWithoutSpike < -outsideMargin) fail();
    else risk();
  }
  if (spikeOutside > 0 && headroomBytes < outsideMargin) {
    const where =
      engine === 'V0'
        ? `V0 materialises ${mnbt} prompt tokens × ${arch.vocabSize} vocab at once`
        : `V1 materialises up to ${Math.min(maxModelLen, mnbt)} tokens × ${arch.vocabSize} vocab per request on every TP rank`;
    reasons.push({
      code: 'logprobs-spike',
      message: `Prompt logprobs need ${gib(spike)} GiB transient (${where}); ${gib(spikeOutside)} GiB of it lands outside the budget, leaving ${gib(headroomBytes)} GiB of headroom. vLLM's profile run never includes it (vllm-project/vllm#5907).`,
    });
    if (headroomBytes < -outsideMargin) fail();
    else risk();
  }
  if (dtype.dtype === 'float32') {
    reasons.push({
      code: 'float32-weights',
      message: `dtype=${settings.dtype ?? 'auto'} loads float32 weights: ${gib(busiest.weightsBytes)} GiB per GPU instead of ${gib(busiest.weightsBytes / 2)} GiB, and doubles activations and the KV cache.`,
    });
  }
  if (dp > 1)
    assumptions.push(
      `data_parallel_size = ${dp}: ${dp} independent engines, one per set of ${worldSize} GPU${worldSize > 1 ? 's' : ''}`,
    );
  if (graphsInside)
    assumptions.push(`CUDA graphs (${gib(graphBytes)} GiB) are reserved inside the budget (vLLM ≥ 0.21 profiles them)`);
  if (enforceEager) assumptions.push('enforce_eager: no CUDA graphs');

  return {
    totalBytes,
    budgetBytes: effectiveBudget,
    gpuMemoryUtilization: util,
    weightsBytes: busiest.weightsBytes,
    nonTorchBytes: nonTorch,
    activationBytes: busiest.activationBytes,
    cudaGraphBytes: graphBytes,
    cudaGraphInsideBudget: graphsInside,
    kvCacheBytes,
    kvBytesPerToken: perTokenBytes,
    kvCacheTokens: kvTokens,
    kvCacheBlocks: kvBlocks,
    maxModelLen,
    derivedMaxModelLen,
    oneSequenceKvBytes: oneSeq,
    logprobsSpikeBytes: spike,
    logprobsSpikeOutsideBytes: spikeOutside,
    otherProcessesBytes: usedByOthers,
    cudaContextBytes: contextBytes,
    outsideBudgetBytes,
    headroomBytes,
    gpusRequired: tp * pp * dp,
    effective: {
      dtype: dtype.dtype,
      weightBytesPerParam: dtype.bytes,
      ...(quantSpec && quantCost
        ? {
            quantization: `${quantSpec.method}${quantSpec.bits ? ` ${quantSpec.bits}-bit` : ''}${quantCost.expertsOnly ? ' experts' : ''}`,
          }
        : {}),
      kvCacheDtype: kvDtypeName === 'auto' ? `auto (${dtype.dtype})` : kvDtypeName,
      maxNumSeqs,
      maxNumBatchedTokens: mnbt,
      enforceEager,
      blockSize,
      engine,
      tensorParallelSize: tp,
      pipelineParallelSize: pp,
      dataParallelSize: dp,
      gpuMemoryUtilization: util,
      enableChunkedPrefill: chunked,
      cudaGraphCaptureSizes: captureSizes,
    },
    verdict,
    reasons,
    assumptions,
    errorBand,
  };
}
