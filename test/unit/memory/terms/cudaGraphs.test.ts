// CUDA-graph capture sizes and where the pool sits (terms/cudaGraphs.ts), by version.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v } from '../helpers';
import { cudaGraphCaptureSizes, cudaGraphInsideBudget } from '../../../../server/src/memory/terms/cudaGraphs';

describe('CUDA graphs', () => {
  it('capture sizes: V0 35 graphs at max_num_seqs 256; V1 ≥ 0.11.1 51 up to 512; none with enforce_eager', () => {
    assert.equal(cudaGraphCaptureSizes('V0', v('0.6.3'), 256, 8192, false).length, 35);
    assert.equal(cudaGraphCaptureSizes('V1', v('0.9.0'), 1024, 8192, false).length, 67);
    assert.equal(Math.max(...cudaGraphCaptureSizes('V1', v('0.10.0'), 128, 8192, false)), 256);
    const latest = cudaGraphCaptureSizes('V1', v('0.14.0'), 1024, 16384, false);
    assert.equal(latest.length, 51);
    assert.equal(Math.max(...latest), 512);
    assert.deepEqual(cudaGraphCaptureSizes('V1', v('0.14.0'), 1024, 16384, true), []);
  });
  it('graphs move inside the budget from 0.21 (or with VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS)', () => {
    assert.equal(cudaGraphInsideBudget('V1', v('0.20.0'), undefined), false);
    assert.equal(cudaGraphInsideBudget('V1', v('0.21.0'), undefined), true);
    assert.equal(cudaGraphInsideBudget('V1', v('0.21.0'), false), false);
    assert.equal(cudaGraphInsideBudget('V0', v('0.10.0'), true), false);
  });
});
