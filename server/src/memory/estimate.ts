// The vLLM GPU-memory model, per GPU rank (the binding one), composed in vLLM's start-up order:
// resolve the settings (inputs.ts, defaults.ts, engine.ts), load the weights, profile the
// activations and the non-torch growth, size the KV cache from what is left of util × total on
// every rank (the smallest block count wins), capture CUDA graphs, then judge the start-up checks
// and the after-start headroom (startup.ts). Each term is a file under terms/ that opens with the
// vLLM source it follows (reference/vllm-memory.md, vllm-memory-2026.md).
import { GiB, MiB } from '../shared/units';
import { accountingEra, MEASURED_WEIGHTS_BAND, measuredKvBand } from './errorBands';
import { hasInnerState } from './engine';
import { resolveInputs, type ResolvedInputs } from './inputs';
import { type RankNumbers, rankNumbers } from './ranks';
import { judge } from './startup';
import {
  cudaGraphBytes,
  cudaGraphCaptureSizes,
  cudaGraphEstimateBytes,
  cudaGraphInsideBudget,
} from './terms/cudaGraphs';
import { kvBytesPerTokenPerLayer, kvCacheBlocks, oneSequenceKvBytes } from './terms/kvCache';
import { cudaContextBytes, nonTorchBytes, nonTorchUnmodelled, wholeDeviceAccounting } from './terms/nonTorch';
import {
  LOGLIKELIHOOD_PROMPT_TOKENS_BOUND,
  promptLogprobsSpikeBytes,
  requestsPerCall,
  v0PromptTokensPerStep,
  v1PromptTokensBound,
} from './terms/promptLogprobs';
import type { EstimateInput, MemoryEstimate } from './types';
import { atLeast, versionText } from './version';

const gib = (bytes: number, digits = 2) => (bytes / GiB).toFixed(digits);

/** The least KV-capacity error band with a KV connector (kv_transfer_config) configured. */
export const KV_CONNECTOR_ERROR_BAND = 0.2;

/**
 * Hybrid gated-DeltaNet models from 0.26.0: the graph estimator charges a profiling transient that
 * grows with max_num_batched_tokens, which costs 18–24 % of the KV cache (vllm-project/vllm#50780);
 * the middle of that range, and its half-width in the band.
 */
export const HYBRID_PROFILING_KV_SHARE = 0.21;
const HYBRID_PROFILING_KV_SPREAD = 0.03;

/** Model Runner V2 reports 0.1–0.9 GiB more available KV memory than V1 on the same setup (#50159). */
const MRV2_KV_SPREAD_BYTES = 0.9 * GiB;

/** What sits beside the weights and activations on every rank: non-torch, context, others, graphs. */
interface Overheads {
  nonTorch: number;
  topologyCaveat?: string;
  contextBytes: number;
  usedByOthers: number;
  wholeDevice: boolean;
  captureSizes: number[];
  graphBytes: number;
  graphsInside: boolean;
}

