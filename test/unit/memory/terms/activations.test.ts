// The profile run's activation peak (terms/activations.ts) against vLLM's logged figures.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arch, GiB, near, v } from '../helpers';
import {
  activationPeakBytes,
  FUSED_SAMPLER_BYTES_PER_LOGIT,
  SAMPLER_BYTES_PER_LOGIT,
  samplerBackend,
} from '../../../../server/src/memory/terms/activations';

describe('activationPeakBytes', () => {
  it('V1 profile: the sampler warm-up over max_num_seqs rows dominates (Qwen3-0.6B on H100, llm-d logged 5.56 GiB)', () => {
    const a = arch('Qwen/Qwen3-0.6B');
    const act = activationPeakBytes(a, {
      engine: 'V1',
      version: v('0.10.0'),
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 1024,
      dtypeBytes: 2,
      tensorParallelSize: 1,
      runsSampler: true,
    });
    near(act / GiB, 5.56, 0.15);
  });
  it('V0 profile over a long mnbt is the forward pass (Llama-3.1-8B, 29000 tokens ≈ 3 GiB, vllm#10517)', () => {
    const act = activationPeakBytes(arch('meta-llama/Llama-3.1-8B'), {
      engine: 'V0',
      version: v('0.6.5'),
      maxNumBatchedTokens: 29000,
      maxNumSeqs: 256,
      dtypeBytes: 2,
      tensorParallelSize: 1,
      runsSampler: true,
    });
    near(act / GiB, 2.99, 0.1);
  });
  it('V1 before 0.8 profiled the forward only: no sampler term', () => {
    const a = arch('Qwen/Qwen3-0.6B');
    const o = {
      engine: 'V1' as const,
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 1024,
      dtypeBytes: 2,
      tensorParallelSize: 1,
      runsSampler: true,
    };
    assert.ok(activationPeakBytes(a, { ...o, version: v('0.7.3') }) < 0.2 * GiB);
  });
});

describe('samplerBackend (the warm-up top-k/top-p path, reference/vllm-memory-2026.md §2.1)', () => {
  it('the PyTorch sort in V0 and 0.8.x; FlashInfer in 0.9.1–0.11.0 only when installed', () => {
    assert.equal(samplerBackend('V0', v('0.6.3'), undefined, undefined).bytesPerLogit, SAMPLER_BYTES_PER_LOGIT);
    assert.equal(samplerBackend('V1', v('0.8.5'), true, true).backend, 'pytorch-sort');
    const pip = samplerBackend('V1', v('0.10.0'), undefined, undefined);
    assert.equal(pip.backend, 'pytorch-sort');
    assert.equal(pip.alternativeBytesPerLogit, FUSED_SAMPLER_BYTES_PER_LOGIT, 'unknown install: the band covers both');
    assert.equal(samplerBackend('V1', v('0.10.0'), undefined, true).backend, 'flashinfer');
    assert.equal(samplerBackend('V1', v('0.10.0'), true, undefined).backend, 'flashinfer');
  });

  it('off by default from 0.11.1 (#26859), Triton from ≈0.17 (#33538), FlashInfer again from ≈0.21 (#40376)', () => {
    assert.equal(samplerBackend('V1', v('0.11.1'), undefined, undefined).backend, 'pytorch-sort');
    assert.equal(samplerBackend('V1', v('0.14.0'), true, undefined).backend, 'flashinfer');
    assert.equal(samplerBackend('V1', v('0.17.0'), undefined, undefined).backend, 'triton');
    assert.equal(samplerBackend('V1', v('0.22.0'), undefined, undefined).backend, 'flashinfer');
    assert.equal(samplerBackend('V1', v('0.22.0'), false, undefined).backend, 'triton');
    assert.equal(samplerBackend('V1', v('0.22.0'), undefined, undefined).bytesPerLogit, FUSED_SAMPLER_BYTES_PER_LOGIT);
  });

  it('moves the activation peak: 1024 rows × 128,256 vocab ≈ 4.6 GiB sorted, ≈ 1.5 GiB fused', () => {
    const a = arch('meta-llama/Llama-3.1-8B');
    const o = {
      engine: 'V1' as const,
      version: v('0.10.0'),
      maxNumBatchedTokens: 16384,
      maxNumSeqs: 1024,
      dtypeBytes: 2,
      tensorParallelSize: 1,
      runsSampler: true,
    };
    const sorted = activationPeakBytes(a, o);
    const fused = activationPeakBytes(a, { ...o, samplerBytesPerLogit: FUSED_SAMPLER_BYTES_PER_LOGIT });
    near((sorted - fused) / GiB, (1024 * 128256 * (SAMPLER_BYTES_PER_LOGIT - 12)) / GiB, 0.01);
  });
});
