// The project's config file (.lm-eval-lens.json, [tool.lm-eval-lens]) as the CLI and the server read it.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';
import { projectFactsWalker } from '../../../server/src/node/projectFacts';
import { configValuesFor, parseConfigJson, parsePyprojectConfig } from '../../../server/src/project/configFile';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { fixture, readFixture } from '../../helpers/paths';
import { testContext, testProviders } from '../../helpers/context';

const root = fixture('projects');
const launch = 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B --tasks mmlu\n';

function analyzeIn(project: string, rel: string, text = launch, settings = {}) {
  const walker = projectFactsWalker({
    fs: nodeTaskFileSystem(),
    roots: [path.join(root, project)],
    env: () => undefined,
  });
  const ctx = testContext(settings);
  ctx.providers = { ...testProviders(), projectFacts: (f) => walker.factsFor(f) };
  return analyzeDocument({ path: path.join(root, project, rel), text }, ctx);
}

describe('config file parsing', () => {
  it('.lm-eval-lens.json: every key, kebab or camel case, with overrides', () => {
    const { config, problems } = parseConfigJson(readFixture('projects', 'config-json', '.lm-eval-lens.json'));
    assert.deepEqual(problems, []);
    assert.equal(config.gpu, 'H100-80GB');
    assert.equal(config.gpuCount, 2);
    assert.equal(config.vllmVersion, '0.5.4');
    assert.deepEqual(config.disable, ['logprobs-spike']);
    assert.deepEqual(configValuesFor(config, 'legacy/run.sh').harnessVersion, '0.4.2');
    assert.deepEqual(configValuesFor(config, 'run.sh').harnessVersion, '0.4.4');
    assert.deepEqual(parseConfigJson('{"vllmVersion": "0.6.3", "gpuCount": 4}').config.gpuCount, 4);
  });
  it('[tool.lm-eval-lens] in pyproject.toml; "4xA100-40GB" sets the count too', () => {
    const parsed = parsePyprojectConfig(readFixture('projects', 'config-pyproject', 'pyproject.toml'));
    assert.ok(parsed);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.config.gpu, 'A100-40GB');
    assert.equal(parsed.config.gpuCount, 4);
    assert.equal(configValuesFor(parsed.config, 'slurm/run.sh').gpu, 'H200');
    assert.equal(parsePyprojectConfig('[project]\nname = "x"\n'), undefined);
  });
  it('values that cannot be used and unknown keys are problems with their line', () => {
    const { problems } = parseConfigJson(readFixture('projects', 'config-bad', '.lm-eval-lens.json'));
    assert.deepEqual(
      problems.map((p) => [p.line, p.invalidValue, p.message]),
      [
        [2, true, '.lm-eval-lens.json: `vllm-version` = "banana" is not a version (e.g. "0.6.3")'],
        [3, false, '.lm-eval-lens.json: unknown key `colour`'],
      ],
    );
    const gpu = parseConfigJson('{"gpu": "H100X", "disable": ["no-such-code"], "overrides": [{"gpu": "L4"}]}');
    assert.deepEqual(
      gpu.problems.map((p) => p.invalidValue),
      [true, false, true],
    );
    assert.equal(parseConfigJson('{oops').problems[0].invalidValue, true);
    assert.match(parsePyprojectConfig('[tool.lm-eval-lens\ngpu=1')!.problems[0].message, /not valid TOML/);
  });
});

describe('config file in the language service', () => {
  it('its versions and GPU beat the project pins, and overrides apply per path', () => {
    const top = analyzeIn('config-json', 'run.sh').launches[0];
    assert.equal(top.vllm.source, 'config-file');
    assert.equal(top.vllm.label, 'vLLM 0.5.4 from .lm-eval-lens.json:4');
    assert.equal(top.gpu.spec.name, 'H100-80GB');
    assert.equal(top.gpu.source, 'config-file');
    assert.equal(top.gpu.count, 2);
    const legacy = analyzeIn('config-json', 'legacy/run.sh').launches[0];
    assert.equal(legacy.vllm.text, '0.4.3');
    assert.equal(legacy.harness.text, '0.4.2');
  });
  it('settings win over the config file', () => {
    const l = analyzeIn('config-json', 'run.sh', launch, { vllmVersion: '0.10.1', gpu: 'L4' }).launches[0];
    assert.equal(l.vllm.source, 'settings');
    assert.equal(l.gpu.spec.name, 'L4');
  });
  it('disable= codes are not reported; task globs classify YAML as task configs', () => {
    const withSpike = analyzeIn('empty', 'run.sh', launch, { gpu: 'L4' });
    assert.ok(
      withSpike.findings.some((f) => f.code === 'logprobs-spike'),
      'the fixture launch has a logprobs-spike',
    );
    const disabled = analyzeIn('config-json', 'run.sh', launch, { gpu: 'L4' });
    assert.ok(!disabled.findings.some((f) => f.code === 'logprobs-spike'));
    const prompt = analyzeIn('config-json', 'prompts/x.yaml', 'dataset_path: a\n');
    assert.equal(prompt.role, 'task-config');
    assert.equal(prompt.harness?.label, 'lm-eval 0.4.4 from .lm-eval-lens.json:5');
  });
  it('a config problem is shown in the documents it governs', () => {
    const a = analyzeIn('config-bad', 'run.sh');
    const f = a.findings.filter((x) => x.code === 'invalid-setting');
    assert.deepEqual(
      f.map((x) => x.severity),
      ['warning', 'info'],
    );
    assert.equal(f[0].related?.[0].file, path.join(root, 'config-bad', '.lm-eval-lens.json'));
  });
});