function overheadsOf(r: ResolvedInputs): Overheads {
  const { arch, gpu, settings, version, engine, tp, pp, totalBytes, assumptions } = r;
  const topology = {
    engine,
    version,
    tensorParallelSize: tp,
    pipelineParallelSize: pp,
    computeCapability: gpu.computeCapability,
  };
  const topologyCaveat = nonTorchUnmodelled(topology);
  if (topologyCaveat) assumptions.push(topologyCaveat);
  const usedByOthers = gpu.freeBytes !== undefined ? Math.max(0, totalBytes - gpu.freeBytes) : 0;
  const wholeDevice = wholeDeviceAccounting(engine, version);
  if (gpu.freeBytes === undefined) assumptions.push(`the whole ${gpu.name} is free (no other processes)`);
  if (wholeDevice)
    assumptions.push(
      `vLLM ${versionText(version)} charges the CUDA context${usedByOthers ? ' and other processes' : ''} to the budget (whole-device accounting)`,
    );
  // CUDA graphs: from 0.21 the estimate is reserved inside the budget, except Model Runner V2 in
  // 0.25.x, whose estimator returned 0 (#49224), so capture lands outside it.
  const captureSizes = cudaGraphCaptureSizes(engine, version, r.maxNumSeqs, r.maxNumBatchedTokens, r.enforceEager);
  const poolBytes = cudaGraphBytes(arch, engine, version, captureSizes, r.dtype.bytes, tp, pp);
  const mrv2ZeroGraphEstimate = r.modelRunnerV2 && atLeast(version, 0, 25) && !atLeast(version, 0, 26);
  const graphsInside =
    poolBytes > 0 && !mrv2ZeroGraphEstimate && cudaGraphInsideBudget(engine, version, settings.estimateCudaGraphs);
  // Inside the budget counts what vLLM's estimator reserves; outside, what capture takes.
  const graphBytes = graphsInside
    ? cudaGraphEstimateBytes(arch, captureSizes, r.maxNumSeqs, r.dtype.bytes, tp)
    : poolBytes;
  if (mrv2ZeroGraphEstimate && graphBytes > 0)
    assumptions.push(
      `Model Runner V2 in vLLM ${versionText(version)} estimates its CUDA graphs at 0 (vllm-project/vllm#49224): they are captured outside the budget`,
    );
  return {
    nonTorch: nonTorchBytes(topology),
    ...(topologyCaveat ? { topologyCaveat } : {}),
    contextBytes: cudaContextBytes(engine, version, tp * pp),
    usedByOthers,
    wholeDevice,
    captureSizes,
    graphBytes,
    graphsInside,
  };
}

/** The KV cache of the binding rank: what the budget leaves, in whole blocks, and one request's need. */
interface KvCache {
  budgetBytes: number;
  nonKv(rank: RankNumbers): number;
  kvOverride?: number;
  hybridTransient: boolean;
  binding: RankNumbers;
  perTokenBytes: number;
  kvCacheBytes: number;
  kvBlocks: number;
  kvTokens: number;
  tokensOf(bytes: number): number;
  virtualEngines: number;
  schedulableKvBytes: number;
  oneSeq: number;
}

function kvCacheOf(r: ResolvedInputs, ranks: RankNumbers[], o: Overheads): KvCache {
  const { arch, settings, version, engine, pp, blockSize, assumptions } = r;
  // Every rank gets the smallest block count (V0: the executor's min; V1: get_kv_cache_configs).
  const budgetBytes = r.util * r.totalBytes;
  const chargedOutside = o.wholeDevice ? o.contextBytes + o.usedByOthers : 0;
  const nonKv = (rank: RankNumbers) =>
    rank.weightsBytes + rank.activationBytes + o.nonTorch + chargedOutside + (o.graphsInside ? o.graphBytes : 0);
  const perLayerBytes = kvBytesPerTokenPerLayer(arch, r.kvDtypeBytes, r.tp, version);
  const kvOverride =
    settings.kvCacheMemoryBytes !== undefined &&
    engine === 'V1' &&
    atLeast(version, 0, 11) &&
    settings.kvCacheMemoryBytes > 0
      ? settings.kvCacheMemoryBytes
      : undefined;
  if (kvOverride)
    assumptions.push(
      `kv_cache_memory_bytes = ${kvOverride}: the KV cache size is fixed and gpu_memory_utilization is ignored`,
    );
  // Hybrid GDN models from 0.26: the estimator's profiling transient (#50780).
  const hybridTransient = hasInnerState(arch) && engine === 'V1' && atLeast(version, 0, 26) && o.graphsInside;
  if (hybridTransient)
    assumptions.push(
      `hybrid model on vLLM ≥ 0.26: the CUDA-graph estimate charges a profiling transient that costs ${HYBRID_PROFILING_KV_SHARE * 100} ± ${HYBRID_PROFILING_KV_SPREAD * 100} % of the KV cache (vllm-project/vllm#50780)`,
    );
  const kvBytesOf = (rank: RankNumbers) => {
    if (kvOverride) return kvOverride;
    const left = budgetBytes - nonKv(rank);
    return hybridTransient && left > 0 ? left * (1 - HYBRID_PROFILING_KV_SHARE) : left;
  };
  const blocksOf = (rank: RankNumbers) =>
    kvCacheBlocks(kvBytesOf(rank), Math.max(1, rank.kvLayers) * perLayerBytes, blockSize);
  const binding = ranks.reduce((a, b) => {
    const ba = blocksOf(a);
    const bb = blocksOf(b);
    return bb < ba || (bb === ba && kvBytesOf(b) < kvBytesOf(a)) ? b : a;
  });
  const perTokenBytes = Math.max(1, binding.kvLayers) * perLayerBytes;
  const kvCacheBytes = kvBytesOf(binding);
  const kvBlocks = kvCacheBlocks(kvCacheBytes, perTokenBytes, blockSize);
  // What one sequence can use: V0's virtual engines each get 1/pp of the blocks.
  const virtualEngines = engine === 'V0' ? pp : 1;
  const tokensOf = (bytes: number) =>
    Math.floor(kvCacheBlocks(bytes, perTokenBytes, blockSize) / virtualEngines) * blockSize;
  const kvTokens = tokensOf(kvCacheBytes);
  if (virtualEngines > 1)
    assumptions.push(
      `V0 pipeline parallelism: the ${kvBlocks} KV blocks are split over ${pp} virtual engines (${kvTokens} tokens each)`,
    );
  return {
    budgetBytes,
    nonKv,
    ...(kvOverride ? { kvOverride } : {}),
    hybridTransient,
    binding,
    perTokenBytes,
    kvCacheBytes,
    kvBlocks,
    kvTokens,
    tokensOf,
    virtualEngines,
    schedulableKvBytes: kvCacheBytes / virtualEngines,
    oneSeq: oneSequenceNeed(r, binding),
  };
}

