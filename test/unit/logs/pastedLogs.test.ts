// Logs as people paste them into issues: tracebacks without their header, lines a terminal wrapped
// at its width (the remainder without the rank label), messages cut mid-word, a bare exception line,
// and the figures that mean a failure before vLLM's message says so (`# GPU blocks: 0`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseLog } from '../../../server/src/logs/diagnose';
import { readLogText } from '../../../server/src/logs/reader';
import { testProviders } from '../../helpers/context';

const diagnose = (lines: string[]) => diagnoseLog(readLogText(lines.join('\n')), testProviders());

describe('tracebacks without their header', () => {
  it('count the frames before the exception line', () => {
    const facts = readLogText(
      [
        '[rank0]:   File ".../vllm/model_executor/layers/sampler.py", line 904, in get_logprobs',
        '[rank0]:     logprobs[query_indices_gpu],',
        '[rank0]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 7.04 GiB. GPU 0 has a total capacity of 79.19 GiB of which 7.02 GiB is free.',
      ].join('\n'),
    );
    assert.equal(facts.failures.length, 1);
    assert.deepEqual(facts.failures[0].frames, ['model_executor/layers/sampler.py:get_logprobs']);
    assert.equal(diagnoseLog(facts, testProviders()).code, 'logprobs-spike');
  });
  it('a frame of one rank does not lend its step to another rank', () => {
    const facts = readLogText(
      [
        '(VllmWorkerProcess pid=1) ERROR 01-01 00:00:00 x.py:1]   File "/x/vllm/worker/model_runner.py", line 1, in capture_model',
        '[rank0]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.00 GiB. GPU 0 has a total capacity of 79.19 GiB of which 0.50 GiB is free.',
      ].join('\n'),
    );
    assert.deepEqual(facts.failures[0].frames, []);
  });
});

describe('an exception line on its own', () => {
  it('fails the run when a rank or an error-level logger printed it', () => {
    for (const line of [
      '(EngineCore pid=316) ValueError: something unexpected happened in the engine',
      'ERROR 06-30 13:53:19 [core.py:515] RuntimeError: something unexpected',
    ]) {
      const d = diagnose([line]);
      assert.equal(d.status, 'failed', line);
      assert.equal(d.code, 'run-failure', line);
      assert.equal(d.failure?.kind, 'python-exception');
    }
  });
  it('is not a failure in an INFO or WARNING line, nor as bare text outside a vLLM log', () => {
    assert.equal(readLogText('WARNING 06-30 13:53:19 [x.py:1] ValueError: retrying').failures.length, 0);
    assert.equal(readLogText('ValueError: a line of prose').failures.length, 0);
  });
});

describe('lines a terminal wrapped', () => {
  // intel-arc-pro-b70-inference-cookbook#4, as pasted: the remainders carry no "(EngineCore pid=316)".
  const wrapped = [
    '(EngineCore pid=316)   File "/opt/venv/lib/python3.12/site-packages/vllm/v1/engine/core.py", line 305, in _initialize_k',
    'v_caches',
    '(EngineCore pid=316)     kv_cache_configs = get_kv_cache_configs(',
    '(EngineCore pid=316)   File "/opt/venv/lib/python3.12/site-packages/vllm/v1/core/kv_cache_utils.py", line 758, in _chec',
    'k_enough_kv_cache_memory',
    '(EngineCore pid=316)     raise ValueError(',
    "(EngineCore pid=316) ValueError: To serve at least one request with the model's max seq len (100000), (4.26 GiB KV cach",
    'e is needed, which is larger than the available KV cache memory (4.25 GiB). Based on the avai',
  ];
  it('join a function name cut in two', () => {
    const f = readLogText(wrapped.join('\n')).failures[0];
    assert.deepEqual(f.frames, [
      'v1/engine/core.py:_initialize_kv_caches',
      'v1/core/kv_cache_utils.py:_check_enough_kv_cache_memory',
    ]);
  });
  it('join the message and read its numbers from the whole', () => {
    const d = diagnose(wrapped);
    assert.equal(d.status, 'failed');
    assert.equal(d.code, 'kv-cache-too-small');
    assert.equal(d.failure?.line, 6);
    assert.deepEqual(d.failure?.numbers, { maxSeqLen: 100000, neededKvGiB: 4.26, availableKvGiB: 4.25 });
    // vLLM's estimate was cut off: the length is scaled by available ÷ needed, below 100000.
    const len = d.fixes[0]?.changes.find((c) => c.key === 'max_model_len')?.value;
    assert.ok(typeof len === 'number' && len < 100000 && len > 95000, String(len));
  });
  it('a message cut before its numbers still names its kind, with the numbers it kept', () => {
    const f = readLogText(wrapped.slice(6, 7).join('\n')).failures[0];
    assert.equal(f.kind, 'max-seq-len-exceeds-kv');
    assert.deepEqual(f.numbers, { maxSeqLen: 100000, neededKvGiB: 4.26 });
  });
  it('a wrap that broke at a space keeps the space', () => {
    const f = readLogText(
      [
        '(EngineCore_0 pid=9) ValueError: Free memory on device (7.34/139.72 GiB) on startup is less than desired GPU ',
        'memory utilization (0.9, 125.75 GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes.',
      ].join('\n'),
    ).failures[0];
    assert.equal(f.kind, 'free-memory-check');
    assert.equal(f.numbers.requestedGiB, 125.75);
  });
  it('an indented source line, a new traceback or a complete message are not remainders', () => {
    const facts = readLogText(
      [
        'Traceback (most recent call last):',
        '  File "/x/vllm/worker/worker.py", line 1, in determine_num_available_blocks',
        '    self.model_runner.profile_run()',
        'RuntimeError: NCCL error: unhandled system error',
        'Processed prompts: 100%|####| 448/448',
      ].join('\n'),
    );
    assert.deepEqual(facts.failures[0].frames, ['vllm/worker/worker.py:determine_num_available_blocks']);
    assert.equal(facts.failures[0].message, 'RuntimeError: NCCL error: unhandled system error');
    const labelled = readLogText(
      [
        '(EngineCore_0 pid=9) ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.',
        'Loading safetensors checkpoint shards: 100% Completed | 4/4',
      ].join('\n'),
    );
    assert.match(labelled.failures[0].message, /engine\.$/);
    assert.equal(labelled.milestones.weightsLoading, 1);
  });
  it('a PyTorch OOM cut after its first numbers keeps them', () => {
    const n = readLogText(
      '[rank0]: torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 584.00 MiB. GPU ',
    ).failures[0].numbers;
    assert.deepEqual(n, { triedGiB: 584 / 1024 });
  });
});

