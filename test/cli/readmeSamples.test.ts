// The README's sample outputs are what the commands print today: each ```text block that starts
// with a command's first line is compared with the real command's output, line for line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('README samples', () => {
  it("the explain sample is the start of explain's real output", () => {
    const block = /```text\n(examples\/logs\/[^:\n]+): [\s\S]*?```/.exec(readme);
    assert.ok(block, 'the README shows an explain sample on an example log');
    const sample = block[0].slice('```text\n'.length, -'```'.length).replace(/\n$/, '');
    const r = spawnSync(process.execPath, [bin, 'explain', block[1]], { cwd: repoRoot, encoding: 'utf8' });
    const printed = r.stdout.split('\n').slice(0, sample.split('\n').length).join('\n');
    assert.equal(sample, printed);
  });
});
