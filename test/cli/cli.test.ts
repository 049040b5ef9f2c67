// The built CLI as users run it: exit codes, text, SARIF and the estimate JSON contract.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ESTIMATE_FIELDS = [
  'model',
  'gpu',
  'vllmVersion',
  'vllmVersionSource',
  'engine',
  'entrypoint',
  'budgetGiB',
  'weightsGiB',
  'weightsGiBRange',
  'nonTorchGiB',
  'activationGiB',
  'cudaGraphGiB',
  'kvCacheGiB',
  'kvBytesPerToken',
  'kvCacheTokens',
  'kvCacheTokensRange',
  'maxModelLen',
  'logprobsSpikeGiB',
  'outsideBudgetGiB',
  'headroomGiB',
  'verdict',
  'reasons',
  'uncertain',
  'assumptions',
];

describe('lm-eval-lens check', () => {
  it('finds the seed finding in every embedding of examples/', () => {
    const r = cli('check', '--gpu', 'A100-80GB', 'examples');
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    for (const f of [
      'seed-qwen1.5-4b.sh',
      'seed_simple_evaluate.py',
      'seed-run-config.yaml',
      'seed-notes.md',
      'seed.ipynb',
      path.join('.vscode', 'launch.json'),
    ]) {
      const line = r.stdout
        .split('\n')
        .find((l) => l.startsWith(`${path.join('examples', f)}:`) && l.includes('[float32-weights]'));
      assert.ok(line, `float32-weights in ${f}:\n${r.stdout}`);
    }
    assert.ok(
      !r.stdout.split('\n').some((l) => l.startsWith(path.join('examples', 'sound-llama3-8b.sh'))),
      `sound config stays silent:\n${r.stdout}`,
    );
    assert.match(r.stdout, /\d+ errors?, \d+ warnings?, \d+ notes? in \d+ files checked/);
  });

  it('exits 1 on errors with file:line, and writes SARIF 2.1.0', () => {
    const r = cli('check', '--format', 'sarif', path.join('examples', 'long-context-on-l4.sh'));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'kv-cache-too-small');
    assert.ok(result, r.stdout);
    assert.equal(result.level, 'error');
    const loc = result.locations[0].physicalLocation;
    assert.deepEqual(loc.artifactLocation, { uri: 'examples/long-context-on-l4.sh', uriBaseId: '%SRCROOT%' });
    assert.equal(loc.region.startLine, 6);
  });

  it('a failure judged on the default GPU is a warning (exit 0); on a named GPU an error (exit 1) (QA3 F2)', () => {
    const file = path.join('test', 'fixtures', 'rules', 'kv-cache-too-small', 'unnamed-gpu.sh');
    const unnamed = cli('check', '--no-detect', file);
    assert.equal(unnamed.code, 0, unnamed.stdout + unnamed.stderr);
    assert.match(unnamed.stdout, /warning \[kv-cache-too-small\].*This assumes the A100-80GB: no GPU is named here/);
    const named = cli('check', '--no-detect', '--gpu', 'A100-80GB', file);
    assert.equal(named.code, 1, named.stdout + named.stderr);
    assert.match(named.stdout, /error \[kv-cache-too-small\]/);
    assert.doesNotMatch(named.stdout, /no GPU is named here/);
  });

  it('exits 2 on usage and I/O errors', () => {
    assert.equal(cli('check').code, 2);
    assert.equal(cli('check', path.join(os.tmpdir(), 'does-not-exist-lm-eval-lens')).code, 2);
    assert.equal(cli('frobnicate').code, 2);
    assert.equal(cli('check', '--format', 'xml', 'examples').code, 2);
  });

  it('exits 0 on a clean file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-cli-'));
    fs.writeFileSync(path.join(dir, 'ok.sh'), 'echo hello\n');
    const r = cli('check', dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});

describe('installed bins', () => {
  it('lm-eval-lens and lm-eval-lens-server run from node_modules/.bin', () => {
    const cliBin = path.join(repoRoot, 'node_modules', '.bin', 'lm-eval-lens');
    const serverBin = path.join(repoRoot, 'node_modules', '.bin', 'lm-eval-lens-server');
    assert.equal(spawnSync(cliBin, ['--version'], { encoding: 'utf8' }).stdout.trim(), '0.1.0');
    assert.match(spawnSync(serverBin, ['--help'], { encoding: 'utf8' }).stdout, /--stdio/);
  });
});

