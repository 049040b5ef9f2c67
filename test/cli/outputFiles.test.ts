// A file the CLI cannot write or read is a clear message and exit status 2, never a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fixture, repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('files the CLI cannot write or read', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-eval-lens-out-'));
  const script = path.join(dir, 'a.sh');
  fs.writeFileSync(script, 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B --tasks gsm8k\n');
  const missing = path.join(dir, 'no', 'such', 'dir', 'out.txt');

  it('check -o into a folder that does not exist', () => {
    for (const format of ['text', 'json', 'sarif']) {
      const r = cli('check', '--format', format, '-o', missing, script);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim(), `lm-eval-lens: cannot write ${missing}: no such file or directory`);
    }
  });

  it('check -o onto a folder', () => {
    const r = cli('check', '-o', dir, script);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^lm-eval-lens: cannot write .*: illegal operation on a directory$/m);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });

  it('check -o into a writable place still writes', () => {
    const out = path.join(dir, 'out.txt');
    const r = cli('check', '-o', out, script);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'the report goes to the file');
    assert.match(fs.readFileSync(out, 'utf8'), /in 1 file checked\n$/);
  });

  it('explain and calibrate --write say why, in words', () => {
    const r = cli('explain', path.join(dir, 'missing.log'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read .*missing\.log: no such file or directory$/m);
    const log = fixture('logs', 'v0.7-0.10', 'vllm-13882-qwen2.5-7b-bnb-no-cache-blocks.log');
    const w = cli('calibrate', '--write', missing, log);
    assert.equal(w.code, 2);
    assert.match(w.stderr, /cannot write .*out\.txt: no such file or directory$/m);
  });

  it('cleans up', () => fs.rmSync(dir, { recursive: true, force: true }));
});
