// Modules a quantized checkpoint keeps in the model dtype: reading the lists from
// quantization_config, matching them as vLLM does, and what they add to the weights.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookupArchitecture, lookupArchitectureDetailed } from '../../../server/src/memory/architectures';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { weightsBytesPerRank } from '../../../server/src/memory/terms/weights';
import { resolveGpu } from '../../../server/src/memory/gpus';
import { quantizationFromConfig, quantizedWeightCost } from '../../../server/src/memory/quantization';
import { parseConfigJson } from '../../../server/src/memory/configJson';
import type { EstimateInput, ModelArchitecture, UnquantizedModules } from '../../../server/src/memory/types';
import {
  decoderLinearModules,
  safeModuleRegExp,
  unquantizedModuleMatcher,
  unquantizedParams,
} from '../../../server/src/memory/unquantizedModules';
import { parseVllmVersion } from '../../../server/src/memory/version';
import { GiB } from '../../../server/src/shared/units';

function arch(id: string): ModelArchitecture {
  const a = lookupArchitecture(id);
  assert.ok(a, id);
  return a;
}

function matcher(match: UnquantizedModules['match'], patterns: string[]): (name: string) => boolean {
  return unquantizedModuleMatcher({ key: 'test', patterns, match });
}

describe('decoderLinearModules', () => {
  it('names a dense layer’s projections as Hugging Face checkpoints do, with their shapes', () => {
    const a = arch('meta-llama/Meta-Llama-3-8B'); // hidden 4096, 32 heads, 8 KV heads, head_dim 128, intermediate 14336
    const m = Object.fromEntries(decoderLinearModules(a, 7).map((x) => [x.name, x.params]));
    assert.deepEqual(m, {
      'model.layers.7.self_attn.q_proj': 4096 * 4096,
      'model.layers.7.self_attn.k_proj': 4096 * 1024,
      'model.layers.7.self_attn.v_proj': 4096 * 1024,
      'model.layers.7.self_attn.o_proj': 4096 * 4096,
      'model.layers.7.mlp.gate_proj': 4096 * 14336,
      'model.layers.7.mlp.up_proj': 4096 * 14336,
      'model.layers.7.mlp.down_proj': 4096 * 14336,
    });
  });
  it('MoE layers hold the router, one expert block and the shared experts; first_k_dense layers stay dense; MLA names its projections', () => {
    const lite = arch('deepseek-ai/DeepSeek-V2-Lite'); // first_k_dense_replace = 1, 2 shared experts, MLA
    assert.ok(decoderLinearModules(lite, 0).some((m) => m.name === 'model.layers.0.mlp.down_proj'));
    const names = decoderLinearModules(lite, 1).map((m) => m.name);
    for (const n of [
      'self_attn.kv_a_proj_with_mqa',
      'self_attn.kv_b_proj',
      'mlp.gate',
      'mlp.experts',
      'mlp.shared_experts',
    ])
      assert.ok(names.includes(`model.layers.1.${n}`), n);
    assert.deepEqual(
      decoderLinearModules(lite, 1)
        .filter((m) => m.expert)
        .map((m) => m.params),
      [3 * 2048 * 1408 * 64],
    );
  });
});

