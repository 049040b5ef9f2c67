import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDirectives } from '../../../server/src/parse/directives';
import { DEFAULT_GPU_UNCERTAIN, resolveGpuFacts } from '../../../server/src/facts/gpu';
import { rocmSign } from '../../../server/src/facts/platform';
import type { VersionEvidence } from '../../../server/src/facts/providers';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { testContext } from '../../helpers/context';
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

  it('a name with two memory sizes says which one is assumed (QA D8)', () => {
    const none = normalizeSettings({});
    const facts = (text: string) => resolveGpuFacts(text, inv(), parseDirectives(text), none, undefined);
    const a100 = facts('#SBATCH --gres=gpu:a100:2\n');
    assert.equal(a100.spec.name, 'A100-80GB');
    assert.deepEqual(a100.notes, [
      '`a100` in #SBATCH may be the A100-40GB or the A100-80GB: the A100-80GB is assumed. Name the size to be sure (`# lm-eval-lens: gpu=A100-40GB`).',
    ]);
    assert.deepEqual(
      a100.smallerVariants?.map((g) => g.name),
      ['A100-40GB'],
    );
    assert.equal(a100.uncertain, undefined); // what fails on 80 GB fails on 40 GB too
    const v100 = facts('# lm-eval-lens: gpu=v100\n');
    assert.equal(v100.spec.name, 'V100-16GB');
    assert.equal(v100.uncertain, '`v100` may be the V100-32GB');
    assert.equal(v100.smallerVariants, undefined);
    for (const named of [
      '#SBATCH --gres=gpu:a100_80gb:1\n',
      '# lm-eval-lens: gpu=A100-40GB\n',
      '#SBATCH --gpus=h100:4\n',
    ])
      assert.equal(facts(named).notes, undefined, named);
  });

  it('nothing names the GPU: the default is uncertain; any named source is not (QA3 F2)', () => {
    const none = normalizeSettings({});
    const fallback = resolveGpuFacts('', inv(), parseDirectives(''), none, undefined);
    assert.equal(fallback.source, 'default');
    assert.equal(fallback.spec.name, 'A100-80GB');
    assert.equal(fallback.uncertain, DEFAULT_GPU_UNCERTAIN);
    assert.match(DEFAULT_GPU_UNCERTAIN, /lmEvalLens\.gpu.*\.lm-eval-lens\.json.*# lm-eval-lens: gpu=/);
    const named: [string, ReturnType<typeof resolveGpuFacts>][] = [
      ['directive', resolveGpuFacts('', inv(), parseDirectives('# lm-eval-lens: gpu=A100-80GB\n'), none, undefined)],
      ['sbatch', resolveGpuFacts('#SBATCH --gres=gpu:h100:1\n', inv(), parseDirectives(''), none, undefined)],
      ['settings', resolveGpuFacts('', inv(), parseDirectives(''), normalizeSettings({ gpu: 'A100-80GB' }), undefined)],
      ['config-file', resolveGpuFacts('', inv(), parseDirectives(''), none, undefined, { gpu: 'A100-80GB' })],
      [
        'nvidia-smi',
        resolveGpuFacts('', inv(), parseDirectives(''), none, [
          { index: 0, name: 'NVIDIA A100-SXM4-80GB', totalBytes: 80 * GiB, freeBytes: 79 * GiB },
        ]),
      ],
    ];
    for (const [source, facts] of named) {
      assert.equal(facts.source, source);
      assert.equal(facts.uncertain, undefined, source);
    }
    // Only the count named (CUDA_VISIBLE_DEVICES): the GPU itself is still the default.
    assert.equal(
      resolveGpuFacts('', inv('0,1'), parseDirectives(''), none, undefined).uncertain,
      DEFAULT_GPU_UNCERTAIN,
    );
  });

  it('a ROCm launch that names no GPU: unknown, the fallback only stands in (QA D10)', () => {
    const none = normalizeSettings({});
    const rocm = resolveGpuFacts('', inv(), parseDirectives(''), none, undefined, undefined, 'VLLM_ROCM_USE_AITER');
    assert.equal(rocm.source, 'default');
    assert.equal(rocm.uncertain, 'the GPU of this ROCm launch is not known');
    assert.match(rocm.notes?.[0] ?? '', /targets AMD GPUs through ROCm \(VLLM_ROCM_USE_AITER\).*stands in/);
    const named = resolveGpuFacts(
      '',
      inv(),
      parseDirectives(''),
      normalizeSettings({ gpu: 'H100' }),
      undefined,
      undefined,
      'HIP_VISIBLE_DEVICES',
    );
    assert.equal(named.uncertain, undefined);
  });
});

describe('rocmSign', () => {
  it("the launch's own environment and words, not the rest of the file", () => {
    assert.equal(rocmSign({ VLLM_ROCM_USE_AITER: '1' }, 'vllm serve m'), 'VLLM_ROCM_USE_AITER');
    assert.equal(rocmSign({ HIP_VISIBLE_DEVICES: '0,1' }, ''), 'HIP_VISIBLE_DEVICES');
    assert.equal(
      rocmSign({}, 'docker run --device=/dev/kfd --device=/dev/dri rocm/vllm:latest --model m'),
      '--device=/dev/kfd',
    );
    assert.equal(rocmSign({}, 'docker run --gpus all vllm/vllm-openai-rocm:v0.8.5 --model m'), 'vllm-openai-rocm');
    assert.equal(rocmSign({ CUDA_VISIBLE_DEVICES: '0', VLLM_USE_V1: '1' }, 'vllm serve m --device cuda'), undefined);
  });
});

describe('a ROCm image the release comes from (QA N7)', () => {
  it('a Dockerfile FROM rocm/vllm beside the script makes the launch a ROCm one', () => {
    const image: VersionEvidence = {
      package: 'vllm',
      kind: 'container-image',
      file: '/w/amd/Dockerfile',
      line: 2,
      spec: '0.11.1',
      dialect: 'exact',
      written: 'docker.io/rocm/vllm:rocm7.0.0_vllm_0.11.1_20251103',
    };
    const ctx = testContext();
    ctx.providers = { ...ctx.providers, projectFacts: () => ({ evidence: [image] }) };
    const launch = (text: string) => analyzeDocument({ path: '/w/amd/start.sh', text }, ctx).launches[0]?.gpu;
    const gpu = launch('vllm serve Qwen/Qwen2.5-7B-Instruct\n');
    assert.equal(gpu?.uncertain, 'the GPU of this ROCm launch is not known');
    assert.match(gpu?.notes?.[0] ?? '', /through ROCm \(the image docker\.io\/rocm\/vllm:rocm7\.0\.0_vllm_0\.11\.1/);
    // An NVIDIA image there says nothing of the platform: only that no GPU is named.
    ctx.providers = {
      ...ctx.providers,
      projectFacts: () => ({ evidence: [{ ...image, written: 'vllm/vllm-openai:v0.11.1' }] }),
    };
    const nvidia = launch('vllm serve Qwen/Qwen2.5-7B-Instruct\n');
    assert.equal(nvidia?.uncertain, DEFAULT_GPU_UNCERTAIN);
    assert.equal(nvidia?.notes, undefined);
  });
});
