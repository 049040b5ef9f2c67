// `lm-eval-lens check` on a directory of hostile files: exits 0 or 1 with valid SARIF, in bounded
// time, and every limit answers with a diagnostic rather than a crash or silence.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
let dir: string;

function writeHostileTree(root: string): void {
  const tasks = path.join(root, 'tasks');
  fs.mkdirSync(tasks, { recursive: true });
  // Billion laughs: nine levels of aliases, each ten times the one before.
  let laughs = 'task: laughs\na0: &a0 ["lol"]\n';
  for (let i = 1; i < 10; i++)
    laughs += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  fs.writeFileSync(path.join(tasks, 'laughs.yaml'), laughs);
  // 20,000 levels of nesting, block and flow.
  fs.writeFileSync(
    path.join(tasks, 'deep-flow.yaml'),
    `task: deep\nmetadata: ${'['.repeat(20000)}${']'.repeat(20000)}\n`,
  );
  let block = 'task: deep_block\nmetadata:\n';
  for (let i = 1; i < 20000; i++) block += `${' '.repeat(i)}- \n`;
  fs.writeFileSync(path.join(tasks, 'deep-block.yaml'), block);
  // Include cycles and self-includes.
  fs.writeFileSync(path.join(tasks, 'a.yaml'), 'include: b.yaml\ntask: a\n');
  fs.writeFileSync(path.join(tasks, 'b.yaml'), 'include: a.yaml\ntask: b\n');
  fs.writeFileSync(path.join(tasks, 'self.yaml'), 'include: self.yaml\ntask: self\n');
  // Binary, invalid UTF-8, and a large file.
  fs.writeFileSync(path.join(root, 'binary.sh'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0xff, 0xfe]));
  fs.writeFileSync(
    path.join(root, 'latin1.py'),
    Buffer.from('model_args="pretrained=caf\xe9"\nsimple_evaluate(model="vllm", model_args="x=\xff")\n', 'latin1'),
  );
  fs.writeFileSync(
    path.join(root, 'huge.sh'),
    `lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float --tasks mmlu\n${'# filler\n'.repeat(700_000)}`,
  );
  // Half-typed launches and junk in every embedding.
  fs.writeFileSync(
    path.join(root, 'half.sh'),
    'lm_eval --model vllm --model_args "pretrained=Qwen/Qwen1.5-4B,,dtype=\n',
  );
  fs.writeFileSync(
    path.join(root, 'bad.ipynb'),
    '{"cells": [{"cell_type": "code", "source": ["!lm_eval --model_args \\"',
  );
  fs.writeFileSync(path.join(root, 'bad.json'), '{"args": ["--model_args", ');
  fs.writeFileSync(path.join(root, 'bad.md'), '```bash\nlm_eval --model vllm --model_args \'{"pretrained": \n');
  fs.writeFileSync(path.join(root, 'run.yaml'), 'model: vllm\nmodel_args: {pretrained: [[[\n');
}

describe('check on hostile files', () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-hostile-'));
    writeHostileTree(dir);
  });

  it('exits 0 or 1 with valid SARIF (a hang is killed by the spawn timeout and fails)', () => {
    const r = spawnSync(process.execPath, [bin, 'check', '--format', 'sarif', dir], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 << 20,
    });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status} signal ${r.signal}: ${r.stderr.slice(0, 2000)}`);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] =
      sarif.runs[0].results;
    const rulesFor = (name: string) =>
      results
        .filter((x) => x.locations[0].physicalLocation.artifactLocation.uri.endsWith(`/${name}`))
        .map((x) => x.ruleId);
    assert.ok(rulesFor('binary.sh').includes('input-limit'), 'binary file is reported');
    assert.ok(rulesFor('huge.sh').includes('input-limit'), 'oversized file is reported');
    assert.ok(
      rulesFor('laughs.yaml').includes('input-limit'),
      `alias expansion is reported: ${rulesFor('laughs.yaml')}`,
    );
    assert.ok(
      rulesFor('a.yaml').includes('include-cycle') || rulesFor('b.yaml').includes('include-cycle'),
      'include cycle',
    );
    assert.ok(rulesFor('half.sh').includes('model-args-syntax'), `half-typed model_args: ${rulesFor('half.sh')}`);
  });
});