describe('quantizationFromConfig: unquantized module lists', () => {
  it('reads each method’s key', () => {
    const bnb = quantizationFromConfig({
      quant_method: 'bitsandbytes',
      load_in_4bit: true,
      llm_int8_skip_modules: ['lm_head', 'model.layers.2.mlp', 7],
    });
    assert.deepEqual(bnb?.unquantizedModules, {
      key: 'llm_int8_skip_modules',
      patterns: ['lm_head', 'model.layers.2.mlp'],
      match: 'bnb',
    });
    assert.equal(
      quantizationFromConfig({ quant_method: 'awq', modules_to_not_convert: ['visual'] })?.unquantizedModules?.match,
      'substring',
    );
    const ct = quantizationFromConfig({
      quant_method: 'compressed-tensors',
      ignore: ['lm_head', 're:.*mlp\\.gate$'],
      config_groups: { g: { weights: { num_bits: 8 } } },
    });
    assert.deepEqual(ct?.unquantizedModules?.patterns, ['lm_head', 're:.*mlp\\.gate$']);
    assert.equal(
      quantizationFromConfig({ quant_method: 'fp8', ignored_layers: ['model.layers.0.self_attn'] })?.unquantizedModules
        ?.key,
      'ignored_layers',
    );
    assert.equal(
      quantizationFromConfig({ quant_method: 'modelopt', quant_algo: 'FP8', exclude_modules: ['lm_head'] })
        ?.unquantizedModules?.key,
      'exclude_modules',
    );
  });
  it('a config.json read from the HF cache, a directory or the Hub carries the list', () => {
    const config = {
      model_type: 'qwen2',
      hidden_size: 2048,
      intermediate_size: 11008,
      num_hidden_layers: 36,
      num_attention_heads: 16,
      num_key_value_heads: 2,
      vocab_size: 151936,
      max_position_embeddings: 32768,
      quantization_config: {
        quant_method: 'bitsandbytes',
        load_in_4bit: true,
        llm_int8_skip_modules: ['lm_head', 'model.layers.2.mlp', 'model.layers.3.mlp', 'model.layers.30.mlp'],
      },
    };
    const a = parseConfigJson(JSON.stringify(config), 'unsloth/qwen2.5-3b-instruct-unsloth-bnb-4bit');
    assert.equal(a?.checkpointQuantization?.unquantizedModules?.patterns.length, 4);
    assert.equal(
      unquantizedParams(a!, a!.checkpointQuantization!.unquantizedModules!, 0, 36, false),
      3 * 3 * 2048 * 11008,
    );
  });
  it('leaves an empty, absent or malformed list out', () => {
    assert.equal(
      quantizationFromConfig({ quant_method: 'awq', modules_to_not_convert: [] })?.unquantizedModules,
      undefined,
    );
    assert.equal(
      quantizationFromConfig({ quant_method: 'awq', modules_to_not_convert: null })?.unquantizedModules,
      undefined,
    );
    assert.equal(
      quantizationFromConfig({ quant_method: 'awq', modules_to_not_convert: 'lm_head' })?.unquantizedModules,
      undefined,
    );
  });
});

describe('unquantizedModuleMatcher', () => {
  it('bitsandbytes: a name component or a dotted prefix (is_layer_skipped_bnb)', () => {
    const m = matcher('bnb', ['lm_head', 'model.layers.2.mlp']);
    assert.equal(m('model.layers.2.mlp.down_proj'), true);
    assert.equal(m('model.layers.20.mlp.down_proj'), false);
    assert.equal(m('model.layers.2.self_attn.q_proj'), false);
    assert.equal(matcher('bnb', ['mlp'])('model.layers.9.mlp.up_proj'), true);
  });
  it('substring, with * as a wildcard (modules_to_not_convert)', () => {
    const m = matcher('substring', ['model.layers.1.mlp', 'model.layers.*.self_attn']);
    assert.equal(m('model.layers.1.mlp.gate_proj'), true);
    assert.equal(m('model.layers.10.mlp.gate_proj'), false);
    assert.equal(m('model.layers.33.self_attn.o_proj'), true);
  });
  it('compressed-tensors: exact names and re: patterns anchored at the start', () => {
    const m = matcher('exact-or-regex', ['model.layers.0.self_attn.q_proj', 're:.*mlp\\.gate$']);
    assert.equal(m('model.layers.0.self_attn.q_proj'), true);
    assert.equal(m('model.layers.0.self_attn.k_proj'), false);
    assert.equal(m('model.layers.5.mlp.gate'), true);
    assert.equal(m('model.layers.5.mlp.gate_proj'), false);
    assert.equal(matcher('exact-or-regex', ['re:mlp'])('model.layers.5.mlp.gate'), false);
  });
  it('refuses patterns that could backtrack for ever, and Python-only syntax, instead of hanging or throwing', {
    timeout: 30_000,
  }, () => {
    assert.equal(safeModuleRegExp('(a+)+$'), undefined);
    assert.equal(safeModuleRegExp('(.*)*x'), undefined);
    assert.equal(safeModuleRegExp('(?P<name>mlp)'), undefined);
    assert.ok(safeModuleRegExp('.*\\.mlp\\.(gate|up)_proj$'));
    const m = matcher('exact-or-regex', ['re:(a+)+$', 're:(?P<x>a)']);
    assert.equal(m(`${'a'.repeat(60)}!`), false);
  });
});

