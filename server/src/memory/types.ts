// The memory model's contract: numbers in, numbers out. Nothing here knows of YAML, LSP or VS Code.
// All byte counts are bytes; GiB = 2^30 bytes (shared/units.ts), and only display code converts.
import type { DiagnosticCode } from '../shared/codes';
import type { Verdict } from '../shared/gpuFitTable';

/** Model architecture, in Hugging Face config.json terms (text model only). */
export interface ModelArchitecture {
  /** Hugging Face id or local path it was resolved from. */
  id: string;
  modelType: string;
  numLayers: number;
  hiddenSize: number;
  intermediateSize: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  /** `config.head_dim` when present, else hidden_size / num_attention_heads. */
  headDim: number;
  vocabSize: number;
  /** The value vLLM starts from when deriving max_model_len (before rope scaling). */
  maxPositionEmbeddings: number;
  tieWordEmbeddings: boolean;
  /** `torch_dtype` from the config (`bfloat16`, `float16`, `float32`); absent = unknown. */
  torchDtype?: string;
  /** Total parameter count when known exactly (embeddings included). */
  params?: number;
  ropeScaling?: { type: string; factor?: number; originalMaxPositionEmbeddings?: number };
  /** Sliding-window attention: window size and which layers use it. */
  slidingWindow?: { window: number; layers: 'all' | boolean[] };
  moe?: {
    numExperts: number;
    expertsPerToken: number;
    moeIntermediateSize: number;
    numSharedExperts?: number;
    firstKDenseLayers?: number;
  };
  /**
   * Hybrid models (Qwen3-Next, Jamba, Granite-4, Nemotron-H, Kimi-Linear): the layers that keep a
   * per-token KV cache. The others (linear attention, mamba) hold a fixed per-request state.
   */
  kvCacheLayers?: number;
  /** Multi-head latent attention (DeepSeek V2/V3): one latent vector per token per layer. */
  mla?: { kvLoraRank: number; qkRopeHeadDim: number; qkNopeHeadDim?: number; vHeadDim?: number; qLoraRank?: number };
  /** A quantization the checkpoint itself carries (`quantization_config`). */
  checkpointQuantization?: QuantizationSpec;
  /**
   * How far the weights may be off when the catalog cannot know them exactly, as a fraction
   * (Unsloth dynamic 4-bit ids without their config: up to 0.1); absent = 0.02.
   */
  weightsUncertainty?: number;
  /** Exact checkpoint bytes (safetensors index `metadata.total_size`) when known. */
  checkpointBytes?: number;
  /** The catalog entry a variant or repack was matched to, when it is not this id itself. */
  catalogId?: string;
  /** Caveats of the match (variant not checked field by field, another org's copy, ...). */
  assumptions?: string[];
  /**
   * Set when the model was only matched by its name (a local folder with no readable config.json, a
   * bare name): what was assumed, in words. A fine-tune may change what the catalog says (its
   * max_position_embeddings), so a failure resting on this is not certain.
   */
  matchedByName?: string;
  /**
   * Set when part of this architecture's memory has no formula here (notModelled.ts
   * notModelledReason): the reason, reported instead of an estimate.
   */
  notModelled?: string;
}

export interface QuantizationSpec {
  method: string; // awq, gptq, fp8, bitsandbytes, compressed-tensors, mxfp4, gguf, ...
  bits?: number;
  groupSize?: number;
  /** Modules the checkpoint's `quantization_config` leaves in the model dtype. */
  unquantizedModules?: UnquantizedModules;
}

/**
 * A `quantization_config` list of modules kept unquantized, with the rule vLLM matches it by:
 * `bnb` (`llm_int8_skip_modules`: a name component or a dotted prefix, is_layer_skipped_bnb),
 * `substring` (`modules_to_not_convert` / `ignored_layers`: contained in the layer name,
 * is_layer_skipped_awq), `exact-or-regex` (compressed-tensors `ignore`: the exact name, or
 * `re:<pattern>` matched at the start of it).
 */
export interface UnquantizedModules {
  key: string;
  patterns: string[];
  match: 'bnb' | 'substring' | 'exact-or-regex';
}

