// The profile run's PyTorch activation peak (weights excluded), which vLLM subtracts from the
// budget before sizing the KV cache: V0 `model_runner.profile_run` (max_num_seqs dummy prefills
// filling max_num_batched_tokens, sampler on the last token of each), V1
// `gpu_model_runner.profile_run` (`_dummy_run(max_num_tokens)` + `_dummy_sampler_run` over
// min(max_num_seqs, mnbt) rows). reference/vllm-memory.md §1e.
import { mlpMatrices } from '../layerModules';
import type { ModelArchitecture, VllmVersion } from '../types';
import { atLeast, type Engine } from '../version';

/**
 * Bytes per (row × vocab entry) of the sampler warm-up on the PyTorch sort path
 * (`apply_top_k_top_p`): fp32 logits, the full-vocab sort (values + int64 indices), softmax,
 * cumsum, masks and the scatter back. From the llm-d H100 logs (Qwen3 0.6B/32B, Llama-3.3-70B,
 * gpt-oss-20b: 38.4–39.6 B) and V0 logs (Qwen2.5-7B 0.7.3: 37.8 B); an emulation of the same ops in
 * PyTorch 2.11 on an H100 peaked at 40.0 B; #33538 measured 5.00 GB for 1024 × 131072 (37 B).
 */
export const SAMPLER_BYTES_PER_LOGIT = 38.5;

/**
 * The same for the kernels that do not sort the vocabulary: FlashInfer's
 * `top_k_top_p_sampling_from_logits` and the Triton top-k/top-p kernel (#33538 measured 1.56 GB
 * for 1024 × 131072 logits: 11.9 B).
 */
export const FUSED_SAMPLER_BYTES_PER_LOGIT = 12;

export type SamplerBackend = 'pytorch-sort' | 'flashinfer' | 'triton';

export interface SamplerChoice {
  backend: SamplerBackend;
  bytesPerLogit: number;
  /** The other backend's bytes when the choice depends on what is installed (FlashInfer). */
  alternativeBytesPerLogit?: number;
  why: string;
}

/**
 * The top-k/top-p backend of the sampler warm-up (vllm/v1/sample/ops/topk_topp_sampler.py,
 * reference/vllm-memory-2026.md §2.1). V0 and V1 0.8.x: the PyTorch sort (#14815 turned FlashInfer
 * off). V1 0.9.1–0.11.0: FlashInfer whenever the package is installed, which a pip install of
 * vLLM did not bring (it became a default dependency with #26859, the change that also turned the
 * FlashInfer sampler off by default, ≈0.11.1); the FLASHINFER attention backend needs it, so
 * VLLM_ATTENTION_BACKEND=FLASHINFER says it is there. Then the sort again, until the Triton kernel
 * (#33538, ≈0.17); FlashInfer on by default again from #40376 (≈0.21).
 * VLLM_USE_FLASHINFER_SAMPLER=1/0 forces the choice.
 */
export function samplerBackend(
  engine: Engine,
  version: VllmVersion,
  flashinferSampler: boolean | undefined,
  flashinferInstalled: boolean | undefined,
): SamplerChoice {
  const sort = (why: string): SamplerChoice => ({
    backend: 'pytorch-sort',
    bytesPerLogit: SAMPLER_BYTES_PER_LOGIT,
    why,
  });
  const fused = (backend: SamplerBackend, why: string): SamplerChoice => ({
    backend,
    bytesPerLogit: FUSED_SAMPLER_BYTES_PER_LOGIT,
    why,
  });
  if (engine === 'V0') return sort('V0 samples with the PyTorch sort');
  if (!atLeast(version, 0, 9, 1)) return sort('vLLM 0.8.x samples with the PyTorch sort (#14815)');
  const fallback = atLeast(version, 0, 17)
    ? fused('triton', 'the Triton top-k/top-p kernel (#33538)')
    : sort('the PyTorch sort');
  if (flashinferSampler === true) return fused('flashinfer', 'FlashInfer (VLLM_USE_FLASHINFER_SAMPLER=1)');
  if (flashinferSampler === false) return { ...fallback, why: `${fallback.why}; VLLM_USE_FLASHINFER_SAMPLER=0` };
  if (atLeast(version, 0, 21)) return fused('flashinfer', 'FlashInfer, on by default again (#40376)');
  if (atLeast(version, 0, 11, 1)) return { ...fallback, why: `${fallback.why}; FlashInfer off by default (#26859)` };
  // 0.9.1–0.11.0: FlashInfer whenever the package is there.
  const installed = flashinferInstalled ?? false;
  const choice = installed
    ? fused('flashinfer', 'FlashInfer (installed)')
    : sort('the PyTorch sort (FlashInfer not installed)');
  if (flashinferInstalled !== undefined) return choice;
  return {
    ...choice,
    why: `${choice.why}; assumed: a pip install of vLLM before 0.11.1 does not bring FlashInfer`,
    alternativeBytesPerLogit: installed ? SAMPLER_BYTES_PER_LOGIT : FUSED_SAMPLER_BYTES_PER_LOGIT,
  };
}

export interface ActivationOptions {
  engine: Engine;
  version: VllmVersion;
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  dtypeBytes: number;
  tensorParallelSize: number;
  /** This rank runs the sampler (V1: every TP rank of the last stage; V0: the driver only). */
  runsSampler: boolean;
  /** Transient bytes per (row × vocab entry) of the sampler warm-up; default the PyTorch sort's. */
  samplerBytesPerLogit?: number;
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
  const sampler =
    rows * arch.vocabSize * (o.samplerBytesPerLogit ?? SAMPLER_BYTES_PER_LOGIT) +
    tokens * arch.hiddenSize * o.dtypeBytes * 2;
  return Math.max(forward, sampler);
}
