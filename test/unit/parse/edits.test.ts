// Quick-fix edits in the user's own style: after applying one, parsing the document again must give
// exactly the intended args, in every embedding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatArgValue, insertModelArg, removeModelArg, replaceModelArgValue } from '../../../server/src/parse/edits';
import { findInvocations } from '../../../server/src/parse/invocations';
import type { ArgValue, LmEvalInvocation } from '../../../server/src/parse/types';
import { readFixture } from '../../helpers/paths';
import { applyEdit, SEED_ARGS } from './seedHelpers';

interface Case {
  name: string;
  path: string;
  text: string;
}

const fixtures = [
  'seed.sh',
  'seed.slurm',
  'seed_string.py',
  'seed_dict.py',
  'seed-mapping.yaml',
  'seed-string.yaml',
  'seed-folded.yaml',
  'launch.json',
  'seed.ipynb',
  'seed.md',
];
const cases: Case[] = fixtures.map((f) => ({ name: f, path: `/ws/${f}`, text: readFixture('parse', 'seed', f) }));
cases.push(
  {
    name: 'shell JSON in single quotes',
    path: '/ws/j.sh',
    text: `lm_eval --model vllm --model_args '{"pretrained": "Qwen/Qwen1.5-4B", "dtype": "float", "gpu_memory_utilization": 0.6, "max_model_len": 1024}' --tasks mmlu --batch_size auto\n`,
  },
  {
    name: 'YAML flow mapping',
    path: '/ws/f.yaml',
    text: 'model: vllm\nmodel_args: {pretrained: Qwen/Qwen1.5-4B, dtype: float, gpu_memory_utilization: 0.6, max_model_len: 1024}\ntasks: mmlu\nbatch_size: auto\n',
  },
  {
    name: 'YAML single-quoted string',
    path: '/ws/s.yaml',
    text: "model: vllm\nmodel_args: 'pretrained=Qwen/Qwen1.5-4B,dtype=float,gpu_memory_utilization=0.6,max_model_len=1024'\ntasks: mmlu\nbatch_size: auto\n",
  },
  {
    name: 'Python dict() call',
    path: '/ws/d.py',
    text: 'simple_evaluate(model="vllm", model_args=dict(pretrained="Qwen/Qwen1.5-4B", dtype="float", gpu_memory_utilization=0.6, max_model_len=1024), tasks=["mmlu"], batch_size="auto")\n',
  },
  {
    name: 'os.system string in Python',
    path: '/ws/o.py',
    text: 'import os\nos.system("lm_eval --model vllm --model_args \\"pretrained=Qwen/Qwen1.5-4B,dtype=float,gpu_memory_utilization=0.6,max_model_len=1024\\" --tasks mmlu --batch_size auto")\n',
  },
);

function parse(c: Case, text: string): LmEvalInvocation[] {
  return findInvocations(text, { path: c.path });
}

function argsOf(inv: LmEvalInvocation): Array<[string, ArgValue]> {
  return inv.modelArgs!.args.map((a) => [a.key, a.value]);
}

describe('edits round-trip in every embedding', () => {
  for (const c of cases) {
    const before = parse(c, c.text);
    it(`${c.name}: parses the seed`, () => {
      assert.ok(before.length >= 1);
      for (const inv of before) assert.deepEqual(argsOf(inv), SEED_ARGS);
    });
    before.forEach((inv, idx) => {
      const block = inv.modelArgs!;
      const again = (edited: string) => {
        const invs = parse(c, edited);
        assert.equal(invs.length, before.length, `invocations after the edit:\n${edited}`);
        assert.deepEqual(invs[idx].modelArgs!.problems, [], `problems after the edit:\n${edited}`);
        return argsOf(invs[idx]);
      };
      it(`${c.name}#${idx}: insert enforce_eager=true`, () => {
        const e = insertModelArg(block, 'enforce_eager', true)!;
        assert.deepEqual(again(applyEdit(c.text, e)), [...SEED_ARGS, ['enforce_eager', true]]);
      });
      it(`${c.name}#${idx}: insert a string value that needs host escaping`, () => {
        const e = insertModelArg(block, 'think_end_token', "</think> it's")!;
        const got = again(applyEdit(c.text, e));
        assert.deepEqual(got[got.length - 1], ['think_end_token', "</think> it's"]);
      });
      it(`${c.name}#${idx}: replace gpu_memory_utilization`, () => {
        const arg = block.args.find((a) => a.key === 'gpu_memory_utilization')!;
        const e = replaceModelArgValue(block, arg, 0.45)!;
        assert.deepEqual(
          again(applyEdit(c.text, e)),
          SEED_ARGS.map(([k, v]) => [k, k === 'gpu_memory_utilization' ? 0.45 : v]),
        );
      });
      for (const key of ['pretrained', 'dtype', 'max_model_len']) {
        it(`${c.name}#${idx}: remove ${key}`, () => {
          const arg = block.args.find((a) => a.key === key)!;
          const e = removeModelArg(block, arg)!;
          assert.deepEqual(
            again(applyEdit(c.text, e)),
            SEED_ARGS.filter(([k]) => k !== key),
          );
        });
      }
    });
  }
});

describe('formatArgValue', () => {
  it('writes booleans the way each syntax does', () => {
    const inv = (f: string) => findInvocations(readFixture('parse', 'seed', f), { path: f })[0].modelArgs!;
    assert.equal(formatArgValue(inv('seed.sh'), true), 'True');
    assert.equal(formatArgValue(inv('seed_dict.py'), false), 'False');
    assert.equal(formatArgValue(inv('seed-mapping.yaml'), true), 'true');
    assert.equal(formatArgValue(inv('seed-mapping.yaml'), 'yes'), '"yes"');
    assert.equal(formatArgValue(inv('seed_dict.py'), 'x'), "'x'");
  });
});
