// What `estimate` cannot know is unknown, never evidence of an error: a `$VAR` setting typed in
// single quotes, a model matched only by its folder's name, a model that is a variable. A failure
// resting on such an assumption says so and is not exit status 1 (as `check` makes it a warning).
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

// Qwen1.5-4B's derived max_model_len (32768) does not fit an L4's KV cache: a certain failure.
const base = 'pretrained=Qwen/Qwen1.5-4B';

describe('estimate with what is not known here', () => {
  it('a certain failure is exit 1 (the control)', () => {
    const r = cli('estimate', '--model-args', base, '--gpu', 'L4');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^Verdict: will fail \(KV capacity ±\d+ %\)$/m);
  });

  it('max_model_len=$LEN: the default assumed, said, and not exit 1', () => {
    const r = cli('estimate', '--model-args', `${base},max_model_len=$LEN`, '--gpu', 'L4');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Verdict: will fail .*, if what is not known here is as assumed/);
    assert.match(r.stdout, /- max_model_len is not known here \(\$LEN\): vLLM's default assumed/);
    const j = JSON.parse(
      cli('estimate', '--model-args', `${base},max_model_len=$LEN`, '--gpu', 'L4', '--format', 'json').stdout,
    );
    assert.equal(j.verdict, 'will-fail');
    assert.match(j.uncertain.join(' '), /max_model_len \(\$LEN\)/);
    assert.ok(j.assumptions.some((a: string) => /max_model_len is not known here/.test(a)));
  });

  it('a local folder without its config, matched by name: the assumption said, not exit 1', () => {
    const r = cli('estimate', '--model-args', 'pretrained=/nonexistent-lm-eval-lens/ckpts/qwen1.5-4b', '--gpu', 'L4');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /read as Qwen\/Qwen1\.5-4B by its folder name .*a fine-tune may differ/);
  });

  it('check: the same failure on a name-matched model is a warning that says what it assumes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-eval-lens-guess-'));
    try {
      const script = path.join(dir, 'a.sh');
      fs.writeFileSync(
        script,
        'lm_eval --model vllm --model_args pretrained=/nonexistent-lm-eval-lens/ckpts/qwen1.5-4b --tasks gsm8k\n',
      );
      const r = cli('check', '--gpu', 'L4', script);
      assert.match(r.stdout, /warning \[kv-cache-too-small\].*a fine-tune may differ/);
      assert.doesNotMatch(r.stdout, /error \[kv-cache-too-small\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pretrained=$MODEL is not a model to look up on the Hub', () => {
    for (const [value, what] of [
      ['$MODEL', 'a variable'],
      ['<path_to_model>', 'a placeholder'],
    ]) {
      const r = cli('estimate', '--model-args', `pretrained=${value}`, '--gpu', 'L4');
      assert.equal(r.code, 2);
      assert.ok(r.stderr.includes(`the model is not known here ("${value}" is ${what})`), r.stderr);
      assert.doesNotMatch(r.stderr, /allow-network|catalog/);
    }
  });
});
