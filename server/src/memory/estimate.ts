// The vLLM GPU-memory model, per GPU rank (the binding one), composed in vLLM's start-up order:
// resolve the settings (inputs.ts, defaults.ts, engine.ts), load the weights, profile the
// activations and the non-torch growth, size the KV cache from what is left of util × total on
// every rank (the smallest block count wins), capture CUDA graphs, then judge the start-up checks
// and the after-start headroom (startup.ts). Each term is a file under terms/ that opens with the
// vLLM source it follows (reference/vllm-memory.md, vllm-memory-2026.md).
import { GiB, MiB } from '../shared/units';
import { checkpointDtypeBytes } from './defaults';
import { accountingEra, MEASURED_WEIGHTS_BAND, measuredKvBand } from './errorBands';
import { hasInnerState } from './engine';
import { resolveInputs, type ResolvedInputs } from './inputs';
import { judge } from './startup';
import { activationPeakBytes } from './terms/activations';
import { cudaGraphBytes, cudaGraphCaptureSizes, cudaGraphInsideBudget } from './terms/cudaGraphs';
import { kvBytesPerTokenPerLayer, kvCacheBlocks, kvCacheLayerCount, oneSequenceKvBytes } from './terms/kvCache';
import { cudaContextBytes, nonTorchBytes, nonTorchUnmodelled, wholeDeviceAccounting } from './terms/nonTorch';
import {
  LOGLIKELIHOOD_PROMPT_TOKENS_BOUND,
  promptLogprobsSpikeBytes,
  requestsPerCall,
  v0PromptTokensPerStep,
  v1PromptTokensBound,
} from './terms/promptLogprobs';
import { checkpointScale, stageRanges, weightsBytesPerRank } from './terms/weights';
import type { EstimateInput, MemoryEstimate } from './types';
import { atLeast, versionText } from './version';

const gib = (bytes: number, digits = 2) => (bytes / GiB).toFixed(digits);

/** One GPU rank that can bind the KV cache: a pipeline stage (or V0's driver / a TP worker). */
interface RankNumbers {
  weightsBytes: number;
  activationBytes: number;
  runsSampler: boolean;
  /** Decoder layers with a per-token KV cache on this rank. */
  kvLayers: number;
  /** Decoder layers on this rank. */
  layers: number;
}

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

/**
 * The ranks whose KV memory can bind: every pipeline stage, each with the layers get_pp_indices
 * gives it (the first holds the embedding, the last the lm_head and the sampler); with V0 and TP,
 * the driver (which alone runs the sampler) and a worker.
 */
function rankNumbers(r: ResolvedInputs): RankNumbers[] {
  const { arch, tp, pp, engine } = r;
  const weightsFor = (stage: 'first' | 'last' | 'only', layerRange?: [number, number]) =>
    weightsBytesPerRank(arch, {
      dtypeBytes: r.dtype.bytes,
      quantization: r.quantCost,
      tensorParallelSize: tp,
      pipelineParallelSize: pp,
      stage,
      layerRange,
      unquantizedModules: r.unquantized,
      expertLayout: r.expertLayout,
    });
  const actFor = (runsSampler: boolean) =>
    activationPeakBytes(arch, {
      engine,
      version: r.version,
      maxNumBatchedTokens: r.maxNumBatchedTokens,
      maxNumSeqs: r.maxNumSeqs,
      dtypeBytes: r.dtype.bytes,
      tensorParallelSize: tp,
      runsSampler,
      samplerBytesPerLogit: r.sampler.bytesPerLogit,
    });
  const allKvLayers = kvCacheLayerCount(arch);
  const kvLayersOf = (layers: number) =>
    allKvLayers === arch.numLayers ? layers : Math.round((layers * allKvLayers) / arch.numLayers);
  let ranks: RankNumbers[];
  if (pp > 1) {
    const ranges = stageRanges(r.ppLayers);
    ranks = ranges.map(([from, to], i) => {
      const last = i === ranges.length - 1;
      const stage = i === 0 ? 'first' : last ? 'last' : 'middle';
      // A middle stage holds neither embedding nor head: weigh it as the last stage minus its head.
      const weightsBytes =
        stage === 'middle'
          ? weightsFor('last', [from, to]) - weightsFor('last', [from, from])
          : weightsFor(stage, [from, to]);
      return {
        weightsBytes,
        activationBytes: actFor(last),
        runsSampler: last,
        kvLayers: kvLayersOf(to - from),
        layers: to - from,
      };
    });
  } else {
    const whole = {
      weightsBytes: weightsFor('only'),
      kvLayers: allKvLayers,
      layers: arch.numLayers,
    };
    ranks =
      engine === 'V0' && tp > 1
        ? [
            { ...whole, activationBytes: actFor(true), runsSampler: true }, // driver
            { ...whole, activationBytes: actFor(false), runsSampler: false },
          ]
        : [{ ...whole, activationBytes: actFor(true), runsSampler: true }];
  }

  // cpu_offload_gb moves that many GiB of weights per rank to host memory.
  const offloadBytes = Math.max(0, (r.settings.cpuOffloadGb ?? 0) * GiB);
  if (offloadBytes > 0) for (const rank of ranks) rank.weightsBytes = Math.max(0, rank.weightsBytes - offloadBytes);
  // Exact checkpoint size (safetensors index) rescales the computed weights when the dtype matches.
  const ckptQuant = arch.checkpointQuantization;
  const scale = checkpointScale(
    arch,
    checkpointDtypeBytes(arch.torchDtype),
    ckptQuant ? r.quantCost : undefined,
    ckptQuant ? r.unquantized : undefined,
  );
  if (scale !== 1) for (const rank of ranks) rank.weightsBytes *= scale;
  return ranks;
}

