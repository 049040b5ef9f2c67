// From what the user wrote to the settings vLLM will really run with: the engine, the parallel
// layout, dtype and KV dtype, the quantization in effect, max_model_len and the batch limits, each
// default named in an assumption. No memory arithmetic here; that is terms/. `resolveInputs` reads
// as vLLM's `EngineArgs` order, one named step per setting; the launch's environment variables are
// parsed in vllmEnvironment.ts.
import {
  chunkedPrefill,
  DEFAULT_BLOCK_SIZE,
  defaultGpuMemoryUtilization,
  defaultMaxModelLen,
  defaultMaxNumBatchedTokens,
  defaultMaxNumSeqs,
  dtypeAssumption,
  gpuMemoryUtilizationAssumption,
  maxModelLenAssumption,
  maxNumBatchedTokensAssumption,
  maxNumSeqsAssumption,
  resolveDtype,
  type ResolvedDtype,
} from './defaults';
import {
  mxfp4ExpertLayout,
  quantizationFromName,
  quantizedWeightCost,
  type ExpertLayout,
  type QuantizedWeightCost,
} from './quantization';
import { type SamplerChoice, samplerBackend } from './terms/activations';
import { kvCacheDtype, kvCacheLayerCount } from './terms/kvCache';
import { ppPartition } from './terms/weights';
import type {
  Entrypoint,
  EstimateInput,
  GpuSpec,
  ModelArchitecture,
  QuantizationSpec,
  UnquantizedModules,
  VllmSettings,
  VllmVersion,
  Workload,
} from './types';
import { unquantizedParams } from './unquantizedModules';
import { chooseEngine, modelRunnerV2 } from './engine';
import { atLeast, EARLIEST_MODELLED_VLLM_VERSION, type Engine, versionText } from './version';
import { type VllmEnvironment, vllmEnvironment } from './vllmEnvironment';

/** Every setting an estimate uses, after vLLM's defaults; `assumptions` names the defaults taken. */
export interface ResolvedInputs {
  arch: ModelArchitecture;
  gpu: GpuSpec;
  settings: VllmSettings;
  workload: Workload;
  version: VllmVersion;
  engine: Engine;
  tp: number;
  pp: number;
  dp: number;
  /** Ranks of one engine: TP × PP. */
  worldSize: number;
  totalBytes: number;
  util: number;
  dtype: ResolvedDtype;
  kvDtypeName: string;
  kvDtypeBytes: number;
  /** The KV dtype's layout is not fully known (TurboQuant metadata, MLA packed layouts). */
  kvDtypeUncertain: boolean;
  /** Model Runner V2 (dense models from 0.25; dense Qwen3 from ≈0.22). */
  modelRunnerV2: boolean;
  quantSpec?: QuantizationSpec;
  quantCost?: QuantizedWeightCost;
  expertLayout?: ExpertLayout;
  unquantized?: UnquantizedModules;
  derivedMaxModelLen: number;
  /** max_model_len as the user set it, when valid. */
  userMaxModelLen?: number;
  maxModelLen: number;
  chunked: boolean;
  maxNumSeqs: number;
  entrypoint: Entrypoint;
  /** The environment variables that change memory, as vLLM parses them. */
  env: VllmEnvironment;
  maxNumBatchedTokens: number;
  blockSize: number;
  enforceEager: boolean;
  /** Decoder layers of each pipeline stage. */
  ppLayers: number[];
  /** Set when VLLM_PP_LAYER_PARTITION is given but invalid (vLLM raises ValueError). */
  ppPartitionNote?: string;
  /** The sampler warm-up's top-k/top-p backend. */
  sampler: SamplerChoice;
  assumptions: string[];
}

function positiveInt(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) && v >= 1 ? Math.floor(v) : undefined;
}

function clampUtil(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) && v > 0 && v <= 1 ? v : undefined;
}

