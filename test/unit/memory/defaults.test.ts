// vLLM's defaults by version and engine (defaults.ts), from reference/vllm-memory.md §4.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arch, gpu, v } from './helpers';
import {
  chunkedPrefill,
  defaultGpuMemoryUtilization,
  defaultMaxModelLen,
  defaultMaxNumBatchedTokens,
  defaultMaxNumSeqs,
  resolveDtype,
} from '../../../server/src/memory/defaults';

describe('defaults by version', () => {
  it('gpu_memory_utilization 0.9, 0.92 from 0.21', () => {
    assert.equal(defaultGpuMemoryUtilization(v('0.10.1')), 0.9);
    assert.equal(defaultGpuMemoryUtilization(v('0.21.0')), 0.92);
  });
  it('max_num_seqs: V0 256; V1 1024 on ≥ 70 GiB; A100 excluded from 0.9.0', () => {
    assert.equal(defaultMaxNumSeqs('V0', v('0.6.3'), gpu('H100-80GB')), 256);
    assert.equal(defaultMaxNumSeqs('V1', v('0.8.5'), gpu('A100-80GB')), 1024);
    assert.equal(defaultMaxNumSeqs('V1', v('0.9.0'), gpu('A100-80GB')), 256);
    assert.equal(defaultMaxNumSeqs('V1', v('0.10.0'), gpu('H100-80GB')), 1024);
    assert.equal(defaultMaxNumSeqs('V1', v('0.10.0'), gpu('L4')), 256);
  });
  it('max_num_batched_tokens: V1 LLM 16384 on H100, 8192 on A100 and small GPUs, server 8192/2048; V0 max(len, 2048)', () => {
    assert.equal(defaultMaxNumBatchedTokens('V1', v('0.10.0'), gpu('H100-80GB'), 32768, 1024, true), 16384);
    assert.equal(defaultMaxNumBatchedTokens('V1', v('0.10.0'), gpu('A100-80GB'), 32768, 256, true), 8192);
    assert.equal(defaultMaxNumBatchedTokens('V1', v('0.10.0'), gpu('L4'), 32768, 256, true, 'serve'), 2048);
    assert.equal(
      defaultMaxNumBatchedTokens('V1', v('0.10.0'), gpu('H100-80GB'), 4, 1, true),
      4,
      'capped at max_num_seqs × max_model_len',
    );
    assert.equal(defaultMaxNumBatchedTokens('V0', v('0.6.3'), gpu('A100-80GB'), 1024, 256, false), 2048);
    assert.equal(defaultMaxNumBatchedTokens('V0', v('0.6.3'), gpu('A100-80GB'), 29000, 256, false), 29000);
  });
  it('default max_model_len: llama3 rope not scaled, yarn from the original length, Gemma 2 capped before 0.6.4', () => {
    assert.equal(defaultMaxModelLen(arch('meta-llama/Llama-3.1-8B'), v('0.10.0')), 131072);
    assert.equal(defaultMaxModelLen(arch('deepseek-ai/DeepSeek-V3'), v('0.10.0')), 163840);
    assert.equal(defaultMaxModelLen(arch('openai/gpt-oss-20b'), v('0.10.0')), 131072);
    assert.equal(defaultMaxModelLen(arch('google/gemma-3-4b-it'), v('0.10.0')), 131072);
    assert.equal(defaultMaxModelLen(arch('google/gemma-2-9b'), v('0.6.3')), 4096);
    assert.equal(defaultMaxModelLen(arch('google/gemma-2-9b'), v('0.6.4')), 8192);
    assert.equal(defaultMaxModelLen(arch('Qwen/Qwen2.5-7B-Instruct'), v('0.10.0')), 32768);
  });
  it('dtype=auto: float32 configs become fp16 up to 0.9.0 and bf16 on sm80+ from 0.9.1', () => {
    const olmo = arch('allenai/OLMo-2-1124-7B');
    assert.equal(resolveDtype(olmo, 'auto', gpu('A100-80GB'), v('0.8.5')).dtype, 'float16');
    assert.equal(resolveDtype(olmo, 'auto', gpu('A100-80GB'), v('0.9.1')).dtype, 'bfloat16');
    assert.equal(resolveDtype(olmo, 'auto', gpu('T4'), v('0.9.1')).dtype, 'float16');
    assert.equal(resolveDtype(olmo, 'float', gpu('T4'), v('0.9.1')).bytes, 4);
  });
});

describe('chunked prefill as each engine sets it (reference/vllm-memory-2026.md §2.4)', () => {
  it('V1 ignores enable_chunked_prefill=False up to 0.11 and honours it later', () => {
    const a = arch('meta-llama/Llama-3.1-8B');
    const old = chunkedPrefill('V1', v('0.10.0'), a, 8192, false);
    assert.equal(old.enabled, true);
    assert.match(old.note!, /is ignored/);
    assert.deepEqual(chunkedPrefill('V1', v('0.12.0'), a, 8192, false), { enabled: false });
  });
  it('V0 turns it on by default above 32K tokens, never for MLA models (DeepSeek-V2-Lite runs mnbt = 163840)', () => {
    assert.equal(chunkedPrefill('V0', v('0.6.3'), arch('meta-llama/Llama-3.1-8B'), 131072, undefined).enabled, true);
    const mla = arch('deepseek-ai/DeepSeek-V2-Lite');
    assert.equal(chunkedPrefill('V0', v('0.6.3'), mla, 163840, undefined).enabled, false);
    assert.equal(defaultMaxNumBatchedTokens('V0', v('0.6.3'), gpu('A100-80GB'), 163840, 256, false), 163840);
  });
});
