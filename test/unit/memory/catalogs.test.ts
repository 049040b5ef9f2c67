// GPU catalog, versions, the model catalog and quantization sizes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CATALOG_MODELS } from '../../../server/src/memory/architectureData';
import { lookupArchitecture, lookupArchitectureDetailed } from '../../../server/src/memory/architectures';
import { CATALOG_VARIANT_IDS } from '../../../server/src/memory/catalogVariants';
import { layerParams, totalParams } from '../../../server/src/memory/layerModules';
import { NOT_MODELLED_MODEL_TYPES } from '../../../server/src/memory/notModelled';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { weightsBytesPerRank } from '../../../server/src/memory/terms/weights';
import { GPU_CATALOG, resolveGpu } from '../../../server/src/memory/gpus';
import {
  mxfp4ExpertLayout,
  quantizationFromConfig,
  quantizationFromName,
  quantizedWeightCost,
  type ExpertLayout,
} from '../../../server/src/memory/quantization';
import type { GpuSpec } from '../../../server/src/memory/types';
import { compareVersions, engineFor, LATEST_VLLM_VERSION, parseVllmVersion } from '../../../server/src/memory/version';
import { needsShared, repoRoot, sharedRoot } from '../../helpers/paths';
import { GiB } from '../../../server/src/shared/units';

describe('resolveGpu', () => {
  it('accepts catalog names in any case and punctuation, and nvidia-smi names', () => {
    for (const [input, name] of [
      ['A100-80GB', 'A100-80GB'],
      ['a100_80gb', 'A100-80GB'],
      ['A100', 'A100-80GB'],
      ['NVIDIA A100-SXM4-80GB', 'A100-80GB'],
      ['NVIDIA A100-SXM4-40GB', 'A100-40GB'],
      ['NVIDIA A100 80GB PCIe', 'A100-80GB'],
      ['NVIDIA H100 80GB HBM3', 'H100-80GB'],
      ['h100', 'H100-80GB'],
      ['NVIDIA H200', 'H200'],
      ['NVIDIA L4', 'L4'],
      ['NVIDIA A10G', 'A10G'],
      ['NVIDIA L40S', 'L40S'],
      ['NVIDIA GeForce RTX 4090', 'RTX4090'],
      ['rtx3090', 'RTX3090'],
      ['Tesla T4', 'T4'],
      ['Tesla V100-SXM2-32GB', 'V100-32GB'],
      ['NVIDIA RTX A6000', 'A6000'],
    ]) {
      assert.equal(resolveGpu(input)?.name, name, input);
    }
  });
  it('accepts memory figures', () => {
    assert.equal(resolveGpu('79.15GiB')?.totalBytes, Math.round(79.15 * GiB));
    assert.equal(resolveGpu('80GB')?.totalBytes, 80 * GiB);
    assert.equal(resolveGpu('81920MiB')?.totalBytes, 80 * GiB);
    assert.equal(resolveGpu('79.15GiB')?.name, 'custom');
  });
  it('rejects what it does not know rather than guessing', () => {
    for (const s of ['TPUv9', '', 'gpu', 'NVIDIA H100 NVL', 'skylake', '5', 'x'.repeat(500)])
      assert.equal(resolveGpu(s), undefined, s);
  });
  it('has the totals PyTorch reports (H100 and H200 measured on the device machine) and bf16 support', () => {
    assert.equal(resolveGpu('H100-80GB')!.totalBytes, Math.round(79.18 * GiB));
    assert.ok(Math.abs(resolveGpu('H200')!.totalBytes - 150109880320) < 0.01 * GiB);
    assert.equal(resolveGpu('T4')!.supportsBf16, false);
    assert.equal(resolveGpu('V100-16GB')!.supportsBf16, false);
    assert.equal(resolveGpu('L4')!.supportsBf16, true);
    for (const n of [
      'A100-40GB',
      'A100-80GB',
      'H100-80GB',
      'H200',
      'L4',
      'A10G',
      'L40S',
      'RTX4090',
      'RTX3090',
      'T4',
      'V100-32GB',
    ]) {
      assert.ok(
        GPU_CATALOG.some((g) => g.name === n),
        n,
      );
    }
  });
});

