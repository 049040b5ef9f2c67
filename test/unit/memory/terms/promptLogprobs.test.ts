// The unprofiled prompt-logprob spike (terms/promptLogprobs.ts), per engine.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arch, GiB, near, v } from '../helpers';
import {
  promptLogprobsSpikeBytes,
  requestsPerCall,
  v0PromptTokensPerStep,
} from '../../../../server/src/memory/terms/promptLogprobs';

describe('promptLogprobsSpikeBytes', () => {
  it('prompt-logprob spike: V1 n × V × 15 B (measured), only for loglikelihood-type tasks', () => {
    const qwen = arch('Qwen/Qwen3-8B');
    const o = {
      engine: 'V1' as const,
      version: v('0.10.0'),
      maxNumBatchedTokens: 16384,
      maxModelLen: 40960,
      dtypeBytes: 2,
    };
    assert.equal(promptLogprobsSpikeBytes(qwen, { ...o, outputTypes: ['generate_until'] }), 0);
    // Multiple-choice requests are bounded at 4,096 tokens; perplexity windows fill the context.
    assert.equal(promptLogprobsSpikeBytes(qwen, { ...o, outputTypes: ['multiple_choice'] }), 4096 * 151936 * 15);
    assert.equal(promptLogprobsSpikeBytes(qwen, { ...o, outputTypes: ['loglikelihood_rolling'] }), 16384 * 151936 * 15);
    // n is bounded by max_model_len: 2048 tokens × 151,936 × 15 B ≈ 4.35 GiB (the notes' 7 B gave 2.0 GiB).
    near(promptLogprobsSpikeBytes(qwen, { ...o, maxModelLen: 2048, outputTypes: ['loglikelihood'] }) / GiB, 4.35, 0.01);
    // Model Runner V2 chunks by 1024.
    assert.equal(
      promptLogprobsSpikeBytes(qwen, { ...o, modelRunnerV2: true, outputTypes: ['loglikelihood'] }),
      1024 * 151936 * 15,
    );
  });
  it('prompt-logprob spike: V0 takes every prompt token of the step × V × 23 B (Llama-3 N = 8192 ≈ 22.5 GiB)', () => {
    const s = promptLogprobsSpikeBytes(arch('meta-llama/Meta-Llama-3-8B'), {
      engine: 'V0',
      version: v('0.6.3'),
      maxNumBatchedTokens: 8192,
      maxModelLen: 8192,
      dtypeBytes: 2,
      outputTypes: ['loglikelihood_rolling'],
    });
    near(s / GiB, (8192 * 128256 * 23) / GiB, 1e-9);
  });
});

describe('the prompt-logprob spike as lm-eval drives it', () => {
  it('an integer --batch_size bounds a V0 step to batch × the longest prompt; auto lets vLLM fill it', () => {
    assert.equal(requestsPerCall('auto'), undefined);
    assert.equal(requestsPerCall('auto:4'), undefined);
    assert.equal(requestsPerCall('8'), 8);
    assert.equal(requestsPerCall(1), 1);
    // The Open LLM Leaderboard report: Qwen2.5-72B, vLLM 0.6.3 (V0), --batch_size 1, failed
    // allocating 7 GiB in get_logprobs; a full 32k-token step would be ≈107 GiB, one ≤ 4k prompt ≈13 GiB.
    const qwen = arch('Qwen/Qwen2.5-72B');
    const o = {
      engine: 'V0' as const,
      version: v('0.6.3'),
      maxNumBatchedTokens: 32768,
      maxModelLen: 32768,
      dtypeBytes: 2,
      outputTypes: ['multiple_choice' as const],
    };
    const auto = promptLogprobsSpikeBytes(qwen, o);
    const one = promptLogprobsSpikeBytes(qwen, { ...o, requestsPerCall: 1 });
    near(auto / GiB, (32768 * qwen.vocabSize * 23) / GiB, 1e-6);
    near(one / GiB, (4096 * qwen.vocabSize * 23) / GiB, 1e-6);
    assert.ok(one / GiB > 7 && one / GiB < 15, `${one / GiB} GiB`);
    assert.equal(v0PromptTokensPerStep({ ...o, requestsPerCall: 16 }), 32768, 'capped at max_num_batched_tokens');
  });
});
