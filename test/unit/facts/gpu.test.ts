import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDirectives } from '../../../server/src/parse/directives';
import { resolveGpuFacts } from '../../../server/src/facts/gpu';
import type { LmEvalInvocation } from '../../../server/src/parse/types';
import { normalizeSettings } from '../../../server/src/shared/settings';
import { GiB } from '../../../server/src/shared/units';

const inv = (cvd?: string): LmEvalInvocation => ({
  embedding: 'shell',
  range: { start: 0, end: 0 },
  env: cvd === undefined ? {} : { CUDA_VISIBLE_DEVICES: { value: cvd, range: { start: 0, end: 0 } } },
});

describe('resolveGpuFacts', () => {
  const settings = normalizeSettings({ gpu: 'L4', gpuCount: 3 });
  it('prefers the directive, then #SBATCH, then settings', () => {
    const text = '#SBATCH --gres=gpu:h100:2\n# lm-eval-lens: gpu=A10G\n';
    const d = resolveGpuFacts(text, inv(), parseDirectives(text), settings, undefined);
    assert.equal(d.source, 'directive');
    assert.equal(d.spec.name, 'A10G');
    assert.equal(d.count, 2);
    assert.equal(d.countSource, 'sbatch');
    const s = resolveGpuFacts('#SBATCH --gres=gpu:h100:2\n', inv(), parseDirectives(''), settings, undefined);
    assert.equal(s.source, 'sbatch');
    assert.match(s.spec.name, /H100/);
    const fromSettings = resolveGpuFacts('', inv('0,1'), parseDirectives(''), settings, undefined);
    assert.equal(fromSettings.source, 'settings');
    assert.equal(fromSettings.count, 2);
    assert.equal(fromSettings.countSource, 'CUDA_VISIBLE_DEVICES');
  });

  it('takes the GPU type from --gres over --constraint, else the first catalog GPU among the features', () => {
    const none = normalizeSettings({});
    const facts = (text: string) => resolveGpuFacts(text, inv(), parseDirectives(''), none, undefined);
    const constrained = facts('#SBATCH --gpus-per-node=4\n#SBATCH --constraint=ib&h100\n');
    assert.equal(constrained.source, 'sbatch');
    assert.match(constrained.spec.name, /H100/);
    assert.equal(constrained.count, 4);
    const gres = facts('#SBATCH --constraint=h100\n#SBATCH --gres=gpu:l4:1\n');
    assert.equal(gres.spec.name, 'L4');
    const noGpuFeature = facts('#SBATCH --constraint=ib\n');
    assert.equal(noGpuFeature.source, 'default');
    const short = facts('#SBATCH -N 1 -G h100:8\n');
    assert.match(short.spec.name, /H100/);
    assert.equal(short.count, 8);
    assert.equal(facts('#SBATCH -G 2\n').count, 2);
  });

  it('takes the config file after the settings', () => {
    const fromConfig = resolveGpuFacts('', inv(), parseDirectives(''), normalizeSettings({}), undefined, {
      gpu: 'H200',
      gpuCount: 2,
    });
    assert.deepEqual(
      [fromConfig.spec.name, fromConfig.source, fromConfig.count, fromConfig.countSource],
      ['H200', 'config-file', 2, 'config-file'],
    );
    const settingsWin = resolveGpuFacts('', inv(), parseDirectives(''), normalizeSettings({ gpu: 'L4' }), undefined, {
      gpu: 'H200',
    });
    assert.equal(settingsWin.spec.name, 'L4');
  });

  it('uses nvidia-smi with what other processes hold, and falls back to A100-80GB', () => {
    const none = normalizeSettings({});
    const detected = [
      { index: 0, name: 'NVIDIA A100-SXM4-80GB', totalBytes: 81920 * 2 ** 20, freeBytes: 41920 * 2 ** 20 },
    ];
    const f = resolveGpuFacts('', inv(), parseDirectives(''), none, detected);
    assert.equal(f.source, 'nvidia-smi');
    assert.equal(f.count, 1);
    assert.ok(f.spec.freeBytes! < f.spec.totalBytes - 38 * GiB && f.spec.freeBytes! > f.spec.totalBytes - 40 * GiB);
    const fallback = resolveGpuFacts('', inv(), parseDirectives(''), none, undefined);
    assert.equal(fallback.source, 'default');
    assert.equal(fallback.spec.name, 'A100-80GB');
  });

  it('remembers a name it does not know', () => {
    const f = resolveGpuFacts(
      '# lm-eval-lens: gpu=TPUv5',
      inv(),
      parseDirectives('# lm-eval-lens: gpu=TPUv5'),
      normalizeSettings({}),
      undefined,
    );
    assert.equal(f.unknownName, 'TPUv5');
    assert.equal(f.source, 'default');
  });
});
