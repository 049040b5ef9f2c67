import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSbatchGpu } from '../../../server/src/parse/sbatch';

describe('parseSbatchGpu', () => {
  it('reads --gres, --gpus and --constraint', () => {
    assert.deepEqual(parseSbatchGpu('#SBATCH --gres=gpu:a100:4\n'), { type: 'a100', count: 4, constraints: [] });
    assert.deepEqual(parseSbatchGpu('#SBATCH --gres=gpu:2\n'), { count: 2, constraints: [] });
    assert.deepEqual(parseSbatchGpu('#SBATCH --gpus=h100:8\n'), { type: 'h100', count: 8, constraints: [] });
    assert.deepEqual(parseSbatchGpu('#SBATCH --gpus-per-node=4\n#SBATCH --constraint=h100\n'), {
      count: 4,
      constraints: ['h100'],
    });
    assert.deepEqual(parseSbatchGpu('#SBATCH --constraint="a100&ib"\n'), { constraints: ['a100', 'ib'] });
    assert.deepEqual(parseSbatchGpu('# SBATCH --gres=gpu:a100:4\n'), { constraints: [] });
  });
});