describe('figures that mean no KV cache', () => {
  it('"# GPU blocks: 0" fails the run, and vLLM\'s message after it is the same failure', () => {
    const blocks = 'INFO 04-27 10:13:05 llm_engine.py:275] # GPU blocks: 0, # CPU blocks: 256';
    const alone = diagnose([blocks]);
    assert.equal(alone.status, 'failed');
    assert.equal(alone.code, 'weights-exceed-budget');
    assert.equal(alone.failure?.figure, true);
    const withMessage = readLogText(
      [
        blocks,
        'Traceback (most recent call last):',
        '  File "/x/vllm/engine/llm_engine.py", line 1, in _init_cache',
        'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.',
      ].join('\n'),
    );
    assert.equal(withMessage.failures.length, 1);
    assert.equal(withMessage.failures[0].line, 3);
    assert.equal(withMessage.failures[0].figure, undefined);
    assert.deepEqual(withMessage.failures[0].frames, ['vllm/engine/llm_engine.py:_init_cache']);
  });
  it('negative KV memory and a KV cache of 0 tokens fail; a positive one does not', () => {
    for (const line of [
      '(EngineCore_0 pid=5839) INFO 08-20 18:04:22 [gpu_worker.py:276] Available KV cache memory: -2.14 GiB',
      'INFO 02-26 10:02:30 worker.py:267] model weights take 5.20GiB; non_torch_memory takes 0.03GiB; PyTorch activation peak memory takes 1.42GiB; the rest of the memory reserved for KV Cache is -1.05GiB.',
      '(EngineCore_0 pid=1) INFO 08-19 14:58:40 [kv_cache_utils.py:849] GPU KV cache size: 0 tokens',
      '# cuda blocks: 0',
    ])
      assert.equal(readLogText(line).failures[0]?.kind, 'no-kv-memory', line);
    assert.equal(
      readLogText('Available KV cache memory: 112.61 GiB\n# GPU blocks: 1478, # CPU blocks: 2048').failures.length,
      0,
    );
  });
});

describe('fixes say where gpu_memory_utilization came from', () => {
  const oom =
    '[rank0]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 7.04 GiB. GPU 0 has a total capacity of 79.19 GiB of which 7.02 GiB is free.';
  it('the default, named by release, when the log does not show it', () => {
    const d = diagnose([oom]);
    assert.match(
      d.fixes[0].title,
      /from 0\.9, not in the log: the default of vLLM 0\.6\.6, version assumed; if yours differs, lower it by 0\.03/,
    );
  });
  it('the logged value and its line when it does', () => {
    const d = diagnose([
      "2025-03-09:14:20:15,402 INFO     [evaluator.py:201] Initializing vllm model, with arguments: {'pretrained': 'x/y', 'gpu_memory_utilization': 0.8}",
      oom,
    ]);
    const util = d.fixes[0].changes.find((c) => c.key === 'gpu_memory_utilization')?.value;
    assert.ok(typeof util === 'number' && util < 0.8, String(util));
    assert.match(d.fixes[0].title, /from 0\.8, logged on line 1\)$/);
  });
});

