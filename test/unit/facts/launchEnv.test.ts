// What the script exports reaches the memory estimate through its `env` input, and a `vllm serve`
// launch is estimated as the server builds its engine (entrypoint `serve`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { testContext } from '../../helpers/context';

const ctx = testContext();
const launches = (text: string) => analyzeDocument({ path: '/w/run.sh', text }, ctx).launches;
const model = 'Qwen/Qwen2.5-7B-Instruct';

describe('environment and entrypoint reach the estimate', () => {
  it('an exported VLLM_USE_V1=0 keeps the V0 engine on 0.8.5; an unexported one does not reach vLLM', () => {
    const exported = launches(
      `# lm-eval-lens: vllm=0.8.5\nexport VLLM_USE_V1=0\nlm_eval --model vllm --model_args pretrained=${model}`,
    );
    assert.equal(exported[0].estimate?.effective.engine, 'V0');
    assert.equal(exported[0].env.VLLM_USE_V1, '0');
    const plain = launches(
      `# lm-eval-lens: vllm=0.8.5\nVLLM_USE_V1=0\nlm_eval --model vllm --model_args pretrained=${model}`,
    );
    assert.equal(plain[0].estimate?.effective.engine, 'V1');
    const inline = launches(
      `# lm-eval-lens: vllm=0.8.5\nVLLM_USE_V1=0 lm_eval --model vllm --model_args pretrained=${model}`,
    );
    assert.equal(inline[0].estimate?.effective.engine, 'V0');
  });

  it('PYTORCH_CUDA_ALLOC_CONF and VLLM_PP_LAYER_PARTITION exported in the script are in the launch env', () => {
    const [l] = launches(
      `export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True\nexport VLLM_PP_LAYER_PARTITION=16,16\nRUN_ID=7\nlm_eval --model vllm --model_args pretrained=${model}`,
    );
    assert.deepEqual(l.env, { PYTORCH_CUDA_ALLOC_CONF: 'expandable_segments:True', VLLM_PP_LAYER_PARTITION: '16,16' });
  });

  it('vllm serve is estimated with the server entrypoint (its own batch defaults)', () => {
    const [run, serve] = launches(`lm_eval --model vllm --model_args pretrained=${model}\nvllm serve ${model}`);
    assert.equal(serve.isServe, true);
    assert.ok(run.estimate && serve.estimate);
    assert.notEqual(serve.estimate.effective.maxNumBatchedTokens, run.estimate.effective.maxNumBatchedTokens);
  });
});
