// The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml) as files: every
// input the steps use is declared, every output is written by the script that should write it, the
// scripts parse, and the check step, run as the runner runs it (INPUT_* variables, $GITHUB_OUTPUT),
// annotates, writes SARIF and reports the exit status without failing before the upload.
// (The hook itself runs under Debian's pre-commit in scripts/ci/pre-commit-hook.sh, part of CI.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/paths';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parse(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8')) as {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};
const checkScript = path.join(repoRoot, 'scripts', 'action', 'check.sh');

function runCheckStep(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-action-'));
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary') };
  const r = spawnSync('bash', [checkScript], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      LENS_CLI: `${process.execPath} ${path.join(repoRoot, 'bin', 'lm-eval-lens.js')}`,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      INPUT_SARIF_FILE: path.join(dir, 'report.sarif'),
      ...env,
    },
  });
  const outputs = Object.fromEntries(
    fs
      .readFileSync(files.output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const summary = fs.existsSync(files.summary) ? fs.readFileSync(files.summary, 'utf8') : '';
  return { ...r, outputs, summary };
}

describe('action.yml', () => {
  it('is a composite action whose steps use only declared inputs and step outputs', () => {
    assert.equal(action.runs.using, 'composite');
    assert.ok(action.name && action.description);
    const text = fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
    for (const m of text.matchAll(/\binputs\.([a-z-]+)/g)) assert.ok(action.inputs[m[1]], `input ${m[1]} is declared`);
    const ids = new Set(action.runs.steps.map((s) => s.id).filter(Boolean));
    for (const m of text.matchAll(/\bsteps\.([a-z-]+)\.outputs\.([a-z-]+)/g)) {
      assert.ok(ids.has(m[1]), `step ${m[1]} exists`);
      const script = fs.readFileSync(path.join(repoRoot, 'scripts', 'action', `${m[1]}.sh`), 'utf8');
      assert.match(script, new RegExp(`echo "${m[2]}=`), `scripts/action/${m[1]}.sh writes ${m[2]}`);
    }
    for (const step of action.runs.steps) {
      if (step.run) assert.equal(step.shell, 'bash', 'composite run steps name their shell');
      // Inputs reach scripts through env, never pasted into the script text.
      if (step.run) assert.doesNotMatch(step.run, /\$\{\{/, `no expression inside run: ${step.run}`);
    }
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload, 'SARIF is uploaded to code scanning');
    assert.match(upload.if ?? '', /always\(\)/, 'even when the check found errors');
  });

  it('its scripts parse', () => {
    for (const s of ['install.sh', 'check.sh']) {
      const r = spawnSync('bash', ['-n', path.join(repoRoot, 'scripts', 'action', s)], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${s}: ${r.stderr}`);
    }
  });

  it('the check step annotates, writes SARIF and reports exit 1 without failing the step', () => {
    const r = runCheckStep({ INPUT_PATHS: 'examples' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^::error file=examples\/long-context-on-l4\.sh,line=6,col=16,.*\(kv-cache-too-small\)::/m);
    assert.match(r.stdout, /\d+ errors?, \d+ warnings?, \d+ notes? in \d+ files checked/);
    assert.equal(r.outputs['exit-code'], '1');
    const sarif = JSON.parse(fs.readFileSync(r.outputs['sarif-file'], 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'kv-cache-too-small'));
    assert.match(r.summary, /^### lm-eval-lens: \d+ errors?/);
    assert.match(
      r.summary,
      /^- \*\*error\*\* `examples\/long-context-on-l4\.sh:6` \(kv-cache-too-small\): vLLM will refuse/m,
    );
  });

  it('passes gpu and version inputs through, and reports a bad one as exit 2', () => {
    const clean = runCheckStep({
      INPUT_PATHS: 'examples/sound-llama3-8b.sh',
      INPUT_GPU: 'H100-80GB',
      INPUT_SARIF: 'false',
    });
    assert.equal(clean.outputs['exit-code'], '0', clean.stdout + clean.stderr);
    assert.equal(clean.outputs['sarif-file'], '');
    const bad = runCheckStep({ INPUT_PATHS: 'examples', INPUT_GPU: 'TPUv9' });
    assert.equal(bad.status, 0);
    assert.equal(bad.outputs['exit-code'], '2');
    assert.equal(bad.outputs['sarif-file'], '', 'no SARIF to upload');
    assert.match(bad.stderr, /unknown GPU "TPUv9"/);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('declares the lm-eval-lens hook over the files the CLI reads', () => {
    const hooks = parse(fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as {
      id: string;
      entry: string;
      language: string;
      files: string;
    }[];
    const hook = hooks.find((h) => h.id === 'lm-eval-lens');
    assert.ok(hook);
    assert.equal(hook.language, 'node');
    assert.match(hook.entry, /^lm-eval-lens check\b/);
    const files = new RegExp(hook.files);
    for (const f of ['run.sh', 'job.sbatch', 'eval.py', 'nb.ipynb', 'task.yaml', 'README.md', '.vscode/launch.json'])
      assert.ok(files.test(f), f);
    assert.ok(!files.test('weights.safetensors'));
  });
});