describe('vLLM versions', () => {
  it('parses release, post, rc and dev strings', () => {
    assert.deepEqual(parseVllmVersion('0.6.3'), { major: 0, minor: 6, patch: 3 });
    assert.deepEqual(parseVllmVersion('v0.6.3.post1'), { major: 0, minor: 6, patch: 3 });
    assert.deepEqual(parseVllmVersion('0.8'), { major: 0, minor: 8, patch: 0 });
    assert.deepEqual(parseVllmVersion('0.10.1rc2'), { major: 0, minor: 10, patch: 1 });
    assert.deepEqual(parseVllmVersion('0.8.5.dev169+g1234abc'), { major: 0, minor: 8, patch: 5 });
    assert.equal(parseVllmVersion('latest'), undefined);
    assert.equal(parseVllmVersion('0.x'), undefined);
  });
  it('orders versions and picks the engine: V1 from 0.8, VLLM_USE_V1=0 keeps V0 until 0.10', () => {
    assert.ok(compareVersions({ major: 0, minor: 10, patch: 0 }, { major: 0, minor: 9, patch: 2 }) > 0);
    assert.ok(compareVersions(LATEST_VLLM_VERSION, { major: 0, minor: 21, patch: 0 }) >= 0);
    const v = (s: string) => parseVllmVersion(s)!;
    assert.equal(engineFor(v('0.6.3')), 'V0');
    assert.equal(engineFor(v('0.8.0')), 'V1');
    assert.equal(engineFor(v('0.10.1'), { VLLM_USE_V1: '0' }), 'V0');
    assert.equal(engineFor(v('0.11.0'), { VLLM_USE_V1: '0' }), 'V1');
    assert.equal(engineFor(v('0.7.3'), { VLLM_USE_V1: '1' }), 'V1');
  });
});

