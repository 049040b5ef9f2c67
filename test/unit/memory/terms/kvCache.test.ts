// KV bytes per token, whole blocks, V0's virtual engines and the one-sequence check (terms/kvCache.ts)
// against numbers computed by hand from reference/vllm-memory.md.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arch, estimate, GiB, KiB, v } from '../helpers';
import {
  kvBytesPerToken,
  kvCacheTokens,
  oneSequenceKvBytes,
  kvCacheDtype,
} from '../../../../server/src/memory/terms/kvCache';
import type { VllmSettings } from '../../../../server/src/memory/types';

describe('kvBytesPerToken', () => {
  it('Llama-3-8B bf16: 32 layers × 2 × 8 KV heads × 128 × 2 B = 128 KiB', () => {
    assert.equal(kvBytesPerToken(arch('meta-llama/Meta-Llama-3-8B'), 2), 128 * KiB);
  });
  it('Qwen2.5-7B: 56 KiB, and 14 KiB per rank at TP=8 (4 KV heads replicated to 1 per rank)', () => {
    const a = arch('Qwen/Qwen2.5-7B');
    assert.equal(kvBytesPerToken(a, 2), 56 * KiB);
    assert.equal(kvBytesPerToken(a, 2, 8), 14 * KiB);
    assert.equal(kvBytesPerToken(a, 2, 4), 14 * KiB);
    assert.equal(kvBytesPerToken(a, 2, 2), 28 * KiB);
  });
  it('DeepSeek-V3 MLA: (512 + 64) × 2 B × 61 = 70,272 B on every TP rank', () => {
    const a = arch('deepseek-ai/DeepSeek-V3');
    assert.equal(kvBytesPerToken(a, 2, 1), 70272);
    assert.equal(kvBytesPerToken(a, 2, 8), 70272);
  });
  it('fp8 KV cache halves it; PP keeps only the stage’s layers', () => {
    const a = arch('meta-llama/Meta-Llama-3-8B');
    assert.equal(kvBytesPerToken(a, 1), 64 * KiB);
    assert.equal(kvBytesPerToken(a, 2, 1, 2), 64 * KiB);
  });
  it('Llama-3-70B: 320 KiB/token', () => {
    assert.equal(kvBytesPerToken(arch('meta-llama/Llama-3.1-70B'), 2), 320 * KiB);
  });
});

describe('KV capacity and the one-sequence check', () => {
  it('whole blocks only', () => {
    assert.equal(kvCacheTokens(2.89 * GiB, 128 * KiB, 16), 23664);
    assert.equal(kvCacheTokens(-1, 128 * KiB, 16), 0);
  });
  it('V0 pipeline parallelism splits the blocks over pp virtual engines; V1 does not', () => {
    // 1,479 blocks of 16 tokens: V0 with pp=2 gives each virtual engine 739 blocks (vllm
    // worker.raise_if_cache_size_invalid: block_size × (num_gpu_blocks // pipeline_parallel_size)).
    const bytes = 1479 * 16 * 128 * KiB;
    assert.equal(kvCacheTokens(bytes, 128 * KiB, 16, 'V0', 2), 739 * 16);
    assert.equal(kvCacheTokens(bytes, 128 * KiB, 16, 'V1', 2), 1479 * 16);
    assert.equal(kvCacheTokens(bytes, 128 * KiB, 16, 'V0', 1), 1479 * 16);
  });
  it("V0 + PP: max_model_len is checked against one virtual engine's share (vllm#14452, QwQ-32B on 2 × RTX 5090)", () => {
    const settings: VllmSettings = {
      pipelineParallelSize: 2,
      maxModelLen: 60000,
      quantization: 'bitsandbytes',
      useV1: false,
    };
    const v0 = estimate('Qwen/QwQ-32B', 'RTX 5090', settings, '0.8.5');
    assert.equal(v0.effective.engine, 'V0');
    assert.equal(v0.kvCacheTokens, Math.floor(v0.kvCacheBlocks / 2) * 16);
    // The same budget on V1 keeps every block for one engine.
    const v1 = estimate('Qwen/QwQ-32B', 'RTX 5090', { ...settings, useV1: true }, '0.8.5');
    assert.equal(v1.kvCacheTokens, v1.kvCacheBlocks * 16);
    // A max_model_len between the two capacities fails on V0 only.
    const between = Math.floor((v0.kvCacheTokens + v0.kvCacheBlocks * 16) / 2 / 256) * 256;
    const tight = estimate('Qwen/QwQ-32B', 'RTX 5090', { ...settings, maxModelLen: between }, '0.8.5');
    assert.ok(
      tight.reasons.some((r) => r.code === 'kv-cache-too-small'),
      `V0 at ${between}: ${tight.verdict}`,
    );
    const one = estimate(
      'Qwen/QwQ-32B',
      'RTX 5090',
      { ...settings, maxModelLen: between, pipelineParallelSize: 1, tensorParallelSize: 2 },
      '0.8.5',
    );
    assert.ok(!one.reasons.some((r) => r.code === 'kv-cache-too-small'), 'TP=2 keeps one engine');
  });
  it('V1 ≥ 0.9.1 counts gpt-oss sliding layers by window + mnbt, V0 by the full length', () => {
    const a = arch('openai/gpt-oss-20b');
    const o = {
      maxModelLen: 131072,
      maxNumBatchedTokens: 8192,
      blockSize: 16,
      kvDtypeBytes: 2,
      tensorParallelSize: 1,
      pipelineParallelSize: 1,
    };
    const full = oneSequenceKvBytes(a, { ...o, engine: 'V0', version: v('0.6.3') });
    const hybrid = oneSequenceKvBytes(a, { ...o, engine: 'V1', version: v('0.10.0') });
    assert.equal(full, 131072 * kvBytesPerToken(a, 2));
    assert.ok(hybrid < full * 0.6 && hybrid > full * 0.5, `${hybrid} vs ${full}`);
  });
});

describe('kvCacheDtype (reference/vllm-memory-2026.md §4.3)', () => {
  it('inline per-token-head scales, NVFP4 block scales, 4-bit layouts', () => {
    assert.equal(kvCacheDtype('auto', 2).bytes, 2);
    assert.equal(kvCacheDtype('fp8_e4m3', 2).bytes, 1);
    assert.equal(kvCacheDtype('int8_per_token_head', 2, 128).bytes * 256, 264, '264 B per K+V head instead of 256');
    assert.equal(kvCacheDtype('int4_per_token_head', 2, 128).bytes * 256, 136);
    assert.equal(kvCacheDtype('nvfp4', 2).bytes, 0.5625);
    assert.equal(kvCacheDtype('turboquant_k8v4', 2).bytes, 0.75);
    assert.match(kvCacheDtype('turboquant_3bit_nc', 2).caveat!, /metadata is not counted/);
    assert.match(kvCacheDtype('something_new', 2).caveat!, /not known/);
  });
});
