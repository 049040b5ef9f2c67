// The settings vLLM will run with (inputs.ts): the launch's environment as vLLM parses it, and who
// builds the engine.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { resolveInputs } from '../../../server/src/memory/inputs';
import { vllmEnvironment } from '../../../server/src/memory/vllmEnvironment';
import type { EstimateInput } from '../../../server/src/memory/types';
import { arch, gpu, v } from './helpers';

const input = (over: Partial<EstimateInput> = {}): EstimateInput => ({
  architecture: arch('Qwen/Qwen2.5-7B-Instruct'),
  gpu: gpu('H100-80GB'),
  settings: {},
  workload: { outputTypes: [] },
  version: v('0.8.5'),
  ...over,
});

describe('vllmEnvironment', () => {
  it('reads the variables that change memory, as vLLM parses them', () => {
    assert.deepEqual(
      vllmEnvironment({
        VLLM_USE_V1: '0',
        VLLM_USE_FLASHINFER_SAMPLER: '1',
        VLLM_PP_LAYER_PARTITION: '15, 17',
        PYTORCH_CUDA_ALLOC_CONF: 'max_split_size_mb:512,expandable_segments:True',
        VLLM_ALLOW_LONG_MAX_MODEL_LEN: 'true',
        VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS: '0',
        HF_HOME: '/data/hf',
      }),
      {
        useV1: false,
        flashinferSampler: true,
        ppLayerPartition: [15, 17],
        expandableSegments: true,
        allowLongMaxModelLen: true,
        estimateCudaGraphs: false,
      },
    );
  });

  it('a value it cannot read ($VAR, $(...), a typo) is unknown, not false', () => {
    assert.deepEqual(
      vllmEnvironment({
        VLLM_USE_V1: '$USE_V1',
        VLLM_USE_FLASHINFER_SAMPLER: '$(cat flag)',
        VLLM_PP_LAYER_PARTITION: '${PARTITION}',
        PYTORCH_CUDA_ALLOC_CONF: 'expandable_segments:$X',
      }),
      {},
    );
    assert.deepEqual(vllmEnvironment(undefined), {});
  });
});

describe('entrypoint and environment reach the estimate', () => {
  it('entrypoint serve takes the server batch defaults (get_batch_defaults) and says so', () => {
    const llm = estimateVllmMemory(input());
    const serve = estimateVllmMemory(input({ entrypoint: 'serve' }));
    assert.equal(llm.effective.entrypoint, 'llm');
    assert.equal(serve.effective.entrypoint, 'serve');
    assert.equal(llm.effective.maxNumBatchedTokens, 16384);
    assert.equal(serve.effective.maxNumBatchedTokens, 8192);
    assert.ok(serve.assumptions.some((a) => /for vllm serve/.test(a)));
  });

  it('VLLM_USE_V1 from the environment picks the engine; a setting given directly wins', () => {
    assert.equal(resolveInputs(input({ env: { VLLM_USE_V1: '0' } })).engine, 'V0');
    assert.equal(resolveInputs(input({ env: { VLLM_USE_V1: '$X' } })).engine, 'V1');
    assert.equal(resolveInputs(input({ env: { VLLM_USE_V1: '0' }, settings: { useV1: true } })).engine, 'V1');
  });

  it('VLLM_ALLOW_LONG_MAX_MODEL_LEN from the environment lifts the max_model_len refusal', () => {
    const long = { settings: { maxModelLen: 65536 } };
    const refused = estimateVllmMemory(input(long));
    assert.ok(refused.reasons.some((r) => r.code === 'max-model-len-too-long'));
    const allowed = estimateVllmMemory(input({ ...long, env: { VLLM_ALLOW_LONG_MAX_MODEL_LEN: '1' } }));
    assert.ok(!allowed.reasons.some((r) => r.code === 'max-model-len-too-long'));
  });
});

describe('PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True', () => {
  it('drops the fragmentation allowance after start-up: graphs outside the budget fit closer to the limit', () => {
    const at = (util: number, env?: Record<string, string>) =>
      estimateVllmMemory(
        input({
          gpu: gpu('RTX4090'),
          version: v('0.6.3'),
          settings: { maxModelLen: 4096, gpuMemoryUtilization: util },
          ...(env ? { env } : {}),
        }),
      );
    const flagged = (e: ReturnType<typeof at>) => e.reasons.some((r) => r.code === 'cuda-graph-headroom');
    const env = { PYTORCH_CUDA_ALLOC_CONF: 'expandable_segments:True' };
    let differs = false;
    for (let u = 80; u <= 99; u++) {
      const plain = flagged(at(u / 100));
      const expandable = flagged(at(u / 100, env));
      assert.ok(plain || !expandable, `util 0.${u}: flagged only with expandable segments`);
      if (plain && !expandable) differs = true;
    }
    assert.ok(differs, 'some utilization is at risk only without expandable segments');
    assert.ok(at(0.9, env).assumptions.some((a) => /expandable_segments:True/.test(a)));
  });
});

describe('Model Runner V2 assumption', () => {
  it('names the rule that applies to the model: Qwen3 from ≈0.22 only for Qwen3 (QA cosmetic)', () => {
    const mrv2 = (model: string, ver: string) =>
      resolveInputs(input({ architecture: arch(model), version: v(ver) })).assumptions.find((a) =>
        a.startsWith('Model Runner V2'),
      );
    const llama = mrv2('meta-llama/Llama-3.1-8B-Instruct', '0.29.0');
    assert.match(llama ?? '', /dense models from vLLM 0\.25/);
    assert.doesNotMatch(llama ?? '', /Qwen3/);
    assert.equal(mrv2('meta-llama/Llama-3.1-8B-Instruct', '0.22.0'), undefined);
    assert.match(mrv2('Qwen/Qwen3-8B', '0.22.0') ?? '', /dense, unquantized Qwen3 from ≈0\.22/);
  });
});

describe('quantization= names a format; the bit width comes from the checkpoint', () => {
  it('compressed-tensors over a W4A16 checkpoint is 4-bit, not 8 (QA N4)', () => {
    const w4 = arch('RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w4a16');
    const weights = (quantization?: string) =>
      estimateVllmMemory(input({ architecture: w4, settings: quantization ? { quantization } : {} })).weightsBytes;
    const flagged = resolveInputs(input({ architecture: w4, settings: { quantization: 'compressed-tensors' } }));
    assert.equal(flagged.quantSpec?.method, 'compressed-tensors');
    assert.equal(flagged.quantSpec?.bits, 4);
    assert.ok(Math.abs(weights('compressed-tensors') - weights()) / weights() < 0.02, 'same size as the name alone');
    // With nothing to say the width, 8 bits are assumed and said.
    const plain = resolveInputs(input({ settings: { quantization: 'compressed-tensors' } }));
    assert.ok(
      plain.assumptions.some((a) => /bit width not known: 8 assumed/.test(a)),
      plain.assumptions.join('; '),
    );
  });
});
