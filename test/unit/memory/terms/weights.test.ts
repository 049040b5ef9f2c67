// Weights per rank (terms/weights.ts) against numbers computed by hand and logged by vLLM.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arch, GiB, near } from '../helpers';
import { vocabRowsPerRank, weightsBytesPerRank } from '../../../../server/src/memory/terms/weights';

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
