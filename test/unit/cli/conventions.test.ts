// Pure pieces of the CLI: colour decision, GitHub escaping, the progress line, stdin name guessing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CliIO } from '../../../server/src/cli/command';
import { guessStdinName } from '../../../server/src/cli/commands/check';
import { progressLine } from '../../../server/src/cli/progress';
import { formatGithub, type ReportedFinding } from '../../../server/src/cli/report';
import { colorEnabled } from '../../../server/src/cli/style';

describe('colorEnabled', () => {
  it('follows the terminal, then NO_COLOR, FORCE_COLOR and the flags', () => {
    assert.equal(colorEnabled(true, {}), true);
    assert.equal(colorEnabled(false, {}), false);
    assert.equal(colorEnabled(true, { TERM: 'dumb' }), false);
    assert.equal(colorEnabled(true, { NO_COLOR: '1' }), false);
    assert.equal(colorEnabled(true, { NO_COLOR: '' }), true, 'an empty NO_COLOR is unset (no-color.org)');
    assert.equal(colorEnabled(false, { FORCE_COLOR: '1' }), true);
    assert.equal(colorEnabled(false, { FORCE_COLOR: '' }), true);
    assert.equal(colorEnabled(true, { FORCE_COLOR: '0' }), false);
    assert.equal(colorEnabled(false, { FORCE_COLOR: '1', NO_COLOR: '1' }), false);
    assert.equal(colorEnabled(false, { NO_COLOR: '1' }, { color: true }), true);
    assert.equal(colorEnabled(true, { FORCE_COLOR: '1' }, { noColor: true }), false);
  });
});

describe('formatGithub', () => {
  const f: ReportedFinding = {
    file: '/w/a,b:c.sh',
    line: 0,
    column: 4,
    endLine: 0,
    endColumn: 9,
    code: 'kv-cache-too-small',
    severity: 'info',
    message: '100% sure',
    details: ['line two\r\nline three'],
  };
  it('escapes data and properties as the Actions runner expects', () => {
    assert.equal(
      formatGithub([f], () => 'a,b:c.sh'),
      '::notice file=a%2Cb%3Ac.sh,line=1,col=5,endLine=1,endColumn=10,title=lm-eval-lens (kv-cache-too-small)::100%25 sure%0Aline two%0D%0Aline three',
    );
  });
});

describe('progressLine', () => {
  const fakeIO = () => {
    const written: string[] = [];
    const io = { errRaw: (s: string) => written.push(s), env: {} } as unknown as CliIO;
    return { io, written };
  };
  it('stays silent for short runs and when disabled', () => {
    let t = 0;
    const { io, written } = fakeIO();
    const p = progressLine(io, true, () => t);
    t = 100;
    p.update('checking', 1, 10);
    p.clear();
    assert.deepEqual(written, []);
    const off = fakeIO();
    const q = progressLine(off.io, false, () => (t += 1000));
    q.update('checking', 5, 10);
    assert.deepEqual(off.written, []);
  });
  it('after a moment redraws one line at most every 100 ms, then erases it', () => {
    let t = 0;
    const { io, written } = fakeIO();
    const p = progressLine(io, true, () => t);
    t = 600;
    p.update('checking', 3, 12);
    t = 650;
    p.update('checking', 4, 12);
    t = 710;
    p.update('checking', 5, 12);
    p.clear();
    assert.deepEqual(written, [
      '\r\x1b[2Kchecking 3/12 files (25 %)',
      '\r\x1b[2Kchecking 5/12 files (41 %)',
      '\r\x1b[2K',
    ]);
  });
});

describe('guessStdinName', () => {
  it('picks the parser from the text', () => {
    assert.equal(guessStdinName('lm_eval --model vllm --model_args pretrained=x'), 'stdin.sh');
    assert.equal(guessStdinName('#!/bin/bash\n#SBATCH --gres=gpu:1\nlm_eval --model vllm'), 'stdin.sh');
    assert.equal(guessStdinName('import lm_eval\nlm_eval.simple_evaluate(model="vllm")'), 'stdin.py');
    assert.equal(guessStdinName('{"cells": [], "nbformat": 4}'), 'stdin.ipynb');
    assert.equal(guessStdinName('{"configurations": []}'), 'stdin.json');
    assert.equal(guessStdinName('task: my_task\ndataset_path: x\n'), 'stdin.yaml');
    assert.equal(guessStdinName('Run this:\n```bash\nlm_eval --model vllm\n```\n'), 'stdin.md');
  });
});
