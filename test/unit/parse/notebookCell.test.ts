import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findInvocations } from '../../../server/src/parse/invocations';

describe('VS Code notebook cell documents', () => {
  it('reads `!lm_eval` lines of a cell as shell, with ranges in the cell text', () => {
    const text =
      'import os\n!lm_eval --model vllm \\\n  --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float --tasks mmlu\n';
    const [inv] = findInvocations(text, { path: '/nb/seed.ipynb#W1sZmlsZQ', languageId: 'python', notebookCell: true });
    assert.equal(inv?.model?.value, 'vllm');
    const dtype = inv.modelArgs!.args.find((a) => a.key === 'dtype')!;
    assert.equal(text.slice(dtype.range.start, dtype.range.end), 'dtype=float');
  });
  it('reads a simple_evaluate call in a cell', () => {
    const text = 'lm_eval.simple_evaluate(model="vllm", model_args="pretrained=x,dtype=float")\n';
    assert.equal(findInvocations(text, { path: '/nb/a.ipynb', languageId: 'python', notebookCell: true }).length, 1);
  });
});
