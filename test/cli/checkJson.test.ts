// `check --format json` (a public contract: docs/cli-json.md) and the versions the CLI reads from
// the project around each file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
const projects = path.join('test', 'fixtures', 'projects');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonVersion {
  version: string;
  source: string;
  file: string | null;
  line: number | null;
  label: string;
  range: boolean;
}
interface JsonLaunch {
  line: number;
  backend: string;
  model: { written: string; id: string | null; source: string | null; notModelled: string | null } | null;
  gpu: { name: string; source: string; count: number | null };
  vllm: JsonVersion;
  lmEval: JsonVersion;
  estimate: { verdict: string; budgetGiB: number } | null;
}
interface JsonFile {
  path: string;
  kind: string;
  findings: { code: string; line: number; column: number }[];
  launches: JsonLaunch[];
  lmEval: JsonVersion | null;
  taskHarness: { name: string; source: string; file: string; line: number | null; written: string } | null;
}

describe('check --format json', () => {
  it('per file the findings, per launch the model, GPU, versions with their sources, and the estimate', () => {
    const r = cli('check', '--format', 'json', '--no-detect', path.join(projects, 'layered'));
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['schemaVersion', 'tool', 'summary', 'files']);
    assert.equal(out.schemaVersion, 1);
    const byPath = new Map<string, JsonFile>(out.files.map((f: JsonFile) => [f.path, f]));
    const script = byPath.get(path.join(projects, 'layered', 'scripts', 'run.sh'));
    assert.ok(script, [...byPath.keys()].join(', '));
    assert.deepEqual(Object.keys(script), ['path', 'kind', 'findings', 'launches', 'lmEval', 'taskHarness']);
    const l = script.launches[0];
    assert.deepEqual(Object.keys(l), ['line', 'column', 'backend', 'model', 'gpu', 'vllm', 'lmEval', 'estimate']);
    assert.equal(l.line, 2);
    assert.equal(l.backend, 'vllm');
    assert.equal(l.model?.id, 'Qwen/Qwen1.5-4B');
    assert.equal(l.model?.source, 'catalog');
    assert.equal(l.model?.notModelled, null);
    assert.equal(l.gpu.source, 'default');
    assert.deepEqual(
      { version: l.vllm.version, source: l.vllm.source, file: l.vllm.file, line: l.vllm.line, range: l.vllm.range },
      {
        version: '0.6.3',
        source: 'project',
        file: path.join(projects, 'layered', 'requirements.txt'),
        line: 1,
        range: false,
      },
    );
    assert.equal(l.lmEval.version, '0.4.4');
    assert.ok(l.estimate && typeof l.estimate.budgetGiB === 'number');
    const assumptions = (l.estimate as unknown as { assumptions: string[] }).assumptions;
    assert.deepEqual(assumptions.slice(0, 4), [
      'GPU A100-80GB from default',
      'model Qwen/Qwen1.5-4B from catalog',
      `vLLM 0.6.3 from ${path.join(projects, 'layered', 'requirements.txt')}:1`,
      `lm-eval 0.4.4 from ${path.join(projects, 'layered', 'requirements.txt')}:2`,
    ]);
    const serve = byPath.get(path.join(projects, 'layered', 'serve', 'run.sh'));
    assert.equal(serve?.launches[0].vllm.source, 'container-image');
    const task = byPath.get(path.join(projects, 'layered', 'tasks', 'qa.yaml'));
    assert.equal(task?.kind, 'task-config');
    assert.equal(task?.lmEval?.label, `lm-eval 0.4.4 from ${path.join(projects, 'layered', 'requirements.txt')}:2`);
  });

  it('the text report says what each launch was judged with', () => {
    const r = cli('check', '--no-detect', path.join(projects, 'layered', 'scripts'));
    assert.match(r.stdout, /^Judged with vLLM 0\.6\.3 from .*requirements\.txt:1 \(1 launch\)$/m);
  });

  it('the config file: its values apply; a value that cannot be used is exit 2', () => {
    const ok = cli('check', '--format', 'json', '--no-detect', path.join(projects, 'config-json', 'run.sh'));
    const launch: JsonLaunch = JSON.parse(ok.stdout).files[0].launches[0];
    assert.equal(launch.vllm.source, 'config-file');
    assert.equal(launch.gpu.name, 'H100-80GB');
    assert.equal(launch.gpu.source, 'config-file');
    const bad = cli('check', path.join(projects, 'config-bad', 'run.sh'));
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /^lm-eval-lens: \S*\.lm-eval-lens\.json:2: `vllm-version` = "banana" is not a version/m);
    assert.match(bad.stderr, /unknown key `colour`/);
    assert.equal(bad.stdout, '');
  });

  it("a task folder under a repository pinning lm_eval==0.4.4 is checked with 0.4.4's rules", () => {
    const r = cli('check', '--no-detect', path.join(projects, 'pinned-044'));
    assert.match(
      r.stdout,
      /legacy_qa\.yaml:1:1: warning \[legacy-group-task\] .*lm-eval 0\.4\.4 still reads this as task/,
    );
    assert.match(r.stdout, /^Judged with lm-eval 0\.4\.4 from .*requirements\.txt:1 \(1 task config\)$/m);
  });

  it("lmms-eval's task configs: no lm-eval schema errors, one summary line, taskHarness per file", () => {
    const root = path.join(projects, 'lmms-eval-repo');
    const text = cli('check', '--no-detect', '--no-color', root);
    assert.equal(text.code, 1, 'the vendored lm-eval and the project of its own still have their errors');
    assert.doesNotMatch(text.stdout, /lmms_eval[/\\][^:]*:\d+:\d+: error/);
    assert.doesNotMatch(text.stdout, /\[other-harness\]/, 'no note per file in the text report');
    assert.match(
      text.stdout,
      /^2 task configs in lmms-eval's format \(lmms_eval\/__init__\.py\): checked for YAML syntax, include: and !function only/m,
    );
    assert.match(text.stdout, /demo\.yaml:\d+:\d+: error \[unknown-key\] Unknown key `doc_to_visual`/);
    const out = JSON.parse(cli('check', '--format', 'json', '--no-detect', root).stdout);
    const byPath = new Map<string, JsonFile>(out.files.map((f: JsonFile) => [f.path.split(path.sep).join('/'), f]));
    const lmms = byPath.get(`${root}/lmms_eval/tasks/mmmu/mmmu_val.yaml`.split(path.sep).join('/'));
    assert.deepEqual(lmms?.taskHarness, {
      name: 'lmms-eval',
      source: 'package',
      file: path.join(root, 'lmms_eval', '__init__.py'),
      line: null,
      written: 'lmms_eval/__init__.py',
    });
    assert.equal(lmms?.lmEval, null);
    assert.deepEqual(
      lmms?.findings.map((f) => f.code),
      ['other-harness'],
    );
    const vendored = [...byPath.values()].find((f) => f.path.endsWith('demo.yaml'));
    assert.equal(vendored?.taskHarness, null);
    assert.equal(vendored?.lmEval?.version, '0.4.4');
  });

  it('a flag beats the config file', () => {
    const r = cli(
      'check',
      '--format',
      'json',
      '--no-detect',
      '--vllm-version',
      '0.10.1',
      path.join(projects, 'config-json', 'run.sh'),
    );
    const launch: JsonLaunch = JSON.parse(r.stdout).files[0].launches[0];
    assert.equal(launch.vllm.label, 'vLLM 0.10.1 from --vllm-version');
  });
});