describe('model catalog', () => {
  const skip = needsShared('reference', 'model-configs.json');
  it('holds every research record whose shape fields are present, with the same numbers', { skip }, () => {
    const shared = JSON.parse(
      fs.readFileSync(path.join(sharedRoot, 'reference', 'model-configs.json'), 'utf8'),
    ) as Record<string, unknown>[];
    for (const r of shared) {
      if (
        r.num_hidden_layers === null ||
        r.hidden_size === null ||
        r.vocab_size === null ||
        r.max_position_embeddings === null
      )
        continue;
      if (r.tie_word_embeddings === null) continue;
      const a = lookupArchitecture(String(r.hf_id));
      assert.ok(a, String(r.hf_id));
      assert.equal(a.numLayers, r.num_hidden_layers, String(r.hf_id));
      assert.equal(a.vocabSize, r.vocab_size, String(r.hf_id));
      assert.equal(a.numKeyValueHeads, r.num_key_value_heads, String(r.hf_id));
      if (r.params_computed_from_config) assert.equal(totalParams(a), r.params_computed_from_config, String(r.hf_id));
    }
    assert.ok(CATALOG_MODELS.length >= 65);
  });
  it('Qwen1.5: the shapes reproduce the published parameter totals', () => {
    const expect: [string, number][] = [
      ['Qwen/Qwen1.5-4B', 3.95e9],
      ['Qwen/Qwen1.5-1.8B', 1.84e9],
      ['Qwen/Qwen1.5-7B', 7.72e9],
      ['Qwen/Qwen1.5-14B', 14.17e9],
      ['Qwen/Qwen1.5-32B', 32.5e9],
      ['Qwen/Qwen1.5-72B', 72.3e9],
    ];
    for (const [id, p] of expect)
      assert.ok(
        Math.abs(totalParams(lookupArchitecture(id)!) / p - 1) < 0.01,
        `${id} ${totalParams(lookupArchitecture(id)!)}`,
      );
  });
  it('rows added from verbatim config copies reproduce the published parameter totals', () => {
    const expect: [string, number][] = [
      ['01-ai/Yi-1.5-34B', 34.4e9],
      ['01-ai/Yi-1.5-6B', 6.06e9],
      ['Qwen/Qwen2-72B', 72.7e9],
      ['Qwen/Qwen2-1.5B-Instruct', 1.54e9],
      ['mistralai/Mixtral-8x22B-v0.1', 140.6e9],
      ['microsoft/Phi-3-medium-4k-instruct', 14.0e9],
      ['microsoft/Phi-3.5-mini-instruct', 3.82e9],
      ['TinyLlama/TinyLlama-1.1B-Chat-v1.0', 1.1e9],
      ['internlm/internlm2_5-7b-chat', 7.74e9],
      ['deepseek-ai/DeepSeek-V2', 235.7e9],
      ['mistralai/Mistral-7B-v0.3', 7.25e9],
      ['Qwen/Qwen3-4B-Instruct-2507', 4.02e9],
    ];
    for (const [id, p] of expect)
      assert.ok(
        Math.abs(totalParams(lookupArchitecture(id)!) / p - 1) < 0.01,
        `${id} ${totalParams(lookupArchitecture(id)!)}`,
      );
    assert.equal(lookupArchitecture('meta-llama/Meta-Llama-3-70B-Instruct')!.maxPositionEmbeddings, 8192);
    assert.equal(lookupArchitecture('mistralai/Mistral-7B-Instruct-v0.3')!.slidingWindow, undefined);
  });
  it('looks ids up case-insensitively, with a trailing slash, a revision or a Hub URL', () => {
    for (const s of [
      'qwen/qwen1.5-4b',
      'Qwen/Qwen1.5-4B/',
      'Qwen/Qwen1.5-4B@main',
      'https://huggingface.co/Qwen/Qwen1.5-4B',
    ]) {
      assert.equal(lookupArchitecture(s)?.numLayers, 40, s);
    }
    assert.equal(lookupArchitecture('nobody/nothing-7b'), undefined);
  });
  it('variants share an architecture, and say when that is an assumption', () => {
    assert.equal(lookupArchitectureDetailed('meta-llama/Llama-3.1-8B-Instruct')!.assumptions.length, 0);
    assert.equal(lookupArchitecture('Qwen/Qwen2.5-7B-Instruct')!.maxPositionEmbeddings, 32768);
    const distill = lookupArchitectureDetailed('deepseek-ai/DeepSeek-R1-Distill-Llama-70B')!;
    assert.equal(distill.catalogId, 'meta-llama/Llama-3.3-70B-Instruct');
    assert.match(distill.assumptions.join(), /assumption/);
    assert.equal(lookupArchitectureDetailed('meta-llama/Llama-3.3-70B-Instruct')!.assumptions.length, 0);
    const repack = lookupArchitectureDetailed('RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic')!;
    assert.equal(repack.architecture.checkpointQuantization?.method, 'fp8');
    assert.match(repack.assumptions.join(' '), /copy of meta-llama\/Llama-3.3-70B-Instruct/);
    assert.equal(lookupArchitecture('google/gemma-2-9b-it')!.slidingWindow!.window, 4096);
  });
  it('checkpoints that ship quantized load quantized from the bare id (model-configs.json notes: quantization_config)', () => {
    // gpt-oss-20b: llm-d's empirical table logs 13.47 GiB of weights on an H100
    // (llm-d/llm-d-benchmark config_explorer/empirical-vllm-memory-results.md); bf16 would be ≈39 GiB.
    const oss = estimateVllmMemory({
      architecture: lookupArchitecture('openai/gpt-oss-20b')!,
      gpu: resolveGpu('H100-80GB')!,
      settings: {},
      workload: { outputTypes: [] },
      version: parseVllmVersion('0.10.0')!,
    });
    assert.ok(Math.abs(oss.weightsBytes / GiB / 13.47 - 1) < 0.02, `${oss.weightsBytes / GiB}`);
    assert.equal(lookupArchitecture('openai/gpt-oss-120b')!.checkpointQuantization?.method, 'mxfp4');
    // DeepSeek-V3 / R1: FP8 e4m3 weights, so 671 B parameters take ≈1 B each, not 2.
    const r1 = lookupArchitecture('deepseek-ai/DeepSeek-R1')!;
    assert.equal(r1.checkpointQuantization?.method, 'fp8');
    const e = estimateVllmMemory({
      architecture: r1,
      gpu: resolveGpu('H200')!,
      settings: { tensorParallelSize: 8 },
      workload: { outputTypes: [] },
      version: parseVllmVersion('0.10.0')!,
    });
    assert.ok(e.weightsBytes / GiB > 75 && e.weightsBytes / GiB < 82, `${e.weightsBytes / GiB} GiB per rank`);
  });
});

