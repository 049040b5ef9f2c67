// The engine vLLM really runs (engine.ts): the V1-support oracle of 0.8–0.10 from
// reference/vllm-memory-2026.md §1.1, and Model Runner V2's scope (§2.8).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseEngine, type EngineFacts, modelRunnerV2 } from '../../../server/src/memory/engine';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { arch, gpu, v } from './helpers';

const facts = (over: Omit<Partial<EngineFacts>, 'version'> & { version: string }): EngineFacts => ({
  gpu: gpu('A100-80GB'),
  arch: arch('Qwen/Qwen2.5-7B-Instruct'),
  dtype: 'bfloat16',
  kvCacheDtype: 'auto',
  pipelineParallelSize: 1,
  ...over,
  version: v(over.version),
});
const engine = (over: Omit<Partial<EngineFacts>, 'version'> & { version: string }) => chooseEngine(facts(over)).engine;

describe('the V1 oracle (0.8–0.10)', () => {
  it('a plain configuration runs V1 from 0.8.0, V0 before (VLLM_USE_V1=1 opts in from 0.7)', () => {
    assert.equal(engine({ version: '0.7.3' }), 'V0');
    assert.equal(engine({ version: '0.7.3', useV1: true }), 'V1');
    assert.equal(engine({ version: '0.8.0' }), 'V1');
    assert.equal(engine({ version: '0.10.1', useV1: false }), 'V0');
    assert.equal(engine({ version: '0.11.0', useV1: false }), 'V1', 'V0 was deleted in 0.11.0 (#25321)');
  });

  it('pipeline parallelism without distributed_executor_backend falls back in 0.8.3–0.9.0 (lm-eval passes none)', () => {
    assert.equal(engine({ version: '0.8.2', pipelineParallelSize: 2 }), 'V1');
    assert.ok(
      chooseEngine(facts({ version: '0.8.2', pipelineParallelSize: 2 })).notes[0].includes('fails at start-up'),
    );
    assert.equal(engine({ version: '0.8.3', pipelineParallelSize: 2 }), 'V0');
    assert.equal(engine({ version: '0.8.5', pipelineParallelSize: 2, distributedExecutorBackend: 'ray' }), 'V1');
    assert.equal(engine({ version: '0.8.5', pipelineParallelSize: 2, distributedExecutorBackend: 'mp' }), 'V0');
    assert.equal(engine({ version: '0.9.0', pipelineParallelSize: 2, distributedExecutorBackend: 'mp' }), 'V1');
    assert.equal(engine({ version: '0.9.1', pipelineParallelSize: 2 }), 'V1', '#18915');
  });

  it('compute capability < 8.0 until 0.10.2; float32 until 0.10.0; GGUF until 0.10.0', () => {
    assert.equal(engine({ version: '0.10.1', gpu: gpu('T4') }), 'V0');
    assert.equal(engine({ version: '0.10.2', gpu: gpu('V100-32GB') }), 'V1');
    assert.equal(engine({ version: '0.9.2', dtype: 'float32' }), 'V0');
    assert.equal(engine({ version: '0.10.0', dtype: 'float32' }), 'V1');
    assert.equal(engine({ version: '0.9.0', quantization: 'gguf' }), 'V0');
    assert.equal(engine({ version: '0.10.0', quantization: 'gguf' }), 'V1');
  });

  it('an fp8 KV cache needs FlashAttention 3 (Hopper), from 0.10.0 also Blackwell; no check from 0.10.2', () => {
    assert.equal(engine({ version: '0.9.0', kvCacheDtype: 'fp8' }), 'V0');
    assert.equal(engine({ version: '0.9.0', kvCacheDtype: 'fp8_e5m2', gpu: gpu('H100-80GB') }), 'V1');
    assert.equal(engine({ version: '0.9.0', kvCacheDtype: 'fp8', gpu: gpu('RTX5090') }), 'V0');
    assert.equal(engine({ version: '0.10.0', kvCacheDtype: 'fp8', gpu: gpu('RTX5090') }), 'V1');
    assert.equal(engine({ version: '0.10.2', kvCacheDtype: 'fp8' }), 'V1');
  });

  it('hybrid (Mamba) models until 0.10.2; VLLM_USE_V1=1 refuses instead of falling back', () => {
    const hybrid = { ...arch('Qwen/Qwen2.5-7B-Instruct'), kvCacheLayers: 7 };
    assert.equal(engine({ version: '0.10.1', arch: hybrid }), 'V0');
    assert.equal(engine({ version: '0.10.2', arch: hybrid }), 'V1');
    const forced = chooseEngine(facts({ version: '0.9.0', arch: hybrid, useV1: true }));
    assert.equal(forced.engine, 'V1');
    assert.match(forced.notes[0], /VLLM_USE_V1=1 .* vLLM refuses/);
  });

  it('the estimate follows the fallback: V0 defaults and the reason in the assumptions', () => {
    const e = estimateVllmMemory({
      architecture: arch('Qwen/Qwen2.5-7B-Instruct'),
      gpu: gpu('T4'),
      settings: { dtype: 'half', maxModelLen: 2048 },
      workload: { outputTypes: [] },
      version: v('0.9.2'),
    });
    assert.equal(e.effective.engine, 'V0');
    assert.equal(e.effective.maxNumBatchedTokens, 2048, 'V0: max(max_model_len, 2048) without chunked prefill');
    assert.ok(e.assumptions.some((a) => /^V0 \(vLLM 0\.9\.2 falls back: compute capability 7\.5 < 8\.0\)/.test(a)));
  });
});

describe('Model Runner V2', () => {
  it('dense unquantized Qwen3 from 0.22, every dense model from 0.25 (quantized from 0.25.1), never MoE', () => {
    const qwen3 = arch('Qwen/Qwen3-8B');
    const llama = arch('meta-llama/Llama-3.1-8B');
    assert.equal(modelRunnerV2('V1', v('0.21.0'), qwen3, false), false);
    assert.equal(modelRunnerV2('V1', v('0.22.0'), qwen3, false), true);
    assert.equal(modelRunnerV2('V1', v('0.22.0'), qwen3, true), false);
    assert.equal(modelRunnerV2('V1', v('0.24.0'), llama, false), false);
    assert.equal(modelRunnerV2('V1', v('0.25.0'), llama, false), true);
    assert.equal(modelRunnerV2('V1', v('0.25.0'), llama, true), false);
    assert.equal(modelRunnerV2('V1', v('0.25.1'), llama, true), true);
    assert.equal(modelRunnerV2('V1', v('0.29.0'), arch('Qwen/Qwen3-30B-A3B'), false), false);
  });
});