describe('weights with unquantized modules', () => {
  // QwQ-32B (Qwen2.5-32B shapes): one MLP is 3 × 5120 × 27648 parameters.
  const qwq = arch('Qwen/QwQ-32B');
  const mlp = 3 * 5120 * 27648;
  const nf4 = quantizedWeightCost({ method: 'bitsandbytes', bits: 4 })!;
  const skip: UnquantizedModules = {
    key: 'llm_int8_skip_modules',
    patterns: ['lm_head', 'model.layers.0.mlp', 'model.layers.1.mlp', 'model.layers.63.mlp'],
    match: 'bnb',
  };
  const w = (stage: 'first' | 'last' | 'only', pp: number, tp: number, unquantizedModules?: UnquantizedModules) =>
    weightsBytesPerRank(qwq, {
      dtypeBytes: 2,
      quantization: nf4,
      tensorParallelSize: tp,
      pipelineParallelSize: pp,
      stage,
      unquantizedModules,
    });

  it('counts listed layers at the model dtype, split by TP, on the stage that holds them', () => {
    const perParam = 2 - nf4.bytesPerParam;
    assert.ok(Math.abs(w('only', 1, 1, skip) - w('only', 1, 1) - 3 * mlp * perParam) < 1);
    assert.ok(Math.abs(w('only', 1, 2, skip) - w('only', 1, 2) - (3 * mlp * perParam) / 2) < 1);
    // PP = 2: layers 0–31 on the first stage, 32–63 on the last.
    assert.ok(Math.abs(w('first', 2, 1, skip) - w('first', 2, 1) - 2 * mlp * perParam) < 1);
    assert.ok(Math.abs(w('last', 2, 1, skip) - w('last', 2, 1) - mlp * perParam) < 1);
    assert.equal(unquantizedParams(qwq, skip, 2, 63, false), 0);
  });

  it('a checkpoint config’s list reaches the estimate and its assumptions', () => {
    const input = (a: ModelArchitecture): EstimateInput => ({
      architecture: a,
      gpu: resolveGpu('RTX 5090')!,
      settings: { pipelineParallelSize: 2, maxModelLen: 60000, gpuMemoryUtilization: 0.85, useV1: false },
      workload: { outputTypes: [] },
      version: parseVllmVersion('0.8.5')!,
    });
    const plain = estimateVllmMemory(input({ ...qwq, checkpointQuantization: { method: 'bitsandbytes', bits: 4 } }));
    const dynamic = estimateVllmMemory(
      input({ ...qwq, checkpointQuantization: { method: 'bitsandbytes', bits: 4, unquantizedModules: skip } }),
    );
    // The last stage stays the busiest (it runs the sampler) and holds one of the three MLPs.
    const added = ((2 - nf4.bytesPerParam) * mlp) / GiB;
    assert.ok(
      Math.abs(dynamic.weightsBytes / GiB - plain.weightsBytes / GiB - added) < 0.01,
      `${dynamic.weightsBytes / GiB} vs ${plain.weightsBytes / GiB}`,
    );
    assert.ok(dynamic.kvCacheTokens < plain.kvCacheTokens);
    assert.ok(
      dynamic.assumptions.some((s) =>
        /1\.27 B parameters .* stay bfloat16 \(quantization_config\.llm_int8_skip_modules\)/.test(s),
      ),
      dynamic.assumptions.join('\n'),
    );
  });

  it('an Unsloth dynamic id without its config says so and widens the error band', () => {
    const dyn = lookupArchitectureDetailed('unsloth/QwQ-32B-unsloth-bnb-4bit')!;
    const plain = lookupArchitectureDetailed('unsloth/QwQ-32B-bnb-4bit')!;
    assert.ok(dyn.assumptions.some((s) => s.includes('llm_int8_skip_modules')));
    assert.ok(!plain.assumptions.some((s) => s.includes('llm_int8_skip_modules')));
    const est = (a: ModelArchitecture) =>
      estimateVllmMemory({
        architecture: a,
        gpu: resolveGpu('RTX 5090')!,
        settings: { maxModelLen: 8192 },
        workload: { outputTypes: [] },
        version: parseVllmVersion('0.10.0')!,
      });
    // The weights band goes from the measured one to ±10 %, and the KV band widens by the difference.
    const d = est(dyn.architecture);
    const p = est(plain.architecture);
    assert.equal(d.weightsBand, 0.1);
    assert.ok(p.weightsBand < 0.05);
    const widening = (0.1 - p.weightsBand) * d.weightsBytes;
    const bandBytes = (e: typeof d) => e.errorBand * e.kvCacheBytes;
    assert.ok(Math.abs(bandBytes(d) - bandBytes(p) - widening) < 0.02 * GiB, `${bandBytes(d)} vs ${bandBytes(p)}`);
  });
});
