// The profile run's PyTorch activation peak (weights excluded), which vLLM subtracts from the
// budget before sizing the KV cache: V0 `model_runner.profile_run` (max_num_seqs dummy prefills
// filling max_num_batched_tokens, sampler on the last token of each), V1
// `gpu_model_runner.profile_run` (`_dummy_run(max_num_tokens)` + `_dummy_sampler_run` over
// min(max_num_seqs, mnbt) rows). reference/vllm-memory.md §1e.
import { mlpMatrices } from '../architectures';
import type { ModelArchitecture, VllmVersion } from '../types';
import { atLeast, type Engine } from '../version';

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