const count = (v: unknown, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback;

/** Guard the arithmetic against a hand-written or truncated config: every size at least 1. */
export function sanitizeArchitecture(a: ModelArchitecture): ModelArchitecture {
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
/** The settings vLLM will use for this input, in the order vLLM's `EngineArgs` settles them. */
export function resolveInputs(input: EstimateInput): ResolvedInputs {
  const arch = sanitizeArchitecture(input.architecture);
  const { gpu, workload, version } = input;
  const env = vllmEnvironment(input.env);
  const settings = withEnvironment(input.settings ?? {}, env);
  const s: Settling = { arch, gpu, settings, version, assumptions: [...(arch.assumptions ?? [])] };
  const { assumptions } = s;

  if (!atLeast(version, EARLIEST_MODELLED_VLLM_VERSION.major, EARLIEST_MODELLED_VLLM_VERSION.minor)) {
    assumptions.push(
      `vLLM ${versionText(version)} predates the modelled versions (0.4.0 on): estimated with 0.4.0's accounting, whose profiler may differ (0.2.x charged NCCL memory differently, vllm-project/vllm#2031)`,
    );
  }
  const tp = positiveInt(settings.tensorParallelSize) ?? 1;
  const pp = positiveInt(settings.pipelineParallelSize) ?? 1;
  const dp = positiveInt(settings.dataParallelSize) ?? 1;
  const util = memoryUtilization(s);
  const dtype = modelDtype(s);
  if (kvCacheLayerCount(arch) < arch.numLayers) assumptions.push(hybridModelNote(arch));
  const kv = kvCacheDtypeOf(s, dtype);
  const quant = quantizationOf(s, dtype);
  const engine = engineOf(s, pp, dtype, kv.kvDtypeName, quant.quantSpec);
  const { maxNumBatchedTokens, ...lengths } = batchLimits(s, engine, input.entrypoint);
  const partition = ppPartition(arch.numLayers, pp, env.ppLayerPartition);
  const mrv2 = modelRunnerV2(engine, version, arch, quant.quantSpec !== undefined);
  if (mrv2)
    assumptions.push(
      `Model Runner V2 (${
        atLeast(version, 0, 25)
          ? `the default for dense models from vLLM 0.25, #44443${quant.quantSpec ? '; quantized ones from 0.25.1' : ''}`
          : 'the default for dense, unquantized Qwen3 from ≈0.22, #39337'
      })`,
    );
  const sampler = samplerBackend(engine, version, env.flashinferSampler, env.flashinferInstalled);
  if (engine === 'V1' && atLeast(version, 0, 8)) assumptions.push(`sampler warm-up: ${sampler.why}`);

  return {
    arch,
    gpu,
    settings,
    workload,
    version,
    engine,
    tp,
    pp,
    dp,
    worldSize: tp * pp,
    totalBytes: Math.max(0, gpu.totalBytes || 0),
    util,
    dtype,
    ...kv,
    modelRunnerV2: mrv2,
    ...quant,
    ...lengths,
    env,
    maxNumBatchedTokens,
    blockSize: positiveInt(settings.blockSize) ?? DEFAULT_BLOCK_SIZE,
    enforceEager: settings.enforceEager === true,
    ppLayers: partition.layers,
    ...(partition.invalidOverride ? { ppPartitionNote: partition.invalidOverride } : {}),
    sampler,
    assumptions,
  };
}

/** What each step of `resolveInputs` reads, and the assumptions it adds to, in vLLM's order. */
interface Settling {
  arch: ModelArchitecture;
  gpu: GpuSpec;
  settings: VllmSettings;
  version: VllmVersion;
  assumptions: string[];
}

/** A setting given directly (fixes try overrides) wins over the launch's environment. */
function withEnvironment(given: VllmSettings, env: VllmEnvironment): VllmSettings {
  return {
    ...given,
    useV1: given.useV1 ?? env.useV1,
    allowLongMaxModelLen: given.allowLongMaxModelLen ?? env.allowLongMaxModelLen,
    estimateCudaGraphs: given.estimateCudaGraphs ?? env.estimateCudaGraphs,
  };
}

/** gpu_memory_utilization as given when it is a fraction in (0, 1], else the release's default. */
function memoryUtilization({ settings, version, assumptions }: Settling): number {
  const util = clampUtil(settings.gpuMemoryUtilization) ?? defaultGpuMemoryUtilization(version);
  if (clampUtil(settings.gpuMemoryUtilization) === undefined)
    assumptions.push(gpuMemoryUtilizationAssumption(util, version));
  return util;
}

/** The model's dtype: `auto` resolved by the config, the GPU and the release. */
function modelDtype({ arch, settings, gpu, version, assumptions }: Settling): ResolvedDtype {
  const dtype = resolveDtype(arch, settings.dtype, gpu, version);
  if (!settings.dtype || settings.dtype.trim().toLowerCase() === 'auto') assumptions.push(dtypeAssumption(arch, dtype));
  if (dtype.note) assumptions.push(dtype.note);
  return dtype;
}

function hybridModelNote(arch: ModelArchitecture): string {
  return (
    `hybrid model: ${kvCacheLayerCount(arch)} of ${arch.numLayers} layers keep a per-token KV cache; the linear-attention/mamba layers' fixed per-request state is not counted` +
    (arch.params || arch.checkpointBytes ? '' : ', and their weights are sized as attention layers')
  );
}

