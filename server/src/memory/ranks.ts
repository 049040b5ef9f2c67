// The GPU ranks whose KV memory can bind: every pipeline stage with the layers get_pp_indices
// gives it (vllm/distributed/utils.py), or with V0 and TP the driver, which alone runs the sampler,
// and a worker. Each with its weights and profiled activations (terms/).
import { GiB } from '../shared/units';
import { checkpointDtypeBytes } from './defaults';
import type { ResolvedInputs } from './inputs';
import { activationPeakBytes } from './terms/activations';
import { kvCacheLayerCount } from './terms/kvCache';
import { checkpointScale, stageRanges, weightsBytesPerRank } from './terms/weights';

/** One GPU rank that can bind the KV cache: a pipeline stage (or V0's driver / a TP worker). */
export interface RankNumbers {
  weightsBytes: number;
  activationBytes: number;
  runsSampler: boolean;
  /** Decoder layers with a per-token KV cache on this rank. */
  kvLayers: number;
  /** Decoder layers on this rank. */
  layers: number;
}

/**
 * The ranks whose KV memory can bind: every pipeline stage, each with the layers get_pp_indices
 * gives it (the first holds the embedding, the last the lm_head and the sampler); with V0 and TP,
 * the driver (which alone runs the sampler) and a worker.
 */
export function rankNumbers(r: ResolvedInputs): RankNumbers[] {
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