/**
 * KV bytes one max_model_len request needs at the start-up check: the binding worker's own layers,
 * except V1 ≈0.14–0.15 under PP, which checked every stage's layers against one worker's memory
 * (#29431 until #33698; reported in #32105).
 */
function oneSequenceNeed(r: ResolvedInputs, binding: RankNumbers): number {
  const { arch, version, engine, pp } = r;
  const mergedPpCheck = pp > 1 && engine === 'V1' && atLeast(version, 0, 14) && !atLeast(version, 0, 16);
  if (mergedPpCheck)
    r.assumptions.push(
      `vLLM ${versionText(version)} checks one max_model_len request against one pipeline stage's memory with every stage's layers (vllm-project/vllm#32105)`,
    );
  return oneSequenceKvBytes(
    mergedPpCheck ? arch : { ...arch, kvCacheLayers: binding.kvLayers, numLayers: Math.max(1, binding.layers) },
    {
      engine,
      version,
      maxModelLen: r.maxModelLen,
      maxNumBatchedTokens: r.maxNumBatchedTokens,
      blockSize: r.blockSize,
      kvDtypeBytes: r.kvDtypeBytes,
      tensorParallelSize: r.tp,
      pipelineParallelSize: 1,
    },
  );
}

/** The unprofiled prompt-logprob spike, as lm-eval drives it, and the assumption it implies. */
function logprobsSpikeOf(r: ResolvedInputs): number {
  const { arch, workload, engine, maxModelLen, assumptions } = r;
  const mnbt = r.maxNumBatchedTokens;
  const outputTypes = workload?.outputTypes ?? [];
  const perCall = requestsPerCall(workload?.batchSize);
  const options = {
    engine,
    version: r.version,
    maxNumBatchedTokens: mnbt,
    maxModelLen,
    dtypeBytes: r.dtype.bytes,
    outputTypes,
    modelRunnerV2: r.modelRunnerV2,
    requestsPerCall: perCall,
  };
  const spike = promptLogprobsSpikeBytes(arch, options);
  if (!outputTypes.length) assumptions.push('task output types unknown: no prompt-logprob spike counted');
  else if (spike > 0 && engine === 'V1' && v1PromptTokensBound(outputTypes) < Math.min(maxModelLen, mnbt)) {
    assumptions.push(
      `prompt logprobs: the longest loglikelihood request is taken as ≤ ${LOGLIKELIHOOD_PROMPT_TOKENS_BOUND} tokens (lm-eval's multiple-choice prompts), not max_model_len`,
    );
  } else if (spike > 0 && engine === 'V0') {
    const tokens = v0PromptTokensPerStep(options);
    assumptions.push(
      perCall !== undefined && tokens < mnbt
        ? `prompt logprobs: --batch_size ${perCall} puts at most ${tokens} prompt tokens in one V0 step (${perCall} × the longest prompt), not max_num_batched_tokens`
        : `prompt logprobs: V0 materialises every prompt token of a step (${tokens})${perCall === undefined ? '; --batch_size auto lets vLLM fill the step' : ''}`,
    );
  }
  return spike;
}