// Published totals of the rows added for the models evaluated in late 2026 (issue #16), from the
// model cards unless noted. `rounded`: the card gives only a rounded size (its name), so the check
// is the rounding interval when that is wider than 1 %.
const LATE_2026_PUBLISHED: [id: string, published: number, source: string, rounded?: number][] = [
  ['meta-llama/Llama-3.3-70B-Instruct', 70.6e9, 'Hugging Face safetensors count 70.6 B'],
  ['meta-llama/Llama-4-Scout-17B-16E-Instruct', 109e9, 'model card: 109 B total (vision encoder included)'],
  ['meta-llama/Llama-4-Maverick-17B-128E-Instruct', 400e9, 'model card: 400 B total'],
  ['Qwen/Qwen2.5-1.5B', 1.54e9, 'model card: 1.54 B'],
  ['Qwen/Qwen3-30B-A3B-Base', 30.5e9, 'model card: 30.5 B in total'],
  ['Qwen/Qwen3-30B-A3B-Thinking-2507', 30.5e9, 'model card: 30.5 B in total'],
  ['Qwen/Qwen3-30B-A3B-FP8', 30.5e9, 'model card: 30.5 B in total'],
  ['Qwen/Qwen3-235B-A22B-Thinking-2507', 235e9, 'model card: 235 B in total'],
  ['Qwen/Qwen3-235B-A22B-FP8', 235e9, 'model card: 235 B in total'],
  ['Qwen/Qwen3-32B-FP8', 32.8e9, 'model card: 32.8 B'],
  ['Qwen/Qwen3-Coder-480B-A35B-Instruct', 480e9, 'model card: 480 B in total'],
  ['Qwen/Qwen3-Next-80B-A3B-Thinking', 80e9, 'model card: 80 B in total'],
  ['Qwen/Qwen3.5-27B', 27e9, 'the release name (27B)', 1e9],
  ['Qwen/Qwen3.5-35B-A3B', 35e9, 'the release name (35B-A3B)', 1e9],
  ['Qwen/Qwen3.5-122B-A10B', 122e9, 'the release name (122B-A10B)', 1e9],
  ['Qwen/Qwen3.5-397B-A17B', 397e9, 'the release name (397B-A17B)', 1e9],
  ['Qwen/Qwen3.6-35B-A3B', 35e9, 'the release name (35B-A3B)', 1e9],
  ['deepseek-ai/DeepSeek-V3.1', 671e9, 'model card: 671 B total (MTP module excluded)'],
  ['deepseek-ai/DeepSeek-R1', 671e9, 'model card: 671 B total (MTP module excluded)'],
  ['deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', 32.8e9, 'Hugging Face safetensors count 32.8 B'],
  ['moonshotai/Kimi-K2-Instruct', 1026.5e9, 'Hugging Face safetensors count 1026.5 B (the card rounds to 1 T)'],
  ['MiniMaxAI/MiniMax-M2.5', 230e9, 'MiniMax-M2 card: 230 B total'],
  ['MiniMaxAI/MiniMax-M2.7', 230e9, 'MiniMax-M2 card: 230 B total'],
  ['zai-org/GLM-4.7', 355e9, 'GLM-4.5 card: 355 B total'],
  ['zai-org/GLM-4.7-Flash', 30e9, 'the release name (30B-A3B)', 1e9],
  ['microsoft/Phi-4-mini-instruct', 3.8e9, 'model card: 3.8 B'],
  ['mistralai/Mistral-Nemo-Base-2407', 12.2e9, 'Hugging Face safetensors count 12.2 B'],
  ['mistralai/Mistral-Small-3.1-24B-Instruct-2503', 24e9, 'model card: 24 B (vision encoder included)', 1e9],
  ['mistralai/Mistral-Small-24B-Instruct-2501', 23.6e9, 'Hugging Face safetensors count 23.6 B'],
  ['mistralai/Mistral-Large-Instruct-2407', 123e9, 'model card: 123 B'],
  ['mistralai/Ministral-8B-Instruct-2410', 8.02e9, 'Hugging Face safetensors count 8.02 B'],
  ['microsoft/Phi-3.5-MoE-instruct', 41.9e9, 'Hugging Face safetensors count 41.9 B'],
  ['THUDM/glm-4-9b-chat', 9.4e9, 'Hugging Face safetensors count 9.4 B'],
];