/** kv_cache_dtype (`auto` follows the model's dtype) and its bytes per element. */
function kvCacheDtypeOf(
  { arch, settings, assumptions }: Settling,
  dtype: ResolvedDtype,
): Pick<ResolvedInputs, 'kvDtypeName' | 'kvDtypeBytes' | 'kvDtypeUncertain'> {
  const kvDtypeName = settings.kvCacheDtype?.trim() || 'auto';
  const kvDtype = kvCacheDtype(kvDtypeName, dtype.bytes, arch.headDim);
  if (kvDtype.caveat) assumptions.push(kvDtype.caveat);
  return { kvDtypeName, kvDtypeBytes: kvDtype.bytes, kvDtypeUncertain: kvDtype.caveat !== undefined };
}

/**
 * The quantization in effect: the user's `quantization=` wins over the checkpoint's own config; its
 * cost per weight, the MoE experts' layout, and the modules the checkpoint keeps unquantized.
 */
function quantizationOf(
  { arch, settings, gpu, version, assumptions }: Settling,
  dtype: ResolvedDtype,
): Pick<ResolvedInputs, 'quantSpec' | 'quantCost' | 'expertLayout' | 'unquantized'> {
  const ckptQuant = arch.checkpointQuantization;
  const named = quantizationFromName(settings.quantization);
  // `quantization=` names a method; a format such as compressed-tensors or gguf carries no bit
  // width, which comes from the checkpoint (its config, or the name's hint: `-W4A16`, `-int4`):
  // vLLM's CompressedTensorsConfig reads num_bits from quantization_config.config_groups.
  const quantSpec =
    named && named.bits === undefined && ckptQuant?.bits !== undefined
      ? {
          ...named,
          bits: ckptQuant.bits,
          ...(ckptQuant.groupSize !== undefined ? { groupSize: ckptQuant.groupSize } : {}),
          ...(ckptQuant.unquantizedModules ? { unquantizedModules: ckptQuant.unquantizedModules } : {}),
        }
      : (named ?? ckptQuant);
  const quantCost = quantSpec ? quantizedWeightCost(quantSpec) : undefined;
  if (quantSpec && quantCost) assumptions.push(`weights: ${quantCost.label}; embeddings and lm_head ${dtype.dtype}`);
  else if (quantSpec)
    assumptions.push(`quantization ${quantSpec.method}: size unknown, weights counted at ${dtype.dtype}`);
  const expertLayout =
    quantCost?.expertsOnly && arch.moe ? mxfp4ExpertLayout(gpu.computeCapability, version) : undefined;
  if (expertLayout) assumptions.push(`weights: ${expertLayout.label}`);
  // vLLM reads the skip list from the checkpoint's config even when `quantization=` names the method.
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
  return { quantSpec, quantCost, expertLayout, unquantized };
}

