// `check` on a project that vendors a fork of lm-eval whose TaskConfig adds its own keys.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
const project = path.join('test', 'fixtures', 'projects', 'vendored-fork');

describe('check: a vendored fork of lm-eval', () => {
  it("judges task keys with the fork's TaskConfig, and says which file it read", () => {
    const r = spawnSync(process.execPath, [bin, 'check', '--no-detect', path.join(project, 'tasks')], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.deepEqual(
      lines.filter((l) => l.includes('custom_style.yaml')),
      [],
      'the fork declares custom_prompt_style and judge_model',
    );
    const errors = lines.filter((l) => /typo\.yaml:\d+:\d+: error \[unknown-key\]/.test(l));
    assert.equal(errors.length, 2, r.stdout);
    assert.match(
      errors[0],
      /the TaskConfig of the lm-eval in force \(lm-evaluation-harness\/lm_eval\/api\/task\.py:7\)/,
    );
    assert.match(r.stdout, /Judged with lm-eval 0\.4\.4 from .*pyproject\.toml:3 \(a vendored copy of lm-eval\)/);
  });
});