/** The band of the KV figure in bytes and of the weights, with what widened it. */
interface Band {
  weightsBand: number;
  bandBytes: number;
  errorBand: number;
  text: string;
}

/**
 * How sure: the era's measured band (residuals on the public logs, as a share of the budget),
 * widened by what this configuration has that the model does not count.
 */
function bandOf(r: ResolvedInputs, kv: KvCache, o: Overheads): Band {
  const { arch, settings, engine, version } = r;
  const era = accountingEra(engine, version);
  const measured = measuredKvBand(era);
  const weightsBand = Math.min(
    1,
    Math.max(MEASURED_WEIGHTS_BAND.fraction, Number.isFinite(arch.weightsUncertainty) ? arch.weightsUncertainty! : 0),
  );
  const positiveKv = Math.max(0, kv.kvCacheBytes);
  const widenings: { bytes: number; why: string }[] = [];
  if (weightsBand > MEASURED_WEIGHTS_BAND.fraction)
    widenings.push({
      bytes: (weightsBand - MEASURED_WEIGHTS_BAND.fraction) * kv.binding.weightsBytes,
      why: 'the weights of a checkpoint known by name only',
    });
  if (r.sampler.alternativeBytesPerLogit !== undefined && kv.binding.runsSampler) {
    const rows = Math.min(r.maxNumSeqs, r.maxNumBatchedTokens);
    widenings.push({
      bytes: Math.abs(r.sampler.alternativeBytesPerLogit - r.sampler.bytesPerLogit) * rows * arch.vocabSize,
      why: 'whether FlashInfer is installed (the sampler warm-up)',
    });
  }
  if (settings.kvConnector) {
    // A KV connector's own buffers are not modelled; the one public log with one (LMCache,
    // vllm-project/vllm#21348) held 16 % fewer tokens than estimated.
    widenings.push({ bytes: KV_CONNECTOR_ERROR_BAND * positiveKv, why: `KV connector ${settings.kvConnector}` });
    r.assumptions.push(
      `KV connector ${settings.kvConnector} (kv_transfer_config): its GPU buffers are not modelled, so the KV cache may hold fewer tokens (band at least ±${Math.round(KV_CONNECTOR_ERROR_BAND * 100)} %)`,
    );
  }
  if (r.kvDtypeUncertain) widenings.push({ bytes: 0.125 * positiveKv, why: 'the KV dtype layout' });
  if (hasInnerState(arch))
    widenings.push({
      bytes: (kv.hybridTransient ? HYBRID_PROFILING_KV_SPREAD : 0.1) * positiveKv,
      why: 'the linear-attention / mamba state',
    });
  if (r.modelRunnerV2) widenings.push({ bytes: MRV2_KV_SPREAD_BYTES, why: 'Model Runner V2 (#50159)' });
  if (o.topologyCaveat) widenings.push({ bytes: o.nonTorch, why: 'communication buffers across nodes or stages' });
  const bandBytes = measured.kvFractionOfBudget * kv.budgetBytes + widenings.reduce((a, w) => a + w.bytes, 0);
  const errorBand = Math.min(1, Math.max(0.01, bandBytes / Math.max(kv.kvCacheBytes, 64 * MiB)));
  const text = `KV band ±${Math.round(errorBand * 100)} %: ${(measured.kvFractionOfBudget * 100).toFixed(1)} % of the budget measured on ${measured.records} public logs (${measured.era === 'all' ? `all eras; ${era} has too few` : era})${widenings.length ? `, widened for ${widenings.map((w) => w.why).join(', ')}` : ''}`;
  return { weightsBand, bandBytes, errorBand, text };
}