/** The engine: the release's default, unless the V1 oracle of 0.8–0.10 falls back to V0. */
function engineOf(
  { arch, settings, gpu, version, assumptions }: Settling,
  pp: number,
  dtype: ResolvedDtype,
  kvDtypeName: string,
  quantSpec: QuantizationSpec | undefined,
): Engine {
  const choice = chooseEngine({
    version,
    useV1: settings.useV1,
    gpu,
    arch,
    dtype: dtype.dtype,
    kvCacheDtype: kvDtypeName,
    quantization: quantSpec?.method,
    pipelineParallelSize: pp,
    distributedExecutorBackend: settings.distributedExecutorBackend,
  });
  const engine = choice.engine;
  if (choice.fallbacks.length)
    assumptions.push(`V0 (vLLM ${versionText(version)} falls back: ${choice.fallbacks.join('; ')})`);
  else if (settings.useV1 === false && engine === 'V0' && atLeast(version, 0, 8))
    assumptions.push('V0 (VLLM_USE_V1=0)');
  assumptions.push(...choice.notes);
  return engine;
}

type BatchLimits = Pick<
  ResolvedInputs,
  | 'derivedMaxModelLen'
  | 'userMaxModelLen'
  | 'maxModelLen'
  | 'chunked'
  | 'maxNumSeqs'
  | 'entrypoint'
  | 'maxNumBatchedTokens'
>;

/** max_model_len, chunked prefill, max_num_seqs and max_num_batched_tokens, defaulted by engine and release. */
function batchLimits(
  { arch, settings, gpu, version, assumptions }: Settling,
  engine: Engine,
  entrypointGiven: Entrypoint | undefined,
): BatchLimits {
  const derivedMaxModelLen = defaultMaxModelLen(arch, version);
  const userMaxModelLen = positiveInt(settings.maxModelLen);
  const maxModelLen = userMaxModelLen ?? derivedMaxModelLen;
  if (!userMaxModelLen) assumptions.push(maxModelLenAssumption(derivedMaxModelLen));

  const chunkedChoice = chunkedPrefill(engine, version, arch, maxModelLen, settings.enableChunkedPrefill);
  const chunked = chunkedChoice.enabled;
  if (chunkedChoice.note) assumptions.push(chunkedChoice.note);
  let maxNumSeqs = positiveInt(settings.maxNumSeqs) ?? defaultMaxNumSeqs(engine, version, gpu);
  if (!positiveInt(settings.maxNumSeqs)) assumptions.push(maxNumSeqsAssumption(maxNumSeqs, engine, gpu));
  const entrypoint: Entrypoint = entrypointGiven === 'serve' ? 'serve' : 'llm';
  const maxNumBatchedTokens =
    positiveInt(settings.maxNumBatchedTokens) ??
    defaultMaxNumBatchedTokens(engine, version, gpu, maxModelLen, maxNumSeqs, chunked, entrypoint);
  if (!positiveInt(settings.maxNumBatchedTokens))
    assumptions.push(maxNumBatchedTokensAssumption(maxNumBatchedTokens, engine, entrypoint, chunked));
  // V1 clips a defaulted max_num_seqs to max_num_batched_tokens (≈0.10+, `_set_default_args_v1`).
  if (engine === 'V1' && atLeast(version, 0, 10) && !positiveInt(settings.maxNumSeqs))
    maxNumSeqs = Math.min(maxNumSeqs, maxNumBatchedTokens);
  return { derivedMaxModelLen, userMaxModelLen, maxModelLen, chunked, maxNumSeqs, entrypoint, maxNumBatchedTokens };
}
