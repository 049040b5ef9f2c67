// `lm-eval-lens explain` as users run it: a file or stdin, text or JSON, and the exit status contract
// (1 a failure was found, 0 a healthy start, 2 usage or I/O).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fixture, repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const seed = fixture('logs', 'v0.4-0.6', 'lm-eval-1923-qwen1.5-4b-graph-capture-oom.log');

describe('lm-eval-lens explain', () => {
  it('explains a crash: the failure line, the cause code, the fix as --model_args, exit 1', () => {
    const r = cli(['explain', seed]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /FAILED at line \d+: torch\.cuda\.OutOfMemoryError/);
    assert.match(r.stdout, /^cuda-graph-headroom: /m);
    assert.match(
      r.stdout,
      /--model_args pretrained=Qwen\/Qwen1\.5-4B,dtype=float,gpu_memory_utilization=0\.6,max_model_len=1024,enforce_eager=True/,
    );
    assert.match(r.stdout, /Self-check, memory model vs this log/);
  });

  it('reads stdin with -, and a healthy log exits 0', () => {
    const text = fs.readFileSync(fixture('logs', 'v0.4-0.6', 'llama-cookbook-801-lm-eval-running-healthy.log'), 'utf8');
    const r = cli(['explain', '-'], text);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<stdin>: /);
    assert.match(r.stdout, /^OK: /m);
  });

  it('prints the JSON document with the documented fields', () => {
    const r = cli(['explain', '--format', 'json', seed]);
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of [
      'file',
      'status',
      'code',
      'memory',
      'docs',
      'cause',
      'details',
      'failure',
      'fixes',
      'fixedModelArgs',
      'fixedFlags',
      'launch',
      'selfCheck',
      'assumptions',
      'lines',
    ])
      assert.ok(k in j, `missing ${k}`);
    assert.equal(j.status, 'failed');
    assert.equal(j.code, 'cuda-graph-headroom');
    assert.equal(j.failure.phase, 'graph-capture');
    assert.equal(j.fixes[0].preferred, true);
    assert.deepEqual(j.fixes[0].changes, [{ key: 'enforce_eager', value: true }]);
    assert.equal(j.launch.vllmVersion, '0.4.3');
    assert.ok(j.selfCheck.some((row: { term: string }) => row.term === 'kv-tokens'));
  });

  it('a failure that is not about memory is reported without a memory fix', () => {
    const r = cli([
      'explain',
      '--format',
      'json',
      fixture('logs', 'v0.4-0.6', 'vllm-5828-ray-nccl-unhandled-system-error.log'),
    ]);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.code, 'run-failure');
    assert.equal(j.memory, false);
    assert.deepEqual(j.fixes, []);
  });

  it('exits 2 on a usage error or an unreadable file', () => {
    assert.equal(cli(['explain']).code, 2);
    assert.equal(cli(['explain', 'a.log', 'b.log']).code, 2);
    assert.equal(cli(['explain', '--format', 'sarif', seed]).code, 2);
    const missing = cli(['explain', path.join(repoRoot, 'no-such-file.log')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read/);
  });
});

describe('lm-eval-lens calibrate', () => {
  it('prints logged vs predicted per log and a summary, and writes records with --write', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lm-eval-lens-cal-')), 'runs.jsonl');
    const logs = [
      fixture('logs', 'v0.7-0.10', 'vllm-13882-qwen2.5-7b-bnb-no-cache-blocks.log'),
      fixture('logs', 'v0.7-0.10', 'vllm-23278-gpt-oss-120b-negative-kv.log'),
    ];
    const r = cli(['calibrate', '--write', out, ...logs]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Weights \(GiB\)\s+5\.20\s+/);
    assert.match(r.stdout, /Over 2 log\(s\)/);
    assert.match(r.stderr, /2 record\(s\) appended/);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(JSON.parse(lines[1]).weights_gib, 65.9651);
  });

  it('exits 2 without a log, or with --source-url but no --write', () => {
    assert.equal(cli(['calibrate']).code, 2);
    assert.equal(cli(['calibrate', '--source-url', 'https://x', seed]).code, 2);
  });
});