/** What sits outside the budget at the runtime peak, and the headroom left for it. */
interface Outside {
  spikeBytes: number;
  spikeOutsideBytes: number;
  graphsOutsideBytes: number;
  othersOutsideBytes: number;
  contextOutsideBytes: number;
  effectiveBudgetBytes: number;
  outsideBudgetBytes: number;
  headroomBytes: number;
}

function outsideOf(r: ResolvedInputs, ranks: RankNumbers[], kv: KvCache, o: Overheads): Outside {
  // The profiled activation region is free again when the prompt logprobs are computed (the
  // forward's intermediates are gone); only the excess lands outside the budget.
  const spikeBytes = logprobsSpikeOf(r);
  const spikeRank = ranks.find((rank) => rank.runsSampler) ?? kv.binding;
  const spikeOutsideBytes = Math.max(0, spikeBytes - spikeRank.activationBytes);
  const graphsOutsideBytes = o.graphsInside ? 0 : o.graphBytes;
  const othersOutsideBytes = o.wholeDevice ? 0 : o.usedByOthers;
  const contextOutsideBytes = o.wholeDevice ? 0 : o.contextBytes;
  const effectiveBudgetBytes = kv.kvOverride ? kv.nonKv(kv.binding) + kv.kvOverride : kv.budgetBytes;
  const outsideBudgetBytes = contextOutsideBytes + graphsOutsideBytes + spikeOutsideBytes + othersOutsideBytes;
  return {
    spikeBytes,
    spikeOutsideBytes,
    graphsOutsideBytes,
    othersOutsideBytes,
    contextOutsideBytes,
    effectiveBudgetBytes,
    outsideBudgetBytes,
    headroomBytes: r.totalBytes - effectiveBudgetBytes - outsideBudgetBytes,
  };
}

/** vLLM's memory on the binding GPU rank for one configuration. Pure; never throws on odd input. */
export function estimateVllmMemory(input: EstimateInput): MemoryEstimate {
  const r = resolveInputs(input);
  const { arch, totalBytes, assumptions } = r;
  const ranks = rankNumbers(r);
  if (r.pp > 1)
    assumptions.push(
      `pipeline stages own ${r.ppLayers.join(' + ')} layers (${r.env.ppLayerPartition && !r.ppPartitionNote ? 'VLLM_PP_LAYER_PARTITION' : 'get_pp_indices'}); every stage gets the smallest stage's KV block count`,
    );
  if (r.ppPartitionNote) assumptions.push(r.ppPartitionNote);
  const o = overheadsOf(r);
  const kv = kvCacheOf(r, ranks, o);

  const out = outsideOf(r, ranks, kv, o);
  const band = bandOf(r, kv, o);

  const judged = judge({
    inputs: r,
    budgetBytes: kv.budgetBytes,
    ...out,
    contextBytes: o.contextBytes,
    outsideMarginBytes: outsideMarginBytes(r, out.graphsOutsideBytes + out.spikeOutsideBytes),
    largestWeightsBytes: Math.max(...ranks.map((rank) => rank.weightsBytes)),
    busiestWeightsBytes: kv.binding.weightsBytes,
    weightsBand: band.weightsBand,
    kvCacheBytes: kv.kvCacheBytes,
    kvCacheTokens: kv.kvTokens,
    schedulableKvBytes: kv.schedulableKvBytes,
    oneSequenceKvBytes: kv.oneSeq,
    errorBand: band.errorBand,
    kvBandBytes: band.bandBytes,
    virtualEngines: kv.virtualEngines,
  });
  assumptions.push(...judged.assumptions);
  if (r.dp > 1)
    assumptions.push(
      `data_parallel_size = ${r.dp}: ${r.dp} independent engines, one per set of ${r.worldSize} GPU${r.worldSize > 1 ? 's' : ''}`,
    );
  if (o.graphsInside)
    assumptions.push(
      `CUDA graphs (${gib(o.graphBytes)} GiB) are reserved inside the budget (vLLM ≥ 0.21 profiles them)`,
    );
  if (r.enforceEager) assumptions.push('enforce_eager: no CUDA graphs');
  assumptions.push(band.text);

  return {
    totalBytes,
    budgetBytes: out.effectiveBudgetBytes,
    gpuMemoryUtilization: r.util,
    weightsBytes: kv.binding.weightsBytes,
    weightsBand: band.weightsBand,
    weightsBytesRange: [
      kv.binding.weightsBytes * (1 - band.weightsBand),
      kv.binding.weightsBytes * (1 + band.weightsBand),
    ],
    nonTorchBytes: o.nonTorch,
    activationBytes: kv.binding.activationBytes,
    cudaGraphBytes: o.graphBytes,
    cudaGraphInsideBudget: o.graphsInside,
    kvCacheBytes: kv.kvCacheBytes,
    kvCacheBytesRange: [kv.kvCacheBytes - band.bandBytes, kv.kvCacheBytes + band.bandBytes],
    kvBytesPerToken: kv.perTokenBytes,
    kvCacheTokens: kv.kvTokens,
    kvCacheTokensRange: [kv.tokensOf(kv.kvCacheBytes - band.bandBytes), kv.tokensOf(kv.kvCacheBytes + band.bandBytes)],
    kvCacheBlocks: kv.kvBlocks,
    maxModelLen: r.maxModelLen,
    derivedMaxModelLen: r.derivedMaxModelLen,
    oneSequenceKvBytes: kv.oneSeq,
    logprobsSpikeBytes: out.spikeBytes,
    logprobsSpikeOutsideBytes: out.spikeOutsideBytes,
    otherProcessesBytes: o.usedByOthers,
    cudaContextBytes: o.contextBytes,
    outsideBudgetBytes: out.outsideBudgetBytes,
    headroomBytes: out.headroomBytes,
    gpusRequired: r.tp * r.pp * r.dp,
    effective: effectiveSettings(r, o, arch.numLayers),
    verdict: judged.verdict,
    reasons: judged.reasons,
    assumptions,
    errorBand: band.errorBand,
  };
}

