// Where the vLLM and lm-eval versions come from, in precedence order, with each source's label.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ProjectFacts, VersionEvidence } from '../../../server/src/facts/providers';
import { resolveVersion, type VersionContext } from '../../../server/src/facts/versions';
import { LATEST_VLLM_VERSION } from '../../../server/src/memory/version';
import { LATEST_HARNESS_VERSION } from '../../../server/src/project/releases';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';
import { projectFactsWalker } from '../../../server/src/node/projectFacts';
import { parseDirectives } from '../../../server/src/parse/directives';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { fixture } from '../../helpers/paths';
import { testContext, testProviders } from '../../helpers/context';

const latest = `${LATEST_VLLM_VERSION.major}.${LATEST_VLLM_VERSION.minor}.${LATEST_VLLM_VERSION.patch}`;
const root = fixture('projects');

const pin = (kind: VersionEvidence['kind'], spec: string, file: string, line = 1): VersionEvidence => ({
  package: 'vllm',
  kind,
  file: path.join(root, file),
  line,
  spec,
  dialect: kind === 'project' ? 'pep440' : 'exact',
  written: kind === 'project' ? `vllm${spec}` : spec,
});

/** The walker over the fixture tree: each fixture folder is its own workspace root. */
function walkerFor(project: string, env: Record<string, string> = {}) {
  return projectFactsWalker({ fs: nodeTaskFileSystem(), roots: [path.join(root, project)], env: (n) => env[n] });
}

function contextFor(file: string, project: string, env: Record<string, string> = {}): VersionContext {
  return {
    file,
    project: walkerFor(project, env).factsFor(file),
    displayPath: (f) => path.relative(path.join(root, project), f).split(path.sep).join('/'),
  };
}

