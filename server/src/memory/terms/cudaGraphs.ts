// CUDA graphs: which batch sizes vLLM captures (V0 `model_runner.capture_model`; V1
// `config/vllm.py` `_set_cudagraph_sizes`), the graph pool per rank, and whether vLLM reserves it
// inside the budget (from 0.21, #38284) or it lands outside. reference/vllm-memory.md §2;
// vllm-memory-2026.md §2.5, §4.1.
import { forwardActivationBytes } from './activations';
import { MiB } from '../../shared/units';
import type { ModelArchitecture, VllmVersion } from '../types';
import { atLeast, type Engine } from '../version';
import { layersPerStage } from './weights';

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
 * "1~3 GiB" warning for 7–70B models. V1 0.8–0.10, piecewise graphs: ≈0.29 MiB per layer per
 * graph (vllm-project/vllm#21489: 0.65 GiB for gemma-3-4b, 34 layers × 67 sizes). From 0.11
 * (FULL_AND_PIECEWISE, #25444): ≈0.08 MiB per layer per graph from the llm-d H100 logs (0.1 GiB
 * for Qwen3-0.6B, 0.6 GiB for Llama-70B), ×1.5 for the uniform-decode FULL graphs (rule of
 * thumb). Plus the largest captured batch's activations.
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
  // Piecewise only (0.8–0.10): #21489 reports 0.65 GiB for gemma-3-4b, 34 layers × 67 sizes.
  const perLayerGraph = atLeast(version, 0, 11) ? 0.08 * MiB * 1.5 : 0.29 * MiB;
  return sizes.length * layers * perLayerGraph + pool;
}

/**
 * What the estimator of #30515 (`profile_cudagraph_memory`, default from 0.21) charges per graph
 * after the first, from published "Estimated CUDA graph memory" logs: 1.62 GiB for 51 PIECEWISE +
 * 35 FULL graphs (vllm-project/vllm#39559: 19.3 MiB each), 0.36 GiB for 16 (gpustack/runner#251:
 * 23 MiB), "the real FULL graphs cost ~24 MiB each" (vllm-project/vllm#50780). The median: 23 MiB.
 */
export const ESTIMATED_BYTES_PER_GRAPH = 23 * MiB;

/**
 * The graph memory vLLM ≥ 0.21 reserves inside the budget: it captures the two largest sizes of
 * each mode and extrapolates, `first + (n − 1) × second` with the modes sharing one pool. With
 * FULL_AND_PIECEWISE (default from 0.11, #25444) the PIECEWISE set is every capture size and the
 * FULL set the uniform-decode sizes up to max_num_seqs (#39559 logs PIECEWISE=51 (largest=512),
 * FULL=35 (largest=256) at max_num_seqs 256). The first graph holds the largest batch's buffers.
 */
export function cudaGraphEstimateBytes(
  arch: ModelArchitecture,
  sizes: readonly number[],
  maxNumSeqs: number,
  dtypeBytes: number,
  tp: number,
): number {
  if (sizes.length === 0) return 0;
  const graphs = sizes.length + sizes.filter((b) => b <= maxNumSeqs).length;
  return forwardActivationBytes(arch, Math.max(...sizes), dtypeBytes, tp) + (graphs - 1) * ESTIMATED_BYTES_PER_GRAPH;
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
