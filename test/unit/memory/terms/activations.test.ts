// The profile run's activation peak (terms/activations.ts) against vLLM's logged figures.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arch, GiB, near, v } from '../helpers';
import { activationPeakBytes } from '../../../../server/src/memory/terms/activations';

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