describe('resolveVersion: precedence', () => {
  const everything: ProjectFacts = {
    evidence: [
      pin('config-file', '0.5.4', '.lm-eval-lens.json', 3),
      pin('container-image', '0.8.5', 'docker-compose.yml', 3),
      pin('project', '==0.6.3', 'requirements.txt', 2),
      pin('installed', '0.7.3', '.venv/lib/python3.10/site-packages/vllm-0.7.3.dist-info/METADATA', 3),
    ],
  };
  const script = {
    text: 'pip install vllm==0.4.3\nlm_eval --model vllm\n',
    launchOffset: 24,
    file: path.join(root, 'run.sh'),
  };
  const text = '# lm-eval-lens: vllm=0.9.2\n';
  const directive = parseDirectives(text).vllm;
  const order: [string, Parameters<typeof resolveVersion>[0], string][] = [
    ['directive', { package: 'vllm', directive, directiveLine: 1, setting: '0.6.0', script }, '0.9.2'],
    ['settings', { package: 'vllm', setting: '0.6.0', script }, '0.6.0'],
    ['config-file', { package: 'vllm', script }, '0.5.4'],
  ];
  for (const [source, req, version] of order) {
    it(`${source} wins over everything below it`, () => {
      const { fact } = resolveVersion(req, { project: everything });
      assert.equal(fact.source, source);
      assert.equal(fact.text, version);
    });
  }
  it('then the script, then images beside it, then pins, then the environment, then the newest modelled', () => {
    const rest = everything.evidence.slice(1);
    const steps: [ProjectFacts, boolean, string, string][] = [
      [{ evidence: rest }, true, 'script', '0.4.3'],
      [{ evidence: rest }, false, 'container-image', '0.8.5'],
      [{ evidence: rest.slice(1) }, false, 'project', '0.6.3'],
      [{ evidence: rest.slice(2) }, false, 'installed', '0.7.3'],
      [{ evidence: [] }, false, 'default', latest],
    ];
    for (const [project, withScript, source, version] of steps) {
      const { fact } = resolveVersion({ package: 'vllm', ...(withScript ? { script } : {}) }, { project });
      assert.equal(`${fact.source} ${fact.text}`, `${source} ${version}`);
    }
  });
  it('labels say where: "vLLM 0.6.3 from requirements.txt:2"', () => {
    const ctx: VersionContext = {
      project: { evidence: everything.evidence.slice(2) },
      displayPath: (f) => path.basename(f),
    };
    assert.equal(resolveVersion({ package: 'vllm' }, ctx).fact.label, 'vLLM 0.6.3 from requirements.txt:2');
    assert.equal(
      resolveVersion({ package: 'vllm', script }, ctx).fact.label,
      'vLLM 0.4.3 from run.sh:1 (pip install vllm==0.4.3)',
    );
    assert.equal(
      resolveVersion({ package: 'vllm', setting: '0.6.0' }, { ...ctx, origin: 'cli' }).fact.label,
      'vLLM 0.6.0 from --vllm-version',
    );
    assert.match(resolveVersion({ package: 'vllm' }, {}).fact.label, /the newest modelled/);
  });
  it('the nearest install or image before the launch wins; those after it do not count', () => {
    const text = [
      'docker pull vllm/vllm-openai:v0.5.5',
      'pip install vllm==0.6.3',
      'lm_eval --model vllm --model_args pretrained=x',
      'pip install vllm==0.9.2',
    ].join('\n');
    const launchOffset = text.indexOf('lm_eval');
    const { fact } = resolveVersion({ package: 'vllm', script: { text, launchOffset } }, {});
    assert.equal(`${fact.source} ${fact.text} :${fact.line}`, 'script 0.6.3 :2');
    const uvRun = 'uv run --with vllm==0.8.5 lm_eval --model vllm';
    assert.equal(
      resolveVersion({ package: 'vllm', script: { text: uvRun, launchOffset: uvRun.indexOf('lm_eval') } }, {}).fact
        .text,
      '0.8.5',
    );
  });
  it('a range is its newest release, and says so', () => {
    const { fact } = resolveVersion(
      { package: 'vllm' },
      { project: { evidence: [pin('project', '>=0.6,<0.7', 'requirements.txt')] } },
    );
    assert.equal(fact.text, '0.6.6.post1');
    assert.equal(fact.range, true);
    assert.match(fact.notes.join(' '), /vllm>=0\.6,<0\.7 is a range: the newest release it allows, 0\.6\.6\.post1/);
  });
  it('an install with no version is the newest modelled for vLLM and lm-eval alike, and says so (QA N8)', () => {
    const text = 'pip install lm_eval[vllm] vllm\nlm_eval --model vllm --model_args pretrained=x\n';
    const launchOffset = text.indexOf('lm_eval --model');
    for (const pkg of ['vllm', 'lm-eval'] as const) {
      const { fact } = resolveVersion({ package: pkg, script: { text, launchOffset } }, {});
      assert.equal(fact.source, 'script');
      assert.deepEqual(fact.version, pkg === 'vllm' ? LATEST_VLLM_VERSION : LATEST_HARNESS_VERSION);
      assert.equal(fact.range, true, 'unknown: findings that depend on the release stay warnings');
      assert.match(fact.label, /\(no version named: the newest modelled\)$/);
      assert.match(fact.notes.join(' '), /names no version: it installs the newest release when it runs/);
    }
  });
  it('a vLLM older than the oldest modelled accounting says so, and its memory findings are warnings (QA N9)', () => {
    const { fact } = resolveVersion({ package: 'vllm', setting: '0.1.4' }, {});
    assert.equal(fact.text, '0.1.4');
    assert.match(fact.label, /estimated with 0\.4\.0's accounting \(older than modelled\)$/);
    assert.match(fact.notes.join(' '), /0\.1\.4 predates the oldest vLLM modelled \(0\.4\.0\)/);
    const at = (v: string) =>
      analyzeDocument(
        {
          path: '/w/run.sh',
          text: `# lm-eval-lens: vllm=${v} gpu=L4\nvllm serve meta-llama/Llama-2-7b-hf --gpu-memory-utilization 0.5\n`,
        },
        testContext(),
      ).findings.find((x) => x.code === 'weights-exceed-budget');
    assert.equal(at('0.4.0')?.severity, 'error');
    const old = at('0.1.4');
    assert.equal(old?.severity, 'warning');
    assert.match(old?.message ?? '', /predates the modelled accounting \(0\.4\.0 on\)/);
  });
  it('a version newer than the newest modelled is judged as the newest, with a note', () => {
    const { fact } = resolveVersion({ package: 'vllm', setting: '9.1.0' }, {});
    assert.deepEqual(fact.version, LATEST_VLLM_VERSION);
    assert.match(fact.notes.join(' '), new RegExp(`9\\.1\\.0 is newer than the newest vLLM modelled \\(${latest}\\)`));
    assert.match(fact.label, /vLLM 9\.1\.0 from the setting lmEvalLens\.vllmVersion, judged as/);
  });
  it('a directive or setting that is not a version is a problem, and the next source is used', () => {
    const t = '# lm-eval-lens: vllm=banana\n';
    const d = parseDirectives(t).vllm;
    const { fact, problems } = resolveVersion(
      { package: 'vllm', directive: d, directiveLine: 1, setting: 'apple' },
      { project: { evidence: [pin('project', '==0.6.3', 'requirements.txt')] } },
    );
    assert.equal(fact.source, 'project');
    assert.deepEqual(
      problems.map((p) => [p.source, p.range ? t.slice(p.range.start, p.range.end) : undefined]),
      [
        ['directive', 'banana'],
        ['settings', undefined],
      ],
    );
  });
  it('a pin that is not a constraint is skipped, with a note', () => {
    const { fact } = resolveVersion(
      { package: 'vllm' },
      {
        project: { evidence: [pin('project', '==banana', 'requirements.txt'), pin('project', '==0.5.4', 'setup.py')] },
      },
    );
    assert.equal(fact.text, '0.5.4');
    assert.match(fact.notes.join(' '), /vllm==banana is not a version constraint/);
  });
});

describe('project facts from the fixture tree (walker + resolution)', () => {
  const resolve = (
    project: string,
    rel: string,
    pkg: 'vllm' | 'lm-eval' = 'vllm',
    env: Record<string, string> = {},
  ) => {
    const file = path.join(root, project, rel);
    const { fact } = resolveVersion({ package: pkg }, contextFor(file, project, env));
    return fact;
  };
  it('requirements.txt following -r, ranges at their newest release', () => {
    const v = resolve('requirements-include', 'scripts/run.sh');
    assert.equal(v.label, 'vLLM 0.6.6.post1 from requirements/base.txt:2 (a range: its newest release)');
    assert.equal(resolve('requirements-include', 'scripts/run.sh', 'lm-eval').text, '0.4.4');
  });
  it('pyproject.toml (PEP 621, Poetry)', () => {
    assert.equal(resolve('pyproject-pep621', 'run.sh', 'lm-eval').label, 'lm-eval 0.4.3 from pyproject.toml:6');
    assert.equal(resolve('pyproject-pep621', 'run.sh').text, '0.5.4');
    assert.equal(resolve('pyproject-poetry', 'run.sh').text, '0.4.3');
  });
  it('a lock file beats a range in the same folder', () => {
    assert.equal(resolve('uv-lock', 'run.sh').label, 'vLLM 0.8.5.post1 from uv.lock:16');
    assert.equal(resolve('uv-lock', 'run.sh', 'lm-eval').text, '0.4.5');
    assert.equal(resolve('poetry-lock', 'run.sh').text, '0.6.4.post1');
    assert.equal(resolve('pipfile-lock', 'run.sh').label, 'vLLM 0.5.3.post1 from Pipfile.lock:14');
  });
  it('environment.yml, setup.py, setup.cfg', () => {
    assert.equal(resolve('conda-env', 'run.sh').text, '0.7.3');
    assert.equal(resolve('conda-env', 'run.sh', 'lm-eval').text, '0.4.8');
    assert.equal(resolve('setup-py', 'run.sh').label, 'vLLM 0.4.2 from setup.py:7');
    assert.equal(resolve('setup-py', 'run.sh', 'lm-eval').text, '0.4.1');
    assert.equal(resolve('setup-cfg', 'run.sh').text, '0.5.5');
  });
  it('an image in a compose file beside the script beats the pins', () => {
    const v = resolve('layered', 'serve/run.sh');
    assert.equal(v.label, 'vLLM 0.8.5 from serve/docker-compose.yml:3 (vllm/vllm-openai:v0.8.5)');
    assert.equal(resolve('layered', 'scripts/run.sh').label, 'vLLM 0.6.3 from requirements.txt:1');
  });
  it('pins beat the installed environment, which beats a vendored lm-eval', () => {
    assert.equal(resolve('layered', 'tasks/qa.yaml', 'lm-eval').label, 'lm-eval 0.4.4 from requirements.txt:2');
    const installed = resolve('installed', 'scripts/run.sh');
    assert.equal(installed.source, 'installed');
    assert.equal(installed.text, '0.9.2');
    assert.equal(
      installed.file,
      path.join(root, 'installed/.venv/lib/python3.11/site-packages/vllm-0.9.2.dist-info/METADATA'),
    );
    assert.equal(resolve('installed', 'scripts/run.sh', 'lm-eval').text, '0.4.9');
  });
  it('$VIRTUAL_ENV and $CONDA_PREFIX are read first among environments', () => {
    const env = { VIRTUAL_ENV: path.join(root, 'layered', '.venv') };
    assert.equal(resolve('installed', 'scripts/run.sh', 'vllm', env).text, '0.7.3');
  });
  it("the Python extension's selected interpreter comes before $VIRTUAL_ENV", () => {
    const file = path.join(root, 'installed', 'scripts', 'run.sh');
    const walker = projectFactsWalker({
      fs: nodeTaskFileSystem(),
      roots: [path.join(root, 'installed')],
      env: (n) => (n === 'VIRTUAL_ENV' ? path.join(root, 'installed', '.venv') : undefined),
      pythonEnvironments: [{ path: path.join(root, 'layered', '.venv', 'bin', 'python3') }],
    });
    const { fact } = resolveVersion({ package: 'vllm' }, { file, project: walker.factsFor(file) });
    assert.equal(fact.text, '0.7.3');
  });
  it('a Windows-layout environment with an egg-info', () => {
    assert.equal(resolve('egg-info', 'x.yaml', 'lm-eval').text, '0.4.1');
  });
  it('a vendored lm-eval sets the harness for task configs under the repository', () => {
    const v = resolve('vendored', 'tasks/qa.yaml', 'lm-eval');
    assert.equal(v.source, 'vendored');
    assert.equal(v.text, '0.4.0');
    assert.match(v.notes.join(' '), /says 1\.0\.0/);
    assert.equal(resolve('vendored', 'lm-evaluation-harness/lm_eval/tasks/my_qa/qa.yaml', 'lm-eval').text, '0.4.0');
  });
  it('nothing known: the newest modelled', () => {
    assert.equal(resolve('empty', 'run.sh').source, 'default');
  });
});

describe('in the language service', () => {
  it('a launch under requirements.txt pinning vllm==0.6.3 is judged with 0.6.3, and the hover says so', () => {
    const file = path.join(root, 'layered', 'scripts', 'run.sh');
    const walker = walkerFor('layered');
    const ctx = testContext();
    ctx.providers = { ...testProviders(), projectFacts: (f) => walker.factsFor(f) };
    const text = 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B --tasks mmlu\n';
    const a = analyzeDocument({ path: file, text }, ctx);
    assert.equal(a.launches[0].vllm.text, '0.6.3');
    assert.deepEqual(a.launches[0].harnessVersion, { major: 0, minor: 4, patch: 4 });
    assert.ok(a.launches[0].estimate?.assumptions.length !== undefined);
  });
  it('a bad directive is a settings diagnostic at the value', () => {
    const text =
      '# lm-eval-lens: vllm=banana\nlm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B --tasks mmlu\n';
    const a = analyzeDocument({ path: '/x/run.sh', text }, testContext());
    const f = a.findings.find((x) => x.code === 'invalid-setting');
    assert.ok(f, 'an invalid-setting finding');
    assert.equal(text.slice(f.range.start, f.range.end), 'banana');
    assert.equal(a.launches[0].vllm.source, 'default');
  });
  it('a bad setting and an unknown GPU setting are settings diagnostics on the launch', () => {
    const text = 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B --tasks mmlu\n';
    const a = analyzeDocument({ path: '/x/run.sh', text }, testContext({ vllmVersion: 'banana', gpu: 'H100X' }));
    const messages = a.findings.filter((x) => x.code === 'invalid-setting').map((x) => x.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /lmEvalLens\.vllmVersion = "banana" is not a vLLM version/);
    assert.match(messages[1], /lmEvalLens\.gpu "H100X" is not a GPU in the catalog/);
  });
});
