// Python: simple_evaluate / evaluate calls, names bound to literals, subprocess and os.system.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPythonInvocations } from '../../../server/src/parse/python';
import { readFixture } from '../../helpers/paths';

const slice = (s: string, r: { start: number; end: number }) => s.slice(r.start, r.end);

describe('findPythonInvocations', () => {
  const text = readFixture('parse', 'hard.py');
  const invs = findPythonInvocations(text);

  it('finds calls and launches, not comments, strings or other evaluate methods', () => {
    assert.deepEqual(
      invs.map((i) => i.embedding),
      ['python', 'python', 'python', 'python', 'shell'],
    );
  });

  it('a name bound to concatenated literals: ranges into the binding', () => {
    const inv = invs[0];
    assert.equal(inv.modelArgs?.dialect, 'python-string');
    const gmu = inv.modelArgs!.args[2];
    assert.equal(slice(text, gmu.range), 'gpu_memory_utilization=0.6');
    assert.equal(inv.env.CUDA_VISIBLE_DEVICES?.value, '0,1');
    assert.deepEqual(
      inv.tasks?.map((t) => slice(text, t.range)),
      ['mmlu', 'gsm8k'],
    );
  });

  it('a dict literal: mapping dialect with key and value ranges; tasks as a comma string', () => {
    const inv = invs[1];
    assert.equal(inv.modelArgs?.dialect, 'mapping');
    assert.deepEqual(
      inv.modelArgs!.args.map((a) => [a.key, a.value, slice(text, a.keyRange), slice(text, a.valueRange)]),
      [
        ['pretrained', 'Qwen/Qwen1.5-4B', '"pretrained"', '"Qwen/Qwen1.5-4B"'],
        ['dtype', 'float', "'dtype'", '"float"'],
        ['max_model_len', 1024, '"max_model_len"', '1024'],
        ['enforce_eager', true, '"enforce_eager"', 'True'],
      ],
    );
    assert.deepEqual(
      inv.tasks?.map((t) => t.name),
      ['mmlu', 'arc_easy'],
    );
    assert.equal(inv.device?.value, 'cuda:0');
  });

  it('an f-string hole makes that arg unresolved, not the others', () => {
    const args = invs[2].modelArgs!.args;
    assert.equal(args[0].unresolved, true);
    assert.equal(args[1].unresolved, undefined);
  });

  it('subprocess argv list with sys.executable, and os.system through the shell reader', () => {
    assert.deepEqual(
      invs[3].modelArgs!.args.map((a) => [a.key, a.value]),
      [
        ['pretrained', 'a'],
        ['max_model_len', 4096],
      ],
    );
    const sys = invs[4];
    assert.deepEqual(
      sys.modelArgs!.args.map((a) => [a.key, slice(text, a.range)]),
      [
        ['pretrained', 'pretrained=b'],
        ['dtype', 'dtype=float'],
      ],
    );
    assert.equal(slice(text, sys.modelArgs!.range), '\\"pretrained=b,dtype=float\\"');
  });

  it('evaluate() needs lm-eval keyword arguments', () => {
    assert.equal(findPythonInvocations('evaluate(x, y)\n').length, 0);
    assert.equal(
      findPythonInvocations(
        'from lm_eval.evaluator import evaluate\nevaluate(model="vllm", model_args="pretrained=a")\n',
      ).length,
      1,
    );
  });
});
