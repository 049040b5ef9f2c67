// A launch's backend is the `--model` name, never source text (QA D13): a Python model object is
// its class's registered name (HFLM -> hf), and an expression the file does not determine is
// unknown ('' in the facts, null in `check --format json`), not the expression itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { testContext } from '../../helpers/context';

const backends = (path: string, text: string) =>
  analyzeDocument({ path, text }, testContext()).launches.map((l) => l.backend);

describe('launch backend', () => {
  it('Python: a string, a model object by its class, or unknown', () => {
    const text = [
      'import lm_eval',
      'from lm_eval.models.huggingface import HFLM',
      'lm = HFLM(pretrained="Qwen/Qwen2.5-7B-Instruct")',
      'lm_eval.simple_evaluate(model="vllm", model_args="pretrained=Qwen/Qwen2.5-7B-Instruct", tasks=["gsm8k"])',
      'lm_eval.simple_evaluate(model=lm, tasks=["gsm8k"])',
      'lm_eval.simple_evaluate(model=lm_eval.models.huggingface.HFLM(pretrained="x"), tasks=["gsm8k"])',
      'lm_eval.simple_evaluate(model="hf" if not args.mllm else "hf-multimodal", tasks=["gsm8k"])',
      'lm_eval.simple_evaluate(model=cfg["model"], tasks=["gsm8k"])',
      'lm_eval.simple_evaluate(model=MyLM(), tasks=["gsm8k"])',
      '',
    ].join('\n');
    assert.deepEqual(backends('/w/eval.py', text), ['vllm', 'hf', 'hf', '', '', '']);
  });

  it("shell: --model $BACKEND is unknown, no --model is lm-eval's default hf", () => {
    assert.deepEqual(backends('/w/run.sh', 'lm_eval --model $BACKEND --tasks gsm8k\nlm_eval --tasks gsm8k\n'), [
      '',
      'hf',
    ]);
  });
});
