// `estimate` on bad or partial input: a --batch-size lm-eval would reject is a usage error, the
// model_args syntax is judged as `check` judges it (and an error is exit 1), and the prompt-logprob
// row says when the task types are unknown rather than claiming there are no loglikelihood tasks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fits = ['--model-args', 'pretrained=Qwen/Qwen1.5-4B', '--gpu', 'A100-80GB'];

describe('estimate input', () => {
  it('--batch-size takes what lm_eval --batch_size takes', () => {
    const bad = cli('estimate', ...fits, '--batch-size', 'abc');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--batch-size must be a whole number, auto or auto:N .*got "abc"/);
    for (const ok of ['8', 'auto', 'auto:4']) assert.equal(cli('estimate', ...fits, '--batch-size', ok).code, 0, ok);
  });

  it('an empty pair: an error from lm-eval 0.4.10 on (exit 1), a warning when no release is named', () => {
    const args = ['--model-args', 'pretrained=Qwen/Qwen1.5-4B,,dtype=auto', '--gpu', 'A100-80GB'];
    const strict = cli('estimate', ...args, '--harness-version', '0.4.11');
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /model_args: error: Empty key=value pair/);
    assert.match(strict.stdout, /^Verdict: fits/m, 'the estimate is still printed');
    const old = cli('estimate', ...args, '--harness-version', '0.4.8');
    assert.equal(old.code, 0, 'lm-eval ≤ 0.4.9 drops the empty item');
    const unnamed = cli('estimate', ...args);
    assert.equal(unnamed.code, 0);
    assert.match(unnamed.stderr, /model_args: warning: Empty key=value pair/);
  });

  it('a value vLLM refuses is an error (exit 1), and the default the estimate took is said', () => {
    for (const [value, why] of [
      ['abc', '"abc" is not a number'],
      ['1.5', '1.5 is above 1'],
    ]) {
      const r = cli(
        'estimate',
        '--model-args',
        `pretrained=Qwen/Qwen1.5-4B,gpu_memory_utilization=${value}`,
        '--gpu',
        'A100-80GB',
      );
      assert.equal(r.code, 1, value);
      assert.match(
        r.stderr,
        new RegExp(`model_args: error: gpu_memory_utilization=${value}: ${why.replace('.', '\\.')}`),
      );
      assert.ok(r.stdout.includes(`- gpu_memory_utilization: ${why}: vLLM's default used in the estimate`), r.stdout);
    }
    const unknown = cli(
      'estimate',
      '--model-args',
      'pretrained=Qwen/Qwen1.5-4B,gpu_memory_utilization=$UTIL',
      '--gpu',
      'A100-80GB',
    );
    assert.equal(unknown.code, 0, 'a $VAR is unknown, not invalid');
    assert.doesNotMatch(unknown.stderr, /invalid|error/);
  });

  it('the prompt-logprob row says when the task types are unknown', () => {
    const row = (...extra: string[]) =>
      cli('estimate', ...fits, ...extra)
        .stdout.split('\n')
        .find((l) => l.includes('Prompt-logprob spike')) ?? '';
    assert.match(row(), /task types unknown$/);
    assert.match(row('--tasks', 'no_such_task_anywhere'), /task types unknown$/);
    assert.match(row('--tasks', 'gsm8k'), /no loglikelihood tasks$/);
    assert.match(row('--tasks', 'gsm8k,no_such_task_anywhere'), /no loglikelihood tasks among those known$/);
  });
});