export interface GpuSpec {
  /** Catalog name, e.g. `A100-80GB`, or `custom` for a bare memory figure. */
  name: string;
  /** Total memory as `torch.cuda.mem_get_info()[1]` reports it. */
  totalBytes: number;
  /** Free memory when measured (nvidia-smi); absent = assume the whole device is free. */
  freeBytes?: number;
  supportsBf16: boolean;
  /** CUDA compute capability (8.0 for A100), when known. */
  computeCapability?: number;
}

/** vLLM engine settings as lm-eval passes them to `vllm.LLM(...)`. Absent = vLLM's default. */
export interface VllmSettings {
  gpuMemoryUtilization?: number;
  maxModelLen?: number;
  dtype?: string;
  kvCacheDtype?: string;
  quantization?: string;
  tensorParallelSize?: number;
  pipelineParallelSize?: number;
  dataParallelSize?: number;
  maxNumSeqs?: number;
  maxNumBatchedTokens?: number;
  enableChunkedPrefill?: boolean;
  enforceEager?: boolean;
  blockSize?: number;
  cpuOffloadGb?: number;
  /** `kv_transfer_config.kv_connector` (LMCache, NIXL, ...): a KV connector, whose memory is not modelled. */
  kvConnector?: string;
  kvCacheMemoryBytes?: number;
  /** `distributed_executor_backend` (`ray`, `mp`, ...): decides whether 0.8.3–0.9.0 keep PP on V1. */
  distributedExecutorBackend?: string;
  /** `VLLM_ALLOW_LONG_MAX_MODEL_LEN=1` in the environment. */
  allowLongMaxModelLen?: boolean;
  /** `VLLM_USE_V1` from the environment (0.7–0.10 choose the engine with it). */
  useV1?: boolean;
  /** `VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS` (default on from 0.21): graphs inside the budget. */
  estimateCudaGraphs?: boolean;
}

/**
 * Who builds the engine: lm-eval's `vllm.LLM(...)` (`llm`, the default: UsageContext.LLM_CLASS) or
 * `vllm serve` / the OpenAI server (`serve`: OPENAI_API_SERVER, whose batch defaults are smaller).
 */
export type Entrypoint = 'llm' | 'serve';

export type OutputType = 'loglikelihood' | 'loglikelihood_rolling' | 'multiple_choice' | 'generate_until';

/** What lm-eval will ask of the engine. */
export interface Workload {
  /** Output types of the requested tasks; empty = unknown. */
  outputTypes: OutputType[];
  /** Largest `max_gen_toks` of the generate tasks, when known. */
  maxGenToks?: number;
  /** lm-eval `--batch_size` (`auto` or a number). */
  batchSize?: string | number;
}

export interface VllmVersion {
  major: number;
  minor: number;
  patch: number;
}