describe('fixes for the cache blocks and for memory held by other processes', () => {
  it('no memory for the cache blocks raises gpu_memory_utilization, never lowers it', () => {
    const d = diagnose([
      'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.',
    ]);
    assert.equal(d.code, 'weights-exceed-budget');
    const util = d.fixes[0].changes.find((c) => c.key === 'gpu_memory_utilization')?.value;
    assert.ok(typeof util === 'number' && util > 0.9, String(util));
    assert.ok(
      d.fixes.every((f) => f.changes.every((c) => c.key !== 'gpu_memory_utilization' || Number(c.value) > 0.9)),
    );
    assert.ok(d.fixes.some((f) => /precedes the KV cache/.test(f.title)));
  });
  it('a V0 OOM while allocating the KV cache is memory other processes hold', () => {
    const d = diagnose([
      '[rank0]:   File "/usr/local/lib/python3.10/dist-packages/vllm/worker/cache_engine.py", line 64, in _allocate_kv_cache',
      '[rank0]:     torch.empty(kv_cache_shape,',
      '[rank0]: torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 584.00 MiB. GPU ',
    ]);
    assert.equal(d.phase, 'kv-allocation');
    assert.equal(d.code, 'gpu-memory-in-use');
    assert.match(d.cause, /without subtracting what other processes hold/);
    assert.match(d.fixes[0].title, /^Free the GPU/);
    assert.equal(d.fixedModelArgs, undefined, 'advice changes no setting');
  });
  it('a GPU others mostly hold: free it first; a GPU they hold a little of: lower the budget first', () => {
    const check = (free: number, total: number, util: number) =>
      diagnose([
        `(EngineCore_0 pid=1) ValueError: Free memory on device (${free}/${total} GiB) on startup is less than desired GPU memory utilization (${util}, ${(util * total).toFixed(2)} GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes.`,
      ]);
    const mostly = check(7.34, 139.72, 0.9);
    assert.match(mostly.fixes[0].title, /^Free the GPU: other processes hold 132\.38 of 139\.72 GiB/);
    const little = check(31.44, 47.38, 0.95);
    assert.deepEqual(little.fixes[0].changes, [{ key: 'gpu_memory_utilization', value: 0.65 }]);
    assert.match(little.fixes[0].title, /from 0\.95, logged on line 1/);
    assert.ok(little.fixes.some((f) => /^Free the GPU/.test(f.title)));
  });
});