/**
 * How far over the headroom the outside terms may go before a run is at risk rather than fine: a
 * quarter of the graphs and spike, and fragmentation after profiling (2 % of the device;
 * vllm-project/vllm#51590 measured 1.37 GiB over budget with a 62 MiB graph pool), which
 * PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True avoids (PyTorch's own advice on fragmentation).
 */
function outsideMarginBytes(r: ResolvedInputs, graphsAndSpikeOutside: number): number {
  const fragmentation = r.env.expandableSegments ? 0 : 0.02 * r.totalBytes;
  if (r.env.expandableSegments)
    r.assumptions.push('PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True: no fragmentation allowance after start-up');
  return 0.25 * graphsAndSpikeOutside + fragmentation + 0.25 * GiB;
}

function effectiveSettings(r: ResolvedInputs, o: Overheads, numLayers: number): MemoryEstimate['effective'] {
  const { dtype } = r;
  return {
    entrypoint: r.entrypoint,
    dtype: dtype.dtype,
    weightBytesPerParam: dtype.bytes,
    ...(r.quantSpec && r.quantCost
      ? {
          quantization: `${r.quantSpec.method}${r.quantSpec.bits ? ` ${r.quantSpec.bits}-bit` : ''}${r.quantCost.expertsOnly ? ' experts' : ''}`,
        }
      : {}),
    kvCacheDtype: r.kvDtypeName === 'auto' ? `auto (${dtype.dtype})` : r.kvDtypeName,
    maxNumSeqs: r.maxNumSeqs,
    maxNumBatchedTokens: r.maxNumBatchedTokens,
    enforceEager: r.enforceEager,
    blockSize: r.blockSize,
    engine: r.engine,
    accountingEra: accountingEra(r.engine, r.version),
    tensorParallelSize: r.tp,
    pipelineParallelSize: r.pp,
    pipelineStageLayers: r.pp > 1 ? [...r.ppLayers] : [numLayers],
    dataParallelSize: r.dp,
    gpuMemoryUtilization: r.util,
    enableChunkedPrefill: r.chunked,
    cudaGraphCaptureSizes: o.captureSizes,
    samplerBackend: r.sampler.backend,
    modelRunnerV2: r.modelRunnerV2,
  };
}