/** vLLM's memory on the binding GPU rank for one configuration. Pure; never throws on odd input. */
export function estimateVllmMemory(input: EstimateInput): MemoryEstimate {
  const r = resolveInputs(input);
  const { arch, gpu, workload, settings, version, engine, tp, pp, dp, worldSize, totalBytes, util } = r;
  const { maxModelLen, maxNumSeqs, blockSize, enforceEager, dtype } = r;
  const mnbt = r.maxNumBatchedTokens;
  const assumptions = r.assumptions;

  const ranks = rankNumbers(r);
  if (pp > 1)
    assumptions.push(
      `pipeline stages own ${r.ppLayers.join(' + ')} layers (${r.env.ppLayerPartition && !r.ppPartitionNote ? 'VLLM_PP_LAYER_PARTITION' : 'get_pp_indices'}); every stage gets the smallest stage's KV block count`,
    );
  if (r.ppPartitionNote) assumptions.push(r.ppPartitionNote);

  const topology = {
    engine,
    version,
    tensorParallelSize: tp,
    pipelineParallelSize: pp,
    computeCapability: gpu.computeCapability,
  };
  const nonTorch = nonTorchBytes(topology);
  const topologyCaveat = nonTorchUnmodelled(topology);
  if (topologyCaveat) assumptions.push(topologyCaveat);
  const contextBytes = cudaContextBytes(engine, version, worldSize);
  const usedByOthers = gpu.freeBytes !== undefined ? Math.max(0, totalBytes - gpu.freeBytes) : 0;
  const wholeDevice = wholeDeviceAccounting(engine, version);
  if (gpu.freeBytes === undefined) assumptions.push(`the whole ${gpu.name} is free (no other processes)`);
  if (wholeDevice)
    assumptions.push(
      `vLLM ${versionText(version)} charges the CUDA context${usedByOthers ? ' and other processes' : ''} to the budget (whole-device accounting)`,
    );

  // CUDA graphs: from 0.21 the estimate is reserved inside the budget, except Model Runner V2 in
  // 0.25.x, whose estimator returned 0 (#49224), so capture lands outside it.
  const captureSizes = cudaGraphCaptureSizes(engine, version, maxNumSeqs, mnbt, enforceEager);
  const graphBytes = cudaGraphBytes(arch, engine, version, captureSizes, dtype.bytes, tp, pp);
  const mrv2ZeroGraphEstimate = r.modelRunnerV2 && atLeast(version, 0, 25) && !atLeast(version, 0, 26);
  const graphsInside =
    graphBytes > 0 && !mrv2ZeroGraphEstimate && cudaGraphInsideBudget(engine, version, settings.estimateCudaGraphs);
  if (mrv2ZeroGraphEstimate && graphBytes > 0)
    assumptions.push(
      `Model Runner V2 in vLLM ${versionText(version)} estimates its CUDA graphs at 0 (vllm-project/vllm#49224): they are captured outside the budget`,
    );

  // Budget and KV cache per rank; every rank gets the smallest block count (V0: the executor's
  // min; V1: get_kv_cache_configs).
  const budgetBytes = util * totalBytes;
  const chargedOutside = wholeDevice ? contextBytes + usedByOthers : 0;
  const nonKv = (rank: RankNumbers) =>
    rank.weightsBytes + rank.activationBytes + nonTorch + chargedOutside + (graphsInside ? graphBytes : 0);
  const perLayerBytes = kvBytesPerTokenPerLayer(arch, r.kvDtypeBytes, tp, version);
  const kvOverride =
    settings.kvCacheMemoryBytes !== undefined &&
    engine === 'V1' &&
    atLeast(version, 0, 11) &&
    settings.kvCacheMemoryBytes > 0
      ? settings.kvCacheMemoryBytes
      : undefined;
  // Hybrid GDN models from 0.26: the estimator's profiling transient (#50780).
  const hybridTransient = hasInnerState(arch) && engine === 'V1' && atLeast(version, 0, 26) && graphsInside;
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
  if (kvOverride)
    assumptions.push(
      `kv_cache_memory_bytes = ${kvOverride}: the KV cache size is fixed and gpu_memory_utilization is ignored`,
    );
  const kvBlocks = kvCacheBlocks(kvCacheBytes, perTokenBytes, blockSize);
  // What one sequence can use: V0's virtual engines each get 1/pp of the blocks.
  const virtualEngines = engine === 'V0' ? pp : 1;
  const tokensOf = (bytes: number) =>
    Math.floor(kvCacheBlocks(bytes, perTokenBytes, blockSize) / virtualEngines) * blockSize;
  const kvTokens = tokensOf(kvCacheBytes);
  const schedulableKvBytes = kvCacheBytes / virtualEngines;
  if (virtualEngines > 1)
    assumptions.push(
      `V0 pipeline parallelism: the ${kvBlocks} KV blocks are split over ${pp} virtual engines (${kvTokens} tokens each)`,
    );
  // The one-request check: each worker's own layers, except V1 ≈0.14–0.15 under PP, which checked
  // every stage's layers against one worker's memory (#29431 until #33698; reported in #32105).
  const mergedPpCheck = pp > 1 && engine === 'V1' && atLeast(version, 0, 14) && !atLeast(version, 0, 16);
  if (mergedPpCheck)
    assumptions.push(
      `vLLM ${versionText(version)} checks one max_model_len request against one pipeline stage's memory with every stage's layers (vllm-project/vllm#32105)`,
    );
  const oneSeq = oneSequenceKvBytes(
    mergedPpCheck ? arch : { ...arch, kvCacheLayers: binding.kvLayers, numLayers: Math.max(1, binding.layers) },
    {
      engine,
      version,
      maxModelLen,
      maxNumBatchedTokens: mnbt,
      blockSize,
      kvDtypeBytes: r.kvDtypeBytes,
      tensorParallelSize: tp,
      pipelineParallelSize: 1,
    },
  );

  // Outside the budget at the runtime peak: the prompt-logprob spike, as lm-eval drives it.
  const outputTypes = workload?.outputTypes ?? [];
  const perCall = requestsPerCall(workload?.batchSize);
  const logprobsOptions = {
    engine,
    version,
    maxNumBatchedTokens: mnbt,
    maxModelLen,
    dtypeBytes: dtype.bytes,
    outputTypes,
    modelRunnerV2: r.modelRunnerV2,
    requestsPerCall: perCall,
  };
  const spike = promptLogprobsSpikeBytes(arch, logprobsOptions);
  if (!outputTypes.length) assumptions.push('task output types unknown: no prompt-logprob spike counted');
  else if (spike > 0 && engine === 'V1' && v1PromptTokensBound(outputTypes) < Math.min(maxModelLen, mnbt)) {
    assumptions.push(
      `prompt logprobs: the longest loglikelihood request is taken as ≤ ${LOGLIKELIHOOD_PROMPT_TOKENS_BOUND} tokens (lm-eval's multiple-choice prompts), not max_model_len`,
    );
  } else if (spike > 0 && engine === 'V0') {
    const tokens = v0PromptTokensPerStep(logprobsOptions);
    assumptions.push(
      perCall !== undefined && tokens < mnbt
        ? `prompt logprobs: --batch_size ${perCall} puts at most ${tokens} prompt tokens in one V0 step (${perCall} × the longest prompt), not max_num_batched_tokens`
        : `prompt logprobs: V0 materialises every prompt token of a step (${tokens})${perCall === undefined ? '; --batch_size auto lets vLLM fill the step' : ''}`,
    );
  }
  // The profiled activation region is free again when the logprobs are computed (the forward's
  // intermediates are gone); only the excess lands outside the budget.
  const spikeRank = ranks.find((rank) => rank.runsSampler) ?? binding;
  const spikeOutside = Math.max(0, spike - spikeRank.activationBytes);
  const graphsOutside = graphsInside ? 0 : graphBytes;
  const othersOutside = wholeDevice ? 0 : usedByOthers;
  const contextOutside = wholeDevice ? 0 : contextBytes;
  const effectiveBudget = kvOverride ? nonKv(binding) + kvOverride : budgetBytes;
  const outsideBudgetBytes = contextOutside + graphsOutside + spikeOutside + othersOutside;
  const headroomBytes = totalBytes - effectiveBudget - outsideBudgetBytes;

  // How sure: the era's measured band (residuals on the public logs, as a share of the budget),
  // widened by what this configuration has that the model does not count.
  const era = accountingEra(engine, version);
  const measured = measuredKvBand(era);
  const weightsBand = Math.min(
    1,
    Math.max(MEASURED_WEIGHTS_BAND.fraction, Number.isFinite(arch.weightsUncertainty) ? arch.weightsUncertainty! : 0),
  );
  const positiveKv = Math.max(0, kvCacheBytes);
  const widenings: { bytes: number; why: string }[] = [];
  if (weightsBand > MEASURED_WEIGHTS_BAND.fraction)
    widenings.push({
      bytes: (weightsBand - MEASURED_WEIGHTS_BAND.fraction) * binding.weightsBytes,
      why: 'the weights of a checkpoint known by name only',
    });
  if (r.sampler.alternativeBytesPerLogit !== undefined && binding.runsSampler) {
    const rows = Math.min(maxNumSeqs, mnbt);
    widenings.push({
      bytes: Math.abs(r.sampler.alternativeBytesPerLogit - r.sampler.bytesPerLogit) * rows * arch.vocabSize,
      why: 'whether FlashInfer is installed (the sampler warm-up)',
    });
  }
  if (settings.kvConnector) {
    // A KV connector's own buffers are not modelled; the one public log with one (LMCache,
    // vllm-project/vllm#21348) held 16 % fewer tokens than estimated.
    widenings.push({ bytes: KV_CONNECTOR_ERROR_BAND * positiveKv, why: `KV connector ${settings.kvConnector}` });
    assumptions.push(
      `KV connector ${settings.kvConnector} (kv_transfer_config): its GPU buffers are not modelled, so the KV cache may hold fewer tokens (band at least ±${Math.round(KV_CONNECTOR_ERROR_BAND * 100)} %)`,
    );
  }
  if (r.kvDtypeUncertain) widenings.push({ bytes: 0.125 * positiveKv, why: 'the KV dtype layout' });
  if (hasInnerState(arch))
    widenings.push({
      bytes: (hybridTransient ? HYBRID_PROFILING_KV_SPREAD : 0.1) * positiveKv,
      why: 'the linear-attention / mamba state',
    });
  if (r.modelRunnerV2) widenings.push({ bytes: MRV2_KV_SPREAD_BYTES, why: 'Model Runner V2 (#50159)' });
  if (topologyCaveat) widenings.push({ bytes: nonTorch, why: 'communication buffers across nodes or stages' });
  const bandBytes = measured.kvFractionOfBudget * budgetBytes + widenings.reduce((a, w) => a + w.bytes, 0);
  const errorBand = Math.min(1, Math.max(0.01, bandBytes / Math.max(kvCacheBytes, 64 * MiB)));
  const outsideMargin = 0.25 * (graphsOutside + spikeOutside) + 0.02 * totalBytes + 0.25 * GiB;

  const judged = judge({
    inputs: r,
    budgetBytes,
    effectiveBudgetBytes: effectiveBudget,
    contextBytes,
    contextOutsideBytes: contextOutside,
    othersOutsideBytes: othersOutside,
    graphsOutsideBytes: graphsOutside,
    spikeBytes: spike,
    spikeOutsideBytes: spikeOutside,
    headroomBytes,
    outsideMarginBytes: outsideMargin,
    largestWeightsBytes: Math.max(...ranks.map((rank) => rank.weightsBytes)),
    busiestWeightsBytes: binding.weightsBytes,
    weightsBand,
    kvCacheBytes,
    kvCacheTokens: kvTokens,
    schedulableKvBytes,
    oneSequenceKvBytes: oneSeq,
    errorBand,
    kvBandBytes: bandBytes,
    virtualEngines,
  });
  assumptions.push(...judged.assumptions);
  if (dp > 1)
    assumptions.push(
      `data_parallel_size = ${dp}: ${dp} independent engines, one per set of ${worldSize} GPU${worldSize > 1 ? 's' : ''}`,
    );
  if (graphsInside)
    assumptions.push(`CUDA graphs (${gib(graphBytes)} GiB) are reserved inside the budget (vLLM ≥ 0.21 profiles them)`);
  if (enforceEager) assumptions.push('enforce_eager: no CUDA graphs');
  assumptions.push(
    `KV band ±${Math.round(errorBand * 100)} %: ${(measured.kvFractionOfBudget * 100).toFixed(1)} % of the budget measured on ${measured.records} public logs (${measured.era === 'all' ? `all eras; ${era} has too few` : era})${widenings.length ? `, widened for ${widenings.map((w) => w.why).join(', ')}` : ''}`,
  );

  const kvLow = kvCacheBytes - bandBytes;
  const kvHigh = kvCacheBytes + bandBytes;
  return {
    totalBytes,
    budgetBytes: effectiveBudget,
    gpuMemoryUtilization: util,
    weightsBytes: binding.weightsBytes,
    weightsBand,
    weightsBytesRange: [binding.weightsBytes * (1 - weightsBand), binding.weightsBytes * (1 + weightsBand)],
    nonTorchBytes: nonTorch,
    activationBytes: binding.activationBytes,
    cudaGraphBytes: graphBytes,
    cudaGraphInsideBudget: graphsInside,
    kvCacheBytes,
    kvCacheBytesRange: [kvLow, kvHigh],
    kvBytesPerToken: perTokenBytes,
    kvCacheTokens: kvTokens,
    kvCacheTokensRange: [tokensOf(kvLow), tokensOf(kvHigh)],
    kvCacheBlocks: kvBlocks,
    maxModelLen,
    derivedMaxModelLen: r.derivedMaxModelLen,
    oneSequenceKvBytes: oneSeq,
    logprobsSpikeBytes: spike,
    logprobsSpikeOutsideBytes: spikeOutside,
    otherProcessesBytes: usedByOthers,
    cudaContextBytes: contextBytes,
    outsideBudgetBytes,
    headroomBytes,
    gpusRequired: tp * pp * dp,
    effective: {
      entrypoint: r.entrypoint,
      dtype: dtype.dtype,
      weightBytesPerParam: dtype.bytes,
      ...(r.quantSpec && r.quantCost
        ? {
            quantization: `${r.quantSpec.method}${r.quantSpec.bits ? ` ${r.quantSpec.bits}-bit` : ''}${r.quantCost.expertsOnly ? ' experts' : ''}`,
          }
        : {}),
      kvCacheDtype: r.kvDtypeName === 'auto' ? `auto (${dtype.dtype})` : r.kvDtypeName,
      maxNumSeqs,
      maxNumBatchedTokens: mnbt,
      enforceEager,
      blockSize,
      engine,
      accountingEra: era,
      tensorParallelSize: tp,
      pipelineParallelSize: pp,
      pipelineStageLayers: pp > 1 ? [...r.ppLayers] : [arch.numLayers],
      dataParallelSize: dp,
      gpuMemoryUtilization: util,
      enableChunkedPrefill: r.chunked,
      cudaGraphCaptureSizes: captureSizes,
      samplerBackend: r.sampler.backend,
      modelRunnerV2: r.modelRunnerV2,
    },
    verdict: judged.verdict,
    reasons: judged.reasons,
    assumptions,
    errorBand,
  };
}