describe("a worker's failure as vLLM's wrapper logs it", () => {
  const capture = 'INFO 03-27 10:29:03 [model_runner.py:1442] Capturing cudagraphs for decoding.';
  const util = (u: number) =>
    `INFO 03-27 10:29:01 [worker.py:267] the current vLLM instance can use total_gpu_memory (44.53GiB) x gpu_memory_utilization (${u}) = 43.64GiB`;
  it('fails the run and names the step from the method, with or without its traceback', () => {
    const d = diagnose([
      util(0.9),
      "(RayWorkerWrapper pid=26938, ip=10.174.30.223) ERROR 03-06 09:35:19 worker_base.py:572] Error executing method 'determine_num_available_blocks'. This might cause deadlock in distributed execution.",
    ]);
    assert.equal(d.status, 'failed');
    assert.equal(d.failure?.kind, 'worker-error');
    assert.equal(d.phase, 'profile-run');
    assert.equal(d.code, 'run-failure');
    assert.match(d.cause, /worker failed in determine_num_available_blocks in vLLM's profile run/);
    const mp = diagnose([
      capture,
      '(VllmWorkerProcess pid=7) ERROR 09-01 10:00:00 multiproc_worker_utils.py:226] Exception in worker VllmWorkerProcess while processing method initialize_cache.',
    ]);
    assert.equal(mp.phase, 'graph-capture', 'V0 initialize_cache captures the graphs after the KV cache');
  });
  it('the exception after it, when logged, is the root failure', () => {
    const d = diagnose([
      "(RayWorkerWrapper pid=1) ERROR 03-27 10:29:13 [worker_base.py:620] Error executing method 'capture_model'. This might cause deadlock in distributed execution.",
      '(RayWorkerWrapper pid=1) ERROR 03-27 10:29:13 [worker_base.py:620] Traceback (most recent call last):',
      '(RayWorkerWrapper pid=1) ERROR 03-27 10:29:13 [worker_base.py:620]   File "/x/vllm/worker/model_runner.py", line 1, in capture_model',
      '(RayWorkerWrapper pid=1) ERROR 03-27 10:29:13 [worker_base.py:620] RuntimeError: some other problem',
    ]);
    assert.equal(d.failure?.kind, 'python-exception');
    assert.equal(d.code, 'run-failure');
  });
  it('in graph capture at a budget of 0.95 or more, most likely the graphs did not fit outside it', () => {
    const failed = "ERROR 03-27 10:29:13 [worker_base.py:620] Error executing method 'capture_model'.";
    assert.equal(diagnose([capture, util(0.98), failed]).code, 'cuda-graph-headroom');
    assert.equal(diagnose([capture, util(0.9), failed]).code, 'run-failure');
  });
  it('a line cut inside "method" still fails the run; the words outside a vLLM log do not', () => {
    assert.equal(diagnose(['ERROR 03-27 10:29:13 [worker_base.py:620] Error executing metho']).status, 'failed');
    assert.equal(readLogText('Error executing method foo in my own script').failures.length, 0);
  });
});

describe("IPython's and Jupyter's tracebacks", () => {
  it('count "File ~/….py:N, in Class.func(…)" frames and skip their numbered source lines', () => {
    const facts = readLogText(
      [
        'OutOfMemoryError                          Traceback (most recent call last)',
        'Cell In[5], line 3',
        '      1 from vllm import LLM',
        '----> 3 llm = LLM(model="Qwen/Qwen1.5-32B-Chat-GPTQ-Int4", gpu_memory_utilization=0.9)',
        'File /opt/conda/lib/python3.11/site-packages/vllm/worker/model_runner.py:1100, in GPUModelRunner.profile_run(self)',
        '   1099 # the error message mentions CUDA out of memory and is not one',
        '-> 1100 self.execute_model(model_input, kv_caches, intermediate_tensors)',
        'OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU',
      ].join('\n'),
    );
    assert.equal(facts.failures.length, 1);
    assert.deepEqual(facts.failures[0].frames, ['<cell In[5]>:<module>', 'vllm/worker/model_runner.py:profile_run']);
    assert.equal(diagnoseLog(facts, testProviders()).phase, 'profile-run');
  });
  it('read the older forms: "Input In [5], in <cell line: 3>()" and IPython 7\'s "path.py in func(…)"', () => {
    const facts = readLogText(
      [
        'Input In [5], in <cell line: 3>()',
        '~/envs/x/lib/python3.9/site-packages/vllm/worker/cache_engine.py in _allocate_kv_cache(self, num_blocks, device)',
        '---> 64 torch.empty(kv_cache_shape,',
        'OutOfMemoryError: CUDA out of memory. Tried to allocate 642.00 MiB. GPU',
      ].join('\n'),
    );
    assert.deepEqual(facts.failures[0].frames, [
      '<cell In[5]>:<module>',
      'vllm/worker/cache_engine.py:_allocate_kv_cache',
    ]);
  });
  it('a numbered line outside an IPython traceback is read as usual', () => {
    assert.equal(readLogText('12 RuntimeError: CUDA out of memory. Tried to allocate 1.00 GiB.').failures.length, 1);
  });
});

describe('a max-seq-len refusal cut before what the KV cache holds', () => {
  it('names the knobs (lower max_model_len, raise gpu_memory_utilization) and says the figure is cut', () => {
    for (const line of [
      "ERROR 05-01 10:00:00 [core.py:1] ValueError: To serve at least one request with the model's max seq len (32768), (6.00 GiB KV cach",
      "ERROR 05-01 10:00:00 engine.py:1] ValueError: The model's max seq len (32768) is larger than the maximum number of tokens that can be st",
    ]) {
      const d = diagnose([line]);
      assert.equal(d.code, 'kv-cache-too-small', line);
      assert.match(
        d.fixes[0]?.title ?? '',
        /^Lower max_model_len below 32768 or raise gpu_memory_utilization: the log is cut/,
      );
      assert.match(d.cause, /cut before its size/);
    }
  });
  it('with the figure, the fix is a value read off it', () => {
    const d = diagnose([
      "ERROR 05-01 10:00:00 [core.py:1] ValueError: To serve at least one request with the model's max seq len (32768), (6.00 GiB KV cache is needed, which is larger than the available KV cache memory (3.00 GiB). Based on the available memory, the estimated maximum model length is 16384.",
    ]);
    assert.equal(d.fixes[0]?.changes[0]?.key, 'max_model_len');
    assert.doesNotMatch(d.cause, /cut before/);
  });
});
