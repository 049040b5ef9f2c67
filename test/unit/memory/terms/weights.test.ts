// Weights per rank (terms/weights.ts) against numbers computed by hand and logged by vLLM.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arch, GiB, near } from '../helpers';
import { ppPartition, vocabRowsPerRank, weightsBytesPerRank } from '../../../../server/src/memory/terms/weights';

describe('weightsBytesPerRank', () => {
  it('Qwen1.5-4B float32 ≈ 14.7 GiB (3.95 B params × 4 B)', () => {
    const w = weightsBytesPerRank(arch('Qwen/Qwen1.5-4B'), {
      dtypeBytes: 4,
      tensorParallelSize: 1,
      pipelineParallelSize: 1,
    });
    near(w / GiB, 14.72, 0.02, 'GiB');
  });
  it('Llama-3-8B bf16 = 14.96 GiB (vllm#10511 logged 14.96)', () => {
    near(
      weightsBytesPerRank(arch('meta-llama/Meta-Llama-3-8B'), {
        dtypeBytes: 2,
        tensorParallelSize: 1,
        pipelineParallelSize: 1,
      }) / GiB,
      14.96,
      0.01,
    );
  });
  it('TP splits linear layers and the vocab-parallel embedding; pads the vocab per partition to 64', () => {
    assert.equal(vocabRowsPerRank(50257, 1), 50304);
    assert.equal(vocabRowsPerRank(151936, 8), 18996 + 12); // ceil(151936/8)=18992 → 19008
    const a = arch('Qwen/Qwen3-32B');
    const one = weightsBytesPerRank(a, { dtypeBytes: 2, tensorParallelSize: 1, pipelineParallelSize: 1 });
    const two = weightsBytesPerRank(a, { dtypeBytes: 2, tensorParallelSize: 2, pipelineParallelSize: 1 });
    near(two / one, 0.5, 0.005, 'ratio');
  });
  it('AWQ int4 keeps embeddings and lm_head 16-bit: Qwen2.5-7B ≈ 5.1 GiB, not 3.5', () => {
    const a = arch('Qwen/Qwen2.5-7B');
    const w = weightsBytesPerRank(a, {
      dtypeBytes: 2,
      quantization: { bytesPerParam: 0.52, expertsOnly: false, label: '' },
      tensorParallelSize: 1,
      pipelineParallelSize: 1,
    });
    const embeddings = 2 * 152064 * 3584 * 2;
    near(w, embeddings + (7615616512 - 2 * 152064 * 3584) * 0.52, 1e6);
  });
  it('PP puts the embedding on the first stage and the lm_head on the last', () => {
    const a = arch('meta-llama/Meta-Llama-3-8B');
    const first = weightsBytesPerRank(a, {
      dtypeBytes: 2,
      tensorParallelSize: 1,
      pipelineParallelSize: 2,
      stage: 'first',
    });
    const last = weightsBytesPerRank(a, {
      dtypeBytes: 2,
      tensorParallelSize: 1,
      pipelineParallelSize: 2,
      stage: 'last',
    });
    near(first, last, 1, 'untied: both stages hold one vocab matrix');
    near(first + last, weightsBytesPerRank(a, { dtypeBytes: 2, tensorParallelSize: 1, pipelineParallelSize: 1 }), 1e6);
  });
});

describe('pipeline stages own their layers (get_pp_indices)', () => {
  it('splits num_layers // pp, the leftover to the stages before the last, from the second-to-last back', () => {
    assert.deepEqual(ppPartition(61, 2).layers, [31, 30]);
    assert.deepEqual(ppPartition(32, 3).layers, [11, 11, 10]);
    assert.deepEqual(ppPartition(62, 4).layers, [15, 16, 16, 15]);
    assert.deepEqual(ppPartition(32, 1).layers, [32]);
  });

  it('VLLM_PP_LAYER_PARTITION wins when vLLM accepts it (pp entries summing to the layers), else it says why', () => {
    assert.deepEqual(ppPartition(32, 2, [12, 20]).layers, [12, 20]);
    const bad = ppPartition(32, 2, [12, 12]);
    assert.deepEqual(bad.layers, [16, 16]);
    assert.match(bad.invalidOverride!, /raises ValueError/);
  });

  it("DeepSeek-V3 at PP2: the first stage's 3 dense layers make it lighter than an average split", () => {
    const a = arch('deepseek-ai/DeepSeek-V3');
    const o = { dtypeBytes: 1, tensorParallelSize: 8, pipelineParallelSize: 2 } as const;
    const first = weightsBytesPerRank(a, { ...o, stage: 'first', layerRange: [0, 31] });
    const last = weightsBytesPerRank(a, { ...o, stage: 'last', layerRange: [31, 61] });
    const whole = weightsBytesPerRank(a, { dtypeBytes: 1, tensorParallelSize: 8, pipelineParallelSize: 1 });
    near(first + last, whole, 1e6, 'the stages add up to the model');
    // Stage 0: embedding + 3 dense + 28 MoE layers; stage 1: 30 MoE layers + head.
    assert.ok(last > first, `${last} vs ${first}`);
  });
});
