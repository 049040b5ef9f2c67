// The vLLM GPU-memory model, per GPU rank (the busiest one), composed in vLLM's start-up order:
// resolve the settings (inputs.ts, defaults.ts), load the weights, profile the activations and the
// non-torch growth, size the KV cache from what is left of util × total, capture CUDA graphs, then
// judge the start-up checks and the after-start headroom (startup.ts). Each term is a file under
// terms/ that opens with the vLLM source it follows (reference/vllm-memory.md).
import { GiB, MiB } from '../shared/units';
import { checkpointDtypeBytes } from './defaults';
import { resolveInputs, type ResolvedInputs } from './inputs';
import { judge } from './startup';
import { activationPeakBytes } from './terms/activations';
import { cudaGraphBytes, cudaGraphCaptureSizes, cudaGraphInsideBudget } from './terms/cudaGraphs';
import { kvBytesPerToken, kvCacheBlocks, kvCacheTokens, oneSequenceKvBytes } from './terms/kvCache';
import { cudaContextBytes, nonTorchBytes, wholeDeviceAccounting } from './terms/nonTorch';
import {
  LOGLIKELIHOOD_PROMPT_TOKENS_BOUND,
  promptLogprobsSpikeBytes,
  v1PromptTokensBound,
} from './terms/promptLogprobs';
import { checkpointScale, weightsBytesPerRank } from './terms/weights';
import type { EstimateInput, MemoryEstimate } from './types';
import { atLeast, versionText } from './version';

const gib = (bytes: number, digits = 2) => (bytes / GiB).toFixed(digits);

interface RankNumbers {
  weightsBytes: number;
  activationBytes: number;
  runsSampler: boolean;
}

/** The least KV-capacity error band with a KV connector (kv_transfer_config) configured. */
export const KV_CONNECTOR_ERROR_BAND = 0.2;

/**
 * Weights and profiled activations of the ranks that can be the busiest: the first and last
 * pipeline stage; with V0 and TP, the driver (which alone runs the sampler) and a worker.
 */
function rankNumbers(r: ResolvedInputs): RankNumbers[] {
  const { arch, tp, pp, engine } = r;
  const weightsFor = (stage: 'first' | 'last' | 'only') =>
    weightsBytesPerRank(arch, {
      dtypeBytes: r.dtype.bytes,
      quantization: r.quantCost,
      tensorParallelSize: tp,
      pipelineParallelSize: pp,
      stage,
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

/** vLLM's memory on the busiest GPU rank for one configuration. Pure; never throws on odd input. */
export function estimateVllmMemory(input: EstimateInput): MemoryEstimate {
  const r = resolveInputs(input);
  const { arch, gpu, workload, settings, version, engine, tp, pp, dp, worldSize, totalBytes, util } = r;
  const { maxModelLen, maxNumSeqs, blockSize, enforceEager, dtype } = r;
  const mnbt = r.maxNumBatchedTokens;
  const assumptions = r.assumptions;

  const ranks = rankNumbers(r);

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
  const perTokenBytes = kvBytesPerToken(arch, r.kvDtypeBytes, tp, pp, version);
  const chargedOutside = wholeDevice ? contextBytes + usedByOthers : 0;
  const nonKv = (rank: RankNumbers) =>
    rank.weightsBytes + rank.activationBytes + nonTorch + chargedOutside + (graphsInside ? graphBytes : 0);
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
    kvDtypeBytes: r.kvDtypeBytes,
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
    modelRunnerV2: engine === 'V1' && atLeast(version, 0, 22) && arch.modelType === 'qwen3' && !r.quantSpec,
  });
  if (!workload?.outputTypes?.length) assumptions.push('task output types unknown: no prompt-logprob spike counted');
  else if (spike > 0 && engine === 'V1' && v1PromptTokensBound(workload.outputTypes) < Math.min(maxModelLen, mnbt)) {
    assumptions.push(
      `prompt logprobs: the longest loglikelihood request is taken as ≤ ${LOGLIKELIHOOD_PROMPT_TOKENS_BOUND} tokens (lm-eval's multiple-choice prompts), not max_model_len`,
    );
  }
  // The profiled activation region is free again when the logprobs are computed (the forward's
  // intermediates are gone); only the excess lands outside the budget.
  const spikeRank = ranks.find((rank) => rank.runsSampler) ?? busiest;
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
    busiestWeightsBytes: busiest.weightsBytes,
    kvCacheBytes,
    kvCacheTokens: kvTokens,
    schedulableKvBytes,
    oneSequenceKvBytes: oneSeq,
    errorBand,
  });
  assumptions.push(...judged.assumptions);
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
      tensorParallelSize: tp,
      pipelineParallelSize: pp,
      dataParallelSize: dp,
      gpuMemoryUtilization: util,
      enableChunkedPrefill: r.chunked,
      cudaGraphCaptureSizes: captureSizes,
    },
    verdict: judged.verdict,
    reasons: judged.reasons,
    assumptions,
    errorBand,
  };
}