describe('late-2026 catalog (issue #16)', () => {
  it('every added row reproduces its published parameter total within 1 % (or the rounding of a size given only by name)', () => {
    for (const [id, published, source, rounded] of LATE_2026_PUBLISHED) {
      const a = lookupArchitecture(id);
      assert.ok(a, id);
      const p = totalParams(a);
      const tolerance = Math.max(0.01 * published, rounded ? rounded / 2 : 0);
      assert.ok(Math.abs(p - published) <= tolerance, `${id}: ${(p / 1e9).toFixed(3)} B from the shapes vs ${source}`);
    }
  });
  it('rows of architectures with no formula resolve, carry the reason, and are the only ones that do', () => {
    const notModelled = CATALOG_MODELS.filter((a) => lookupArchitecture(a.id)!.notModelled).map((a) => a.id);
    assert.deepEqual(
      notModelled.sort(),
      [
        'deepseek-ai/DeepSeek-V3.2',
        'deepseek-ai/DeepSeek-V4-Flash',
        'deepseek-ai/DeepSeek-V4-Pro',
        'google/gemma-3n-E2B',
        'google/gemma-3n-E4B',
        'google/gemma-4-26B-A4B',
        'MiniMaxAI/MiniMax-M3',
        'zai-org/GLM-5',
      ].sort(),
    );
  });
  it('rows without an exact count reach it from the shapes, not from a stored number', () => {
    for (const id of ['Qwen/Qwen3-Coder-480B-A35B-Instruct', 'moonshotai/Kimi-K2-Instruct', 'zai-org/GLM-4.7']) {
      assert.equal(lookupArchitecture(id)!.params, undefined, id);
    }
  });
  it('releases that ship quantized carry their quantization_config', () => {
    const q = (id: string) => lookupArchitecture(id)!.checkpointQuantization;
    for (const id of [
      'Qwen/Qwen3-32B-FP8',
      'Qwen/Qwen3-30B-A3B-FP8',
      'Qwen/Qwen3-235B-A22B-FP8',
      'deepseek-ai/DeepSeek-V3.1',
      'deepseek-ai/DeepSeek-R1-0528',
      'moonshotai/Kimi-K2-Instruct',
      'MiniMaxAI/MiniMax-M2.5',
    ])
      assert.equal(q(id)?.method, 'fp8', id);
    const thinking = q('moonshotai/Kimi-K2-Thinking')!;
    assert.deepEqual([thinking.method, thinking.bits, thinking.groupSize], ['compressed-tensors', 4, 32]);
    assert.equal(thinking.unquantizedModules?.match, 'exact-or-regex');
    assert.equal(q('openai/gpt-oss-120b')?.method, 'mxfp4');
    for (const id of ['Qwen/Qwen3-8B', 'meta-llama/Llama-4-Scout-17B-16E-Instruct', 'Qwen/Qwen3.5-27B'])
      assert.equal(q(id), undefined, id);
    // Quantized repacks by name: the base row's shapes with the repack's method.
    for (const [id, method, base] of [
      ['meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8', 'fp8', 'meta-llama/Llama-4-Maverick-17B-128E-Instruct'],
      ['zai-org/GLM-4.7-FP8', 'fp8', 'zai-org/GLM-4.7'],
      ['Qwen/Qwen3-235B-A22B-Instruct-2507-FP8', 'fp8', 'Qwen/Qwen3-235B-A22B-Thinking-2507'],
      ['Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4', 'gptq', 'Qwen/Qwen2.5-72B'],
      ['Qwen/Qwen2.5-7B-Instruct-AWQ', 'awq', 'Qwen/Qwen2.5-7B'],
      ['hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', 'awq', 'meta-llama/Llama-3.1-8B'],
      ['RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w4a16', 'gptq', 'meta-llama/Llama-3.1-8B'],
      ['RedHatAI/Meta-Llama-3.1-70B-Instruct-quantized.w8a8', 'int8', 'meta-llama/Llama-3.1-70B'],
    ]) {
      const found = lookupArchitectureDetailed(id);
      assert.equal(found?.architecture.checkpointQuantization?.method, method, id);
      assert.equal(found?.catalogId, base, id);
    }
  });
  it('instruct, -it, -Chat and -Base names and the family releases resolve to their row', () => {
    const cases: [alias: string, catalogId: string, verified: boolean][] = [
      ['meta-llama/Meta-Llama-3.1-405B-Instruct', 'meta-llama/Llama-3.1-405B', true],
      ['meta-llama/Llama-3.2-3B-Instruct', 'meta-llama/Llama-3.2-3B', true],
      ['meta-llama/Llama-4-Scout-17B-16E', 'meta-llama/Llama-4-Scout-17B-16E-Instruct', false],
      ['Qwen/Qwen2.5-1.5B-Instruct', 'Qwen/Qwen2.5-1.5B', false],
      ['Qwen/Qwen2.5-Coder-7B-Instruct', 'Qwen/Qwen2.5-7B', false],
      ['Qwen/Qwen2.5-Coder-32B', 'Qwen/Qwen2.5-32B', false],
      ['Qwen/Qwen2.5-Math-1.5B-Instruct', 'Qwen/Qwen2.5-1.5B', false],
      ['Qwen/Qwen3-8B-Base', 'Qwen/Qwen3-8B', false],
      ['Qwen/Qwen3-4B-Thinking-2507', 'Qwen/Qwen3-4B-Instruct-2507', false],
      ['Qwen/Qwen3-30B-A3B-Instruct-2507', 'Qwen/Qwen3-30B-A3B-Thinking-2507', false],
      ['Qwen/Qwen3-Coder-30B-A3B-Instruct', 'Qwen/Qwen3-30B-A3B-Thinking-2507', false],
      ['Qwen/Qwen3-Next-80B-A3B-Instruct', 'Qwen/Qwen3-Next-80B-A3B-Thinking', false],
      ['Qwen/Qwen1.5-7B-Chat', 'Qwen/Qwen1.5-7B', true],
      ['google/gemma-2-9b-it', 'google/gemma-2-9b', true],
      ['google/gemma-3-27b-it', 'google/gemma-3-27b-pt', true],
      ['deepseek-ai/DeepSeek-V3-Base', 'deepseek-ai/DeepSeek-V3', true],
      ['deepseek-ai/DeepSeek-V2-Lite-Chat', 'deepseek-ai/DeepSeek-V2-Lite', true],
      ['deepseek-ai/DeepSeek-R1-0528', 'deepseek-ai/DeepSeek-R1', false],
      ['deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B', 'Qwen/Qwen2.5-1.5B', false],
      ['mistralai/Mistral-Nemo-Instruct-2407', 'mistralai/Mistral-Nemo-Base-2407', false],
      ['mistralai/Mixtral-8x7B-Instruct-v0.1', 'mistralai/Mixtral-8x7B-v0.1', true],
      ['microsoft/Phi-4-mini-reasoning', 'microsoft/Phi-4-mini-instruct', false],
      ['moonshotai/Kimi-K2-Instruct-0905', 'moonshotai/Kimi-K2-Instruct', false],
      ['moonshotai/Kimi-K2-Thinking', 'moonshotai/Kimi-K2-Instruct', false],
      ['MiniMaxAI/MiniMax-M2', 'MiniMaxAI/MiniMax-M2.5', false],
      ['zai-org/GLM-4.6', 'zai-org/GLM-4.7', false],
      ['zai-org/GLM-4.5', 'zai-org/GLM-4.7', false],
      // Another org's copy, or the bare name: resolved with the copy named as an assumption.
      ['unsloth/Qwen3-30B-A3B-Instruct-2507', 'Qwen/Qwen3-30B-A3B-Thinking-2507', false],
      ['Llama-3.3-70B-Instruct', 'meta-llama/Llama-3.3-70B-Instruct', false],
    ];
    for (const [alias, catalogId, verified] of cases) {
      const found = lookupArchitectureDetailed(alias);
      assert.equal(found?.catalogId, catalogId, alias);
      assert.equal(found.assumptions.length === 0, verified, `${alias}: ${found.assumptions.join('; ')}`);
    }
    assert.equal(lookupArchitecture('Qwen/Qwen2.5-Coder-7B-Instruct')!.maxPositionEmbeddings, 32768);
    assert.equal(lookupArchitecture('Qwen/Qwen2.5-Math-7B')!.maxPositionEmbeddings, 4096);
    assert.equal(lookupArchitecture('Qwen/Qwen3-8B-Base')!.maxPositionEmbeddings, 32768);
    assert.equal(lookupArchitecture('moonshotai/Kimi-K2-Instruct-0905')!.maxPositionEmbeddings, 262144);
    // The 1.5B distill unties the lm_head: Hugging Face counts 1.78 B parameters.
    const distill = totalParams(lookupArchitecture('deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B')!);
    assert.ok(Math.abs(distill / 1.78e9 - 1) < 0.01, `${distill}`);
  });
  it('docs/model-catalog.md lists every row and every name that shares one', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'model-catalog.md'), 'utf8');
    const missing = [...CATALOG_MODELS.map((a) => a.id), ...CATALOG_VARIANT_IDS].filter(
      (id) => !doc.includes(`\`${id}\``),
    );
    assert.deepEqual(missing, []);
    for (const t of NOT_MODELLED_MODEL_TYPES) assert.ok(doc.includes(`| \`${t}\` |`), `${t} in the not-modelled table`);
    for (const id of CATALOG_VARIANT_IDS) assert.ok(lookupArchitecture(id), `${id} resolves`);
  });
  it('hybrid rows keep a per-token KV cache only in their full-attention layers', () => {
    for (const [id, layers, kvLayers] of [
      ['Qwen/Qwen3-Next-80B-A3B-Thinking', 48, 12],
      ['Qwen/Qwen3.5-27B', 64, 16],
      ['Qwen/Qwen3.5-397B-A17B', 60, 15],
    ] as const) {
      const a = lookupArchitecture(id)!;
      assert.equal(a.numLayers, layers, id);
      assert.equal(a.kvCacheLayers, kvLayers, id);
      const e = estimateVllmMemory({
        architecture: a,
        gpu: resolveGpu('H200')!,
        settings: { tensorParallelSize: 8, maxModelLen: 32768 },
        workload: { outputTypes: [] },
        version: parseVllmVersion('0.11.0')!,
      });
      // bf16 K and V for the attention layers only, split over 8 ranks (KV heads replicated when fewer).
      const perRankHeads = Math.max(1, a.numKeyValueHeads / 8);
      assert.equal(e.kvBytesPerToken, kvLayers * 2 * perRankHeads * a.headDim * 2, id);
    }
  });
});

