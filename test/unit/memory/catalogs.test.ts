// GPU catalog, versions, the model catalog and quantization sizes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  CATALOG_MODELS,
  layerParams,
  lookupArchitecture,
  lookupArchitectureDetailed,
  totalParams,
} from '../../../server/src/memory/architectures';
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
import { sharedRoot } from '../../helpers/paths';
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
  const shared = JSON.parse(
    fs.readFileSync(path.join(sharedRoot, 'reference', 'model-configs.json'), 'utf8'),
  ) as Record<string, unknown>[];
  it('holds every research record whose shape fields are present, with the same numbers', () => {
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
    const l33 = lookupArchitectureDetailed('meta-llama/Llama-3.3-70B-Instruct')!;
    assert.equal(l33.catalogId, 'meta-llama/Llama-3.1-70B');
    assert.match(l33.assumptions.join(), /assumption/);
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
