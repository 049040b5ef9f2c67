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
        [2, true, '`vllm-version` = "banana" is not a version (e.g. "0.6.3")'],
        [3, false, 'unknown key `colour`'],
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
  it('a problem names its line, not its file (the CLI and the editor print the file once)', () => {
    // the whole object on the first line
    assert.deepEqual(
      parseConfigJson('{"gpu": "Z100", "overrides": [{"files": ["a/*"], "gpu-count": 0}]}').problems.map((p) => [
        p.line,
        p.message,
      ]),
      [
        [1, '`gpu` = "Z100" is not a GPU in the catalog (e.g. A100-80GB, H100-80GB, L4) nor a size such as 79.15GiB'],
        [1, 'overrides[0]: `gpu-count` must be a positive integer, got 0'],
      ],
    );
    // an override's key is found in the override, not at the top
    const nested = parseConfigJson(
      '{\n  "gpu": "L4",\n  "overrides": [\n    {"files": ["a/*"],\n     "gpu": "Z100"}\n  ]\n}\n',
    );
    assert.deepEqual(
      nested.problems.map((p) => p.line),
      [5],
    );
    // invalid JSON: the line of the position JSON.parse names; at the end of input, the last line
    const bad = parseConfigJson('{\n  "gpu": "L4",\n  "disable": ["a"\n  "vllm-version": "0.6.3"\n}\n');
    assert.equal(bad.problems[0].line, 4);
    assert.match(bad.problems[0].message, /^not valid JSON: /);
    assert.equal(parseConfigJson('{\n  "gpu": "L4",\n').problems[0].line, 2);
    // invalid TOML: the line smol-toml names; the table's keys are looked for in the table
    const toml = parsePyprojectConfig('[project]\nname = "x"\n\n[tool.lm-eval-lens]\ngpu = \n')!;
    assert.equal(toml.problems[0].line, 5);
    assert.match(toml.problems[0].message, /^not valid TOML: /);
    const keys = parsePyprojectConfig('[tool.other]\ngpu = 1\n[tool.lm-eval-lens]\ngpu = "Z100"\n')!;
    assert.deepEqual(
      keys.problems.map((p) => [p.line, p.message.slice(0, 28)]),
      [[4, '[tool.lm-eval-lens] `gpu` = ']],
    );
  });
  it('disable lists add up over the top level and every matching override', () => {
    const overrides = [
      { files: ['legacy/**'], disable: ['logprobs-spike'] },
      { files: ['**/run.sh'], disable: ['kv-cache-too-small'] },
    ];
    assert.deepEqual(configValuesFor({ overrides }, 'legacy/run.sh').disable, ['logprobs-spike', 'kv-cache-too-small']);
    assert.deepEqual(configValuesFor({ disable: ['float32-weights'], overrides }, 'legacy/run.sh').disable, [
      'float32-weights',
      'logprobs-spike',
      'kv-cache-too-small',
    ]);
    assert.deepEqual(configValuesFor({ disable: ['float32-weights'], overrides }, 'other/x.sh').disable, [
      'float32-weights',
    ]);
    assert.deepEqual(configValuesFor({ overrides }, 'other/run.sh').disable, ['kv-cache-too-small']);
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
    assert.equal(f[0].message, '.lm-eval-lens.json:2: `vllm-version` = "banana" is not a version (e.g. "0.6.3").');
  });
});