describe('lm-eval-lens estimate', () => {
  it('prints exactly the documented JSON fields', () => {
    const r = cli(
      'estimate',
      '--model-args',
      'pretrained=Qwen/Qwen1.5-4B,dtype=float,gpu_memory_utilization=0.6,max_model_len=1024',
      '--tasks',
      'mmlu',
      '--gpu',
      'A100-80GB',
      '--format',
      'json',
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ESTIMATE_FIELDS);
    assert.equal(j.model.source, 'catalog');
    assert.equal(j.gpu.name, 'A100-80GB');
    assert.equal(j.gpu.count, 1);
    assert.equal(j.maxModelLen, 1024);
    // 3.95 B parameters in float32.
    assert.ok(j.weightsGiB > 14 && j.weightsGiB < 15.5, `weights ${j.weightsGiB}`);
    assert.ok(['fits', 'at-risk', 'will-fail'].includes(j.verdict));
    assert.ok(j.logprobsSpikeGiB > 0, 'mmlu is multiple_choice: a logprob spike');
    // The bands: [low, high] around the point figures.
    assert.ok(j.weightsGiBRange[0] < j.weightsGiB && j.weightsGiB < j.weightsGiBRange[1], String(j.weightsGiBRange));
    assert.ok(j.kvCacheTokensRange[0] <= j.kvCacheTokens && j.kvCacheTokens <= j.kvCacheTokensRange[1]);
    assert.ok(j.kvCacheTokensRange[0] < j.kvCacheTokensRange[1]);
  });

  it('accepts a bare memory figure and a count, and prints a table', () => {
    const r = cli(
      'estimate',
      '--model-args',
      'pretrained=meta-llama/Meta-Llama-3-8B,tensor_parallel_size=2',
      '--gpu',
      '2x79.15GiB',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KV cache/);
    assert.match(r.stdout, /Verdict: /);
  });

  it('--entrypoint serve takes the vllm serve batch defaults, and the JSON says which', () => {
    const base = ['estimate', '--model-args', 'pretrained=Qwen/Qwen2.5-7B-Instruct', '--gpu', 'H100-80GB'];
    const j = (args: string[]) => {
      const r = cli(...base, ...args, '--format', 'json', '--vllm-version', '0.10.0');
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const llm = j([]);
    const serve = j(['--entrypoint', 'serve']);
    assert.equal(llm.entrypoint, 'llm');
    assert.equal(serve.entrypoint, 'serve');
    // get_batch_defaults: LLM 16384, serve 8192 on an H100; a smaller profile run leaves more KV.
    assert.ok(serve.assumptions.some((a: string) => /max_num_batched_tokens = 8192 .*vllm serve/.test(a)));
    assert.ok(llm.assumptions.some((a: string) => /max_num_batched_tokens = 16384/.test(a)));
    assert.ok(serve.activationGiB <= llm.activationGiB);
    assert.equal(cli(...base, '--entrypoint', 'server').code, 2);
  });

  it('--env reaches the estimate: VLLM_USE_V1=0 keeps vLLM 0.8.5 on V0', () => {
    const base = ['estimate', '--model-args', 'pretrained=Qwen/Qwen2.5-7B-Instruct', '--vllm-version', '0.8.5'];
    const engine = (args: string[]) => JSON.parse(cli(...base, ...args, '--format', 'json').stdout).engine;
    assert.equal(engine([]), 'V1');
    assert.equal(engine(['--env', 'VLLM_USE_V1=0']), 'V0');
    assert.equal(engine(['--env', 'VLLM_USE_V1=$FLAG']), 'V1', 'an unreadable value counts as unset');
    assert.equal(cli(...base, '--env', 'VLLM_USE_V1').code, 2);
  });

  it('refuses an unknown model or GPU with exit 2', () => {
    assert.equal(cli('estimate', '--model-args', 'pretrained=nobody/nothing-7b').code, 2);
    assert.equal(cli('estimate', '--model-args', 'pretrained=Qwen/Qwen1.5-4B', '--gpu', 'TPUv9').code, 2);
  });

  it('says "architecture not modelled" with the reason, and prints no estimate (exit 2)', () => {
    const r = cli('estimate', '--model-args', 'pretrained=zai-org/GLM-5,tensor_parallel_size=8', '--gpu', 'H200');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /architecture not modelled: "zai-org\/GLM-5" is a glm_moe_dsa model; DeepSeek Sparse Attention/,
    );
  });
});

describe('lm-eval-lens estimate --gpu all', () => {
  const args = ['estimate', '--model-args', 'pretrained=Qwen/Qwen2-72B-Instruct,max_model_len=8192', '--gpu', 'all'];

  it('prints one row per catalog GPU with TP, verdict, headroom and the largest max_model_len', () => {
    const r = cli(...args);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const header = lines.findIndex((l) =>
      /^GPU\s+Memory\s+TP\s+GPUs\s+Verdict\s+Headroom\s+Largest max_model_len$/.test(l),
    );
    assert.ok(header > 0, r.stdout);
    const rows = lines.slice(header + 1);
    assert.ok(rows.length >= 10, r.stdout);
    const h200 = rows.find((l) => l.startsWith('H200 '));
    assert.match(h200 ?? '', /^H200\s+\d+\.\d GiB\s+2\s+2\s+fits\s+\d+\.\d GiB\s+32768$/);
    assert.match(rows.find((l) => l.startsWith('T4 ')) ?? '', /^T4\s+\S+ GiB\s+-\s+-\s+will fail\s+-\s+-$/);
  });

  it('--format json gives the same rows', () => {
    const r = cli(...args, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['model', 'vllmVersion', 'tensorParallelSize', 'maxModelLen', 'rows']);
    const h200 = j.rows.find((x: { gpu: string }) => x.gpu === 'H200');
    assert.deepEqual(Object.keys(h200), [
      'gpu',
      'totalGiB',
      'tensorParallelSize',
      'gpuCount',
      'verdict',
      'headroomGiB',
      'maxModelLenThatFits',
    ]);
    assert.equal(h200.tensorParallelSize, 2);
    assert.equal(j.rows.find((x: { gpu: string }) => x.gpu === 'T4').tensorParallelSize, null);
  });

  it('refuses a count with all, and all on check', () => {
    assert.equal(cli('estimate', '--model-args', 'pretrained=Qwen/Qwen1.5-4B', '--gpu', '2xall').code, 2);
    assert.equal(cli('check', '--gpu', 'all', 'examples').code, 2);
  });
});
