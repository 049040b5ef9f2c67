// The fixed --model_args `explain` prints keep what the user set: their command, lm-eval's printed
// arguments, the `LLM(...)` call a traceback quotes, else what vLLM's engine config shows no default
// gives (a bnb checkpoint's quantization and load format, a shortened max_model_len). Dropping one
// makes the "fixed" command fail again (a bnb checkpoint loaded as bf16, a longer max_model_len).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseLog } from '../../../server/src/logs/diagnose';
import { readLogText } from '../../../server/src/logs/reader';
import { testProviders } from '../../helpers/context';

const banner = (model: string, rest: string) =>
  `INFO 02-26 10:02:14 llm_engine.py:232] Initializing a V0 LLM engine (v0.7.3) with config: model='${model}', speculative_config=None, tokenizer='${model}', skip_tokenizer_init=False, tokenizer_mode=auto, revision=None, trust_remote_code=False, ${rest}, device_config=cuda, seed=0`;
const figures = [
  'INFO 02-26 10:02:27 model_runner.py:1115] Loading model weights took 5.2032 GB',
  'INFO 02-26 10:02:30 worker.py:267] the current vLLM instance can use total_gpu_memory (8.00GiB) x gpu_memory_utilization (0.70) = 5.60GiB',
  'INFO 02-26 10:02:30 worker.py:267] model weights take 5.20GiB; non_torch_memory takes 0.03GiB; PyTorch activation peak memory takes 1.42GiB; the rest of the memory reserved for KV Cache is -1.05GiB.',
  'INFO 02-26 10:02:30 executor_base.py:110] # cuda blocks: 0',
];
const refusal =
  'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.';
const bnb =
  'dtype=torch.bfloat16, max_seq_len=4096, download_dir=None, load_format=LoadFormat.BITSANDBYTES, tensor_parallel_size=1, pipeline_parallel_size=1, quantization=bitsandbytes, enforce_eager=False, kv_cache_dtype=auto';

const diagnose = (lines: string[]) => diagnoseLog(readLogText(lines.join('\n')), testProviders());

describe('the fixed --model_args of a log that shows no command', () => {
  it("start from the user's LLM(...) call a traceback quotes: their keys, their order", () => {
    const d = diagnose([
      banner('/models/Qwen2.5-7B-Instruct-bnb-4bit', bnb),
      ...figures,
      'Traceback (most recent call last):',
      '  File "/home/user/serve.py", line 6, in <module>',
      '    llm = LLM(model="/models/Qwen2.5-7B-Instruct-bnb-4bit", quantization="bitsandbytes", load_format="bitsandbytes", gpu_memory_utilization=0.7, max_model_len=args.len, **extra)',
      '  File "/x/vllm/worker/worker.py", line 523, in raise_if_cache_size_invalid',
      '    raise ValueError("No available memory for the cache blocks. "',
      refusal,
    ]);
    assert.equal(d.fixedModelArgsFrom, 'call');
    assert.match(
      d.fixedModelArgs ?? '',
      // max_model_len=args.len: the value vLLM's engine config logged.
      /^pretrained=\/models\/Qwen2\.5-7B-Instruct-bnb-4bit,quantization=bitsandbytes,load_format=bitsandbytes,gpu_memory_utilization=0\.\d+,max_model_len=4096$/,
    );
  });

  it("else rebuild them from the engine config's values no default gives", () => {
    const d = diagnose([banner('/models/Qwen2.5-7B-Instruct-bnb-4bit', bnb), ...figures, refusal]);
    assert.equal(d.fixedModelArgsFrom, 'engine-config');
    const args = d.fixedModelArgs ?? '';
    for (const kept of ['quantization=bitsandbytes', 'load_format=bitsandbytes', 'max_model_len=4096'])
      assert.ok(args.includes(kept), `${kept} in ${args}`);
    // vLLM's defaults as its config prints them are not the user's settings.
    for (const dropped of ['tensor_parallel_size', 'enforce_eager', 'kv_cache_dtype', 'dtype', 'trust_remote_code'])
      assert.ok(!args.includes(`${dropped}=`), `${dropped} not in ${args}`);
  });

  it('a max_model_len equal to the one vLLM derives from a known model is not repeated', () => {
    const model = 'Qwen/Qwen1.5-4B';
    const derived = diagnose([
      banner(
        model,
        'dtype=torch.bfloat16, max_seq_len=32768, load_format=LoadFormat.AUTO, tensor_parallel_size=1, pipeline_parallel_size=2',
      ),
      ...figures,
      refusal,
    ]).fixedModelArgs;
    assert.ok(derived && !derived.includes('max_model_len'), derived);
    assert.ok(derived.includes('pipeline_parallel_size=2'), `a pipeline_parallel_size above 1 is chosen: ${derived}`);
    const shortened = diagnose([
      banner(model, 'dtype=torch.float32, max_seq_len=2048, load_format=LoadFormat.AUTO, tensor_parallel_size=1'),
      ...figures,
      refusal,
    ]).fixedModelArgs;
    // dtype=float32 is the user's (no default gives it); here the fix itself changes it.
    assert.match(shortened ?? '', /max_model_len=2048,dtype=/);
  });
});
