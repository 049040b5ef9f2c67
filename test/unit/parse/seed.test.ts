// The seed configuration (lm-eval #1923) in every embedding: same args, exact ranges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findInvocations } from '../../../server/src/parse/invocations';
import { readFixture } from '../../helpers/paths';
import { assertSeedArgs } from './seedHelpers';

function single(file: string, expected = 1) {
  const text = readFixture('parse', 'seed', file);
  const invs = findInvocations(text, { path: `/ws/${file}` });
  assert.equal(invs.length, expected, `${file}: ${invs.length} invocations`);
  return { text, invs };
}

describe('seed configuration in every embedding', () => {
  it('shell script with quotes and a continuation inside the value', () => {
    const { text, invs } = single('seed.sh');
    assertSeedArgs(text, invs[0]);
    const block = invs[0].modelArgs!;
    assert.equal(invs[0].embedding, 'shell');
    // The value as written spans both quoted parts and the continuation.
    assert.equal(
      text.slice(block.range.start, block.range.end),
      `"pretrained=Qwen/Qwen1.5-4B,dtype=float,"'gpu_memory_utilization=0.6'\\\n,max_model_len=1024`,
    );
    const gmu = block.args[2];
    assert.equal(text.slice(gmu.range.start, gmu.range.end), 'gpu_memory_utilization=0.6');
  });

  it('SLURM script: #SBATCH lines are comments, srun is the launcher, ${MODEL} resolves', () => {
    const { text, invs } = single('seed.slurm');
    const inv = invs[0];
    assert.equal(inv.launcher?.value, 'srun --ntasks=1');
    assert.equal(inv.env.CUDA_VISIBLE_DEVICES?.value, '0');
    const pretrained = inv.modelArgs!.args[0];
    // The value comes from the MODEL= line; the pair range stays on the command line.
    assert.equal(text.slice(pretrained.valueRange.start, pretrained.valueRange.end), 'Qwen/Qwen1.5-4B');
    assert.ok(pretrained.valueRange.start < text.indexOf('srun'));
    assert.equal(text.slice(pretrained.range.start, pretrained.range.end), 'pretrained=${MODEL}');
    assert.equal(pretrained.unresolved, undefined);
    assert.deepEqual(inv.modelArgs!.args.map((a) => [a.key, a.value]).slice(1), [
      ['dtype', 'float'],
      ['gpu_memory_utilization', 0.6],
      ['max_model_len', 1024],
    ]);
  });

  it('Python string (python-string dialect)', () => {
    const { text, invs } = single('seed_string.py');
    assertSeedArgs(text, invs[0], { quotedValues: true });
    assert.equal(invs[0].modelArgs!.dialect, 'python-string');
  });

  it('Python dict bound to a name (mapping dialect)', () => {
    const { text, invs } = single('seed_dict.py');
    assertSeedArgs(text, invs[0], { quotedValues: true });
    const block = invs[0].modelArgs!;
    assert.equal(block.dialect, 'mapping');
    assert.deepEqual(block.style, { kind: 'python-dict', keyQuote: "'", separator: ', ' });
  });

  for (const f of ['seed-mapping.yaml', 'seed-string.yaml', 'seed-folded.yaml']) {
    it(`run-config YAML: ${f}`, () => {
      const { text, invs } = single(f);
      assertSeedArgs(text, invs[0]);
      assert.equal(invs[0].embedding, 'run-config');
      assert.equal(invs[0].modelArgs!.dialect, f === 'seed-mapping.yaml' ? 'mapping' : 'python-string');
    });
  }

  it('launch.json (JSONC with comments and trailing commas)', () => {
    const { text, invs } = single('launch.json');
    assertSeedArgs(text, invs[0]);
    assert.equal(invs[0].embedding, 'json');
    assert.equal(invs[0].env.CUDA_VISIBLE_DEVICES?.value, '0');
    assert.equal(invs[0].modelArgs!.hostEscaping, 'json');
  });

  it('notebook: !lm_eval with continuations, a %%bash cell and a Python cell', () => {
    const { text, invs } = single('seed.ipynb', 3);
    for (const inv of invs) {
      assertSeedArgs(text, inv);
      assert.equal(inv.embedding, 'notebook');
    }
    assert.equal(invs[0].env.CUDA_VISIBLE_DEVICES?.value, '0', '%env carries into the command');
    assert.equal(invs[0].modelArgs!.hostEscaping, 'shell-double');
  });

  it('Markdown: bash fence and console fence with a prompt and output', () => {
    const { text, invs } = single('seed.md', 2);
    for (const inv of invs) {
      assertSeedArgs(text, inv);
      assert.equal(inv.embedding, 'markdown');
    }
  });

  it('the examples/ files the extension ships', () => {
    for (const [file, path] of [
      ['seed-qwen1.5-4b.sh', 'examples/seed-qwen1.5-4b.sh'],
      ['seed_simple_evaluate.py', 'examples/seed_simple_evaluate.py'],
      ['seed-run-config.yaml', 'examples/seed-run-config.yaml'],
      ['seed.ipynb', 'examples/seed.ipynb'],
      ['seed-notes.md', 'examples/seed-notes.md'],
    ]) {
      const text = readFixture('..', '..', path);
      const invs = findInvocations(text, { path: file });
      assert.equal(invs.length, 1, file);
      assertSeedArgs(text, invs[0], { quotedValues: file.endsWith('.py') });
    }
  });
});