export interface EstimateInput {
  architecture: ModelArchitecture;
  gpu: GpuSpec;
  settings: VllmSettings;
  workload: Workload;
  version: VllmVersion;
  /** Who builds the engine; absent = `llm` (lm-eval's `vllm.LLM(...)`). */
  entrypoint?: Entrypoint;
  /**
   * The launch's environment, as exported by the script (absent = none set). Read: VLLM_USE_V1,
   * VLLM_USE_FLASHINFER_SAMPLER, VLLM_PP_LAYER_PARTITION, PYTORCH_CUDA_ALLOC_CONF,
   * VLLM_ALLOW_LONG_MAX_MODEL_LEN, VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS. A setting in
   * `settings` (useV1, allowLongMaxModelLen, estimateCudaGraphs) wins over the variable.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

export type { Verdict };

/**
 * The diagnostic codes the memory model decides, one judge each (startup.ts). `satisfies` ties them
 * to the public codes at compile time: a code missing from DIAGNOSTIC_CODES does not build.
 */
export const MEMORY_REASON_CODES = [
  'kv-cache-too-small',
  'weights-exceed-budget',
  'cuda-graph-headroom',
  'logprobs-spike',
  'float32-weights',
  'gpu-memory-in-use',
  'max-model-len-too-long',
] as const satisfies readonly DiagnosticCode[];

export type MemoryReasonCode = (typeof MEMORY_REASON_CODES)[number];

/** Why a verdict was reached; `code` names the rule that reports it. */
export interface EstimateReason {
  code: MemoryReasonCode;
  message: string;
  /**
   * How sure: `will-fail` when the failure lies outside the estimate's band, `at-risk` when it lies
   * within it (a rule reports the former as an error, the latter as a warning), `fits` for a
   * finding that is no failure (float32-weights).
   */
  verdict: Verdict;
}

/** Per GPU rank (the busiest one). */
export interface MemoryEstimate {
  totalBytes: number;
  budgetBytes: number;
  gpuMemoryUtilization: number;
  weightsBytes: number;
  /** Relative band of the weights figure (measured on the public logs; wider for a catalog guess). */
  weightsBand: number;
  /** [low, high] of the weights per rank, bytes. */
  weightsBytesRange: [number, number];
  nonTorchBytes: number;
  activationBytes: number;
  /** Graph pool; `cudaGraphInsideBudget` says whether vLLM reserves it from the budget (≥ 0.21). */
  cudaGraphBytes: number;
  cudaGraphInsideBudget: boolean;
  kvCacheBytes: number;
  /** [low, high] of the KV cache bytes: the estimate ± its band. */
  kvCacheBytesRange: [number, number];
  kvBytesPerToken: number;
  /** Tokens one sequence's engine can use (V0 + PP: one virtual engine's share of the blocks). */
  kvCacheTokens: number;
  /** [low, high] of kvCacheTokens: the KV bytes' band in whole blocks. */
  kvCacheTokensRange: [number, number];
  /** KV blocks the busiest rank allocates ("# GPU blocks" in V0 logs). */
  kvCacheBlocks: number;
  /** The max_model_len vLLM will use (user value, else derived from the config). */
  maxModelLen: number;
  /** The max_model_len vLLM derives from the config (the ceiling without VLLM_ALLOW_LONG_MAX_MODEL_LEN). */
  derivedMaxModelLen: number;
  /** KV bytes one max_model_len request needs (what vLLM's startup check compares against). */
  oneSequenceKvBytes: number;
  logprobsSpikeBytes: number;
  /** The part of the spike the profiled activation reservation cannot absorb (what lands outside). */
  logprobsSpikeOutsideBytes: number;
  /** Memory other processes hold on the device (nvidia-smi total − free), counted where vLLM counts it. */
  otherProcessesBytes: number;
  /** CUDA context (+ NCCL for TP > 1 from v0.11): always outside the budget. */
  cudaContextBytes: number;
  /** Everything that sits outside `util × total` at the peak: context, graphs (< 0.21), logprob spike. */
  outsideBudgetBytes: number;
  /** total − budget − outside; negative means the device runs out. */
  headroomBytes: number;
  /** GPUs the configuration asks for: TP × PP × DP. */
  gpusRequired: number;
  /** The settings vLLM will really use after defaults (max_num_seqs, mnbt, dtype, ...). */
  effective: {
    /** Who builds the engine (`llm`: lm-eval's `vllm.LLM(...)`; `serve`: `vllm serve`). */
    entrypoint: Entrypoint;
    dtype: string;
    weightBytesPerParam: number;
    /** The weight quantization in effect (`mxfp4 4-bit experts`, `awq 4-bit`, ...); absent = none. */
    quantization?: string;
    kvCacheDtype: string;
    maxNumSeqs: number;
    maxNumBatchedTokens: number;
    enforceEager: boolean;
    blockSize: number;
    engine: 'V0' | 'V1';
    /** The accounting regime the band was measured in: V0, V1 ≤ 0.11, V1 0.12–0.20, V1 ≥ 0.21. */
    accountingEra: string;
    tensorParallelSize: number;
    pipelineParallelSize: number;
    /** Decoder layers of each pipeline stage (get_pp_indices / VLLM_PP_LAYER_PARTITION). */
    pipelineStageLayers: number[];
    dataParallelSize: number;
    gpuMemoryUtilization: number;
    enableChunkedPrefill: boolean;
    /** CUDA-graph capture sizes (batch sizes); empty with enforce_eager. */
    cudaGraphCaptureSizes: number[];
    /** The sampler warm-up's top-k/top-p backend: `pytorch-sort`, `flashinfer` or `triton`. */
    samplerBackend: string;
    /** Model Runner V2 (prompt logprobs in 1024-token chunks). */
    modelRunnerV2: boolean;
  };
  verdict: Verdict;
  reasons: EstimateReason[];
  /** Human-readable assumptions, e.g. "max_num_seqs = 256 (vLLM default on A100)". */
  assumptions: string[];
  /** Relative band of the KV-capacity figure, e.g. 0.1 = ±10 % (measured per era, widened for what is not modelled). */
  errorBand: number;
}