describe('MXFP4 experts as the MoE backend lays them out', () => {
  const weights = (id: string, gpu: GpuSpec, tp = 1, version = '0.11.0') =>
    estimateVllmMemory({
      architecture: lookupArchitecture(id)!,
      gpu,
      settings: { tensorParallelSize: tp },
      workload: { outputTypes: [] },
      version: parseVllmVersion(version)!,
    }).weightsBytes / GiB;
  it('Triton (Hopper from 0.11.1, when vLLM ships triton_kernels) matches llm-d’s H100 table', () => {
    // llm-d/llm-d-benchmark config_explorer/empirical-vllm-memory-results.md: 13.47 and 64.38 GiB.
    assert.ok(Math.abs(weights('openai/gpt-oss-20b', resolveGpu('H100-80GB')!, 1, '0.12.0') / 13.47 - 1) < 0.005);
    assert.ok(Math.abs(weights('openai/gpt-oss-120b', resolveGpu('H100-80GB')!, 1, '0.12.0') / 64.38 - 1) < 0.005);
    assert.equal(
      mxfp4ExpertLayout(9.0, parseVllmVersion('0.11.1')!).label,
      mxfp4ExpertLayout(9.0, parseVllmVersion('0.22.0')!).label,
    );
    assert.notEqual(
      mxfp4ExpertLayout(9.0, parseVllmVersion('0.11.0')!).label,
      mxfp4ExpertLayout(9.0, parseVllmVersion('0.11.1')!).label,
    );
  });
  it('Marlin (Ampere, Ada, Hopper before 0.11.1) matches the logs', () => {
    // vllm-project/vllm#23278: "Loading model weights took 65.9651 GiB" (gpt-oss-120b, H100, Marlin).
    assert.ok(Math.abs(weights('openai/gpt-oss-120b', resolveGpu('H100-80GB')!) / 65.9651 - 1) < 0.005);
    // myoceane.fr blog, vLLM 0.19 on an A100: 13.72 GiB for gpt-oss-20b.
    assert.ok(Math.abs(weights('openai/gpt-oss-20b', resolveGpu('A100-80GB')!) / 13.72 - 1) < 0.01);
  });
  it('pads the per-rank intermediate size and the hidden size (TP = 2 Marlin: 1440 → 1536, 2880 → 3072)', () => {
    const a = lookupArchitecture('openai/gpt-oss-120b')!;
    const cost = quantizedWeightCost({ method: 'mxfp4' })!;
    const w = (tp: number, expertLayout: ExpertLayout) =>
      weightsBytesPerRank(a, {
        dtypeBytes: 2,
        quantization: cost,
        tensorParallelSize: tp,
        pipelineParallelSize: 1,
        expertLayout,
      });
    const none: ExpertLayout = { intermediateMultiple: 1, hiddenMultiple: 1, label: 'none' };
    const expertBytes = a.numLayers * layerParams(a).mlpMoe * cost.bytesPerParam;
    const marlin = mxfp4ExpertLayout(9.0, parseVllmVersion('0.10.1')!);
    assert.ok(Math.abs(w(2, marlin) - w(2, none) - (expertBytes / 2) * ((1536 * 3072) / (1440 * 2880) - 1)) < 1e3);
    assert.ok(Math.abs(w(1, marlin) - w(1, none) - expertBytes * ((2944 * 3072) / (2880 * 2880) - 1)) < 1e3);
    // Blackwell with FlashInfer: both to 256.
    assert.ok(
      Math.abs(
        w(1, mxfp4ExpertLayout(10.0, parseVllmVersion('0.11.0')!)) -
          w(1, none) -
          expertBytes * ((3072 * 3072) / (2880 * 2880) - 1),
      ) < 1e3,
    );
    // Ampere and unknown GPUs: Marlin in every version.
    const pads = (l: ExpertLayout) => [l.intermediateMultiple, l.hiddenMultiple];
    assert.deepEqual(pads(mxfp4ExpertLayout(undefined, parseVllmVersion('0.22.0')!)), pads(marlin));
    assert.deepEqual(pads(mxfp4ExpertLayout(8.0, parseVllmVersion('0.22.0')!)), pads(marlin));
  });
});

