// float32-weights is judged once, by the memory model (memory/startup.ts float32WeightsReason):
// with a catalog model the estimate carries the reason; with a model the catalog does not know,
// the rule asks the same judge, whose details then leave out the size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { testContext } from '../../helpers/context';

const run = (pretrained: string, dtype: string) =>
  `lm_eval --model vllm --model_args pretrained=${pretrained},dtype=${dtype} --tasks gsm8k\n`;
const find = (text: string) =>
  analyzeDocument({ path: '/w/run.sh', text }, testContext()).findings.find((x) => x.code === 'float32-weights');

describe('float32-weights', () => {
  it('a catalog model: the estimate names the weights per GPU, and the range is the dtype pair', () => {
    const text = run('Qwen/Qwen1.5-4B', 'float32');
    const f = find(text);
    assert.ok(f);
    assert.equal(text.slice(f.range.start, f.range.end), 'dtype=float32');
    assert.equal(f.message, 'dtype=float32 loads the weights in float32, doubling their memory; use dtype=auto.');
    assert.match(f.details?.[0] ?? '', /^14\.7 GiB of weights per GPU instead of about 7\.4 GiB; activations/);
  });

  it('a model outside the catalog: the same judge decides, the details have no size', () => {
    const f = find(run('my-org/unreleased-model', 'fp32'));
    assert.ok(f);
    assert.equal(f.message, 'dtype=fp32 loads the weights in float32, doubling their memory; use dtype=auto.');
    assert.deepEqual(f.details, ['Activations and the KV cache (with kv_cache_dtype=auto) double too.']);
  });

  it('stays silent for half precision and for another backend', () => {
    assert.equal(find(run('Qwen/Qwen1.5-4B', 'bfloat16')), undefined);
    assert.equal(find(run('my-org/unreleased-model', 'auto')), undefined);
    assert.equal(
      find('lm_eval --model hf --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float32 --tasks gsm8k\n'),
      undefined,
    );
  });
});
