// Non-torch memory by topology and the CUDA context (terms/nonTorch.ts), from the logged figures
// its comment cites.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nonTorchBytes, nonTorchUnmodelled } from '../../../../server/src/memory/terms/nonTorch';
import { GiB, near, v } from '../helpers';

const t = (engine: 'V0' | 'V1', version: string, tp: number, pp = 1, cc?: number) => ({
  engine,
  version: v(version),
  tensorParallelSize: tp,
  pipelineParallelSize: pp,
  computeCapability: cc,
});

describe('nonTorchBytes', () => {
  it('one GPU: V1 0.13 GiB (llm-d H100), V0 0.25 GiB', () => {
    near(nonTorchBytes(t('V1', '0.11.0', 1, 1, 9)) / GiB, 0.13, 1e-9);
    near(nonTorchBytes(t('V0', '0.6.6', 1)) / GiB, 0.25, 1e-9);
  });
  it('TP on Hopper from 0.11 (symmetric-memory all-reduce, #24111) 0.55 GiB; on Ampere/Ada or before 0.11 0.35 GiB', () => {
    near(nonTorchBytes(t('V1', '0.11.0', 2, 1, 9)) / GiB, 0.55, 1e-9);
    near(nonTorchBytes(t('V1', '0.11.0', 2, 1, 8)) / GiB, 0.35, 1e-9);
    near(nonTorchBytes(t('V1', '0.10.0', 2, 1, 9)) / GiB, 0.35, 1e-9);
    near(nonTorchBytes(t('V0', '0.6.6', 2, 1, 8.9)) / GiB, 0.35, 1e-9);
  });
  it('says what it does not model: ranks on other nodes, non-driver pipeline ranks', () => {
    assert.equal(nonTorchUnmodelled(t('V1', '0.11.0', 8, 1, 9)), undefined);
    assert.match(nonTorchUnmodelled(t('V1', '0.11.0', 8, 2, 9))!, /more than one node/);
    assert.match(nonTorchUnmodelled(t('V1', '0.11.0', 1, 2, 9))!, /pipeline ranks/);
  });
});