describe('quantization', () => {
  it('bytes per parameter', () => {
    const b = (s: string) => quantizedWeightCost(quantizationFromName(s)!)!.bytesPerParam;
    assert.ok(Math.abs(b('awq') - 0.52) < 0.005);
    assert.ok(Math.abs(b('gptq') - 0.52) < 0.005);
    assert.ok(Math.abs(b('fp8') - 1) < 0.01);
    assert.ok(Math.abs(b('bitsandbytes') - 0.516) < 0.001);
    assert.equal(b('Q8_0'), 8.5 / 8);
    assert.equal(quantizedWeightCost(quantizationFromName('mxfp4')!)!.expertsOnly, true);
    assert.equal(quantizationFromName('none'), undefined);
  });
  it('reads quantization_config', () => {
    assert.deepEqual(quantizationFromConfig({ quant_method: 'gptq', bits: 8, group_size: 64 }), {
      method: 'gptq',
      bits: 8,
      groupSize: 64,
    });
    assert.equal(quantizationFromConfig({ load_in_4bit: true, bnb_4bit_use_double_quant: false })!.groupSize, 0);
    assert.equal(
      quantizationFromConfig({
        quant_method: 'compressed-tensors',
        config_groups: { g: { weights: { num_bits: 4, group_size: 128 } } },
      })!.bits,
      4,
    );
    assert.equal(quantizationFromConfig('nope'), undefined);
  });
});
