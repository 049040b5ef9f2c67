// The log reader on its own: line splitting as LSP counts lines, the prefixes interleaved ranks and
// wrappers add, the key/value lists vLLM prints, and streaming (any chunking gives the same facts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { cleanLine } from '../../../server/src/logs/cleanLine';
import { parseDictRepr, parseKeyValueList } from '../../../server/src/logs/configLine';
import { LineSplitter } from '../../../server/src/logs/lineSplitter';
import { LogReader, readLogStream, readLogText } from '../../../server/src/logs/reader';
import { fixture } from '../../helpers/paths';
import { diagnoseLog } from '../../../server/src/logs/diagnose';
import { testProviders } from '../../helpers/context';

function split(chunks: string[], max = 16384): [string, number, boolean][] {
  const out: [string, number, boolean][] = [];
  const s = new LineSplitter((t, l, tr) => out.push([t, l, tr]), max);
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

describe('LineSplitter', () => {
  it('ends a line at \\n, \\r\\n and a lone \\r (tqdm), as LSP positions count lines', () => {
    assert.deepEqual(
      split(['a\nb\r\nc\rd']).map(([t, l]) => [t, l]),
      [
        ['a', 0],
        ['b', 1],
        ['c', 2],
        ['d', 3],
      ],
    );
  });
  it('keeps \\r\\n one break when the chunk boundary falls between them', () => {
    assert.deepEqual(
      split(['a\r', '\nb']).map(([t, l]) => [t, l]),
      [
        ['a', 0],
        ['b', 1],
      ],
    );
  });
  it('keeps only the beginning of an overlong line and says so', () => {
    const [[text, , truncated], [next, line]] = split(['x'.repeat(50), 'y'.repeat(50), '\nz'], 64);
    assert.equal(text.length, 64);
    assert.equal(truncated, true);
    assert.deepEqual([next, line], ['z', 1]);
  });
});

describe('cleanLine', () => {
  it('removes colours, the rank label and the logger prefix', () => {
    const c = cleanLine(
      '\x1b[0;36m(EngineCore_DP0 pid=70073)\x1b[0;0m INFO 01-27 00:31:59 [gpu_model_runner.py:3905] Model loading took 64.38 GiB memory',
    );
    assert.deepEqual(c, {
      text: 'Model loading took 64.38 GiB memory',
      source: 'EngineCore_DP0 pid=70073',
      level: 'INFO',
      prefixed: true,
    });
    assert.equal(cleanLine('e is needed, which is larger').prefixed, undefined);
  });
  it('reads every rank label vLLM and Ray print', () => {
    for (const [raw, source] of [
      ['(VllmWorkerProcess pid=2607784) INFO 01-14 12:36:52 worker.py:240] x', 'VllmWorkerProcess pid=2607784'],
      [
        '(RayWorkerWrapper pid=67451, ip=10.1.0.7) ERROR 06-25 15:28:30 worker_base.py:148] x',
        'RayWorkerWrapper pid=67451',
      ],
      [
        '(VllmWorker rank=7 pid=10948) ERROR 03-16 06:12:38 [multiproc_executor.py:375] x',
        'VllmWorker rank=7 pid=10948',
      ],
      ['(Worker_TP1 pid=148) INFO 05-14 00:04:16 [gpu_model_runner.py:6143] x', 'Worker_TP1 pid=148'],
      ['[rank3]: x', 'rank3'],
      ['(pid=123) x', 'pid=123'],
    ])
      assert.deepEqual([cleanLine(raw).text, cleanLine(raw).source], ['x', source]);
  });
  it('strips CI, lm-eval and docker prefixes and keeps the date when it has a year', () => {
    assert.deepEqual(cleanLine('[2026-02-24T20:21:58Z] (EngineCore_DP0 pid=6940) ValueError: x').date, '2026-02-24');
    assert.equal(
      cleanLine('2024-10-30:14:04:49,179 INFO     [task.py:423] Building contexts').text,
      'Building contexts',
    );
    assert.equal(
      cleanLine('[2025-11-27 07:49:43] INFO __main__.py:450: Selected Tasks: [1]').text,
      'Selected Tasks: [1]',
    );
    assert.equal(cleanLine('vllm-1  | INFO 06-04 10:12:12 llm_engine.py:161] Hello').text, 'Hello');
  });
  it('reads colour codes pasted in caret notation, and drops quote bars and box borders', () => {
    assert.deepEqual(
      cleanLine(
        '^[[0;36m(EngineCore_DP0 pid=70073)^[[0;0m INFO 01-27 00:31:59 [gpu_model_runner.py:3905] Model loading',
      ),
      { text: 'Model loading', source: 'EngineCore_DP0 pid=70073', level: 'INFO', prefixed: true },
    );
    assert.deepEqual(cleanLine('▎ Available KV cache memory: 22.5 GiB'), {
      text: 'Available KV cache memory: 22.5 GiB',
    });
    assert.equal(cleanLine('> ValueError: x').text, 'ValueError: x');
    assert.equal(
      cleanLine('│ INFO 03-21 20:15:46 [executor_base.py:111] # cuda blocks: 7191, # CPU blocks: 512     │').text,
      '# cuda blocks: 7191, # CPU blocks: 512',
    );
  });
  it("drops a CI viewer's gutter, but keeps a Markdown table row whole", () => {
    assert.deepEqual(cleanLine('  | (EngineCore_DP0 pid=6804) ValueError: No available memory'), {
      text: 'ValueError: No available memory',
      source: 'EngineCore_DP0 pid=6804',
      prefixed: true,
    });
    assert.equal(cleanLine('| Process SpawnProcess-1:').text, 'Process SpawnProcess-1:');
    const row = '|    Tasks    |Version|Filter|n-shot|Metric|   |Value|   |Stderr|';
    assert.equal(cleanLine(row).text, row);
    assert.equal(cleanLine(`  ${row}  `).text, row);
  });
});

describe('configLine', () => {
  it('reads the engine config repr, with nested reprs and enums kept as text', () => {
    const v = parseKeyValueList(
      "model='Qwen/Qwen1.5-4B', dtype=torch.float32, max_seq_len=1024, decoding_config=DecodingConfig(guided_decoding_backend='outlines'), enforce_eager=False, quantization=None",
    );
    assert.equal(v.model, 'Qwen/Qwen1.5-4B');
    assert.equal(v.dtype, 'torch.float32');
    assert.equal(v.max_seq_len, 1024);
    assert.equal(v.enforce_eager, false);
    assert.equal(v.quantization, null);
    assert.equal(v.decoding_config, "DecodingConfig(guided_decoding_backend='outlines')");
  });
  it('reads dict reprs, a truncated one too', () => {
    assert.deepEqual(
      parseDictRepr("{'model': 'x', 'gpu_memory_utilization': 0.6, 'compilation_config': <Cfg a=1, b=2>}"),
      {
        model: 'x',
        gpu_memory_utilization: 0.6,
        compilation_config: '<Cfg a=1, b=2>',
      },
    );
    assert.deepEqual(parseDictRepr("{'model': 'x', 'max_model_len': 4096, 'tens"), { model: 'x', max_model_len: 4096 });
  });
});

describe('LogReader', () => {
  const text = fs.readFileSync(fixture('logs', 'v0.4-0.6', 'vllm-10325-llama3-8b-mmlu-prompt-logprobs.log'), 'utf8');
  it('gives the same facts whatever the chunking', () => {
    const whole = readLogText(text);
    for (const size of [1, 7, 64, 1000]) {
      const r = new LogReader();
      for (let i = 0; i < text.length; i += size) r.push(text.slice(i, i + size));
      assert.deepEqual(r.end(), whole, `chunks of ${size}`);
    }
  });
  it('reads a byte stream, splitting UTF-8 sequences across chunks', async () => {
    const bytes = Buffer.from(
      `INFO 01-01 00:00:00 llm_engine.py:1] Initializing an LLM engine (v0.4.3) with config: model='é/ü'\n`,
    );
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
    }
    const facts = await readLogStream(chunks());
    assert.equal(facts.model?.value, 'é/ü');
    assert.equal(facts.version?.value, '0.4.3');
  });
  it('ignores traceback source lines and comment lines', () => {
    const facts = readLogText(
      [
        '# the next run fails with RuntimeError: NCCL error',
        'Traceback (most recent call last):',
        '  File "/x/vllm/distributed/device_communicators/pynccl_wrapper.py", line 223, in NCCL_CHECK',
        '    raise RuntimeError(f"NCCL error: {error_str}")',
        'RuntimeError: NCCL error: unhandled system error',
      ].join('\n'),
    );
    assert.equal(facts.failures.length, 1);
    assert.equal(facts.failures[0].line, 4);
    assert.deepEqual(facts.failures[0].frames, ['distributed/device_communicators/pynccl_wrapper.py:NCCL_CHECK']);
  });
  it('counts a failure every rank prints once', () => {
    const line = (r: number) =>
      `(VllmWorker rank=${r} pid=${100 + r}) ERROR 03-16 06:12:38 [multiproc_executor.py:375] RuntimeError: CUDA out of memory occurred when warming up sampler with 1024 dummy requests.`;
    const facts = readLogText([0, 1, 2, 3].map(line).join('\n'));
    assert.equal(facts.failures.length, 1);
    assert.equal(facts.failures[0].repeats, 4);
    assert.equal(facts.failures[0].numbers.dummyRequests, 1024);
  });
  it('reads both PyTorch OOM wordings', () => {
    const newer = readLogText(
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 786.00 MiB. GPU 0 has a total capacity of 79.11 GiB of which 140.75 MiB is free. Process 3270336 has 78.96 GiB memory in use. Of the allocated memory 68.83 GiB is allocated by PyTorch, with 660.00 MiB allocated in private pools (e.g., CUDA Graphs), and 331.08 MiB is reserved by PyTorch but unallocated.',
    ).failures[0].numbers;
    assert.equal(newer.capacityGiB, 79.11);
    assert.ok(Math.abs(newer.triedGiB! - 786 / 1024) < 1e-9);
    assert.ok(Math.abs(newer.privatePoolsGiB! - 660 / 1024) < 1e-9);
    assert.equal(newer.processGiB, 78.96);
    const older = readLogText(
      'RuntimeError: CUDA out of memory. Tried to allocate 1.63 GiB (GPU 0; 44.56 GiB total capacity; 27.91 GiB already allocated; 565.31 MiB free; 27.93 GiB reserved in total by PyTorch)',
    ).failures[0].numbers;
    assert.equal(older.capacityGiB, 44.56);
    assert.equal(older.allocatedByTorchGiB, 27.91);
  });
  it('reads a file path with nothing in it as no vLLM and no failure', () => {
    const facts = readLogText('hello\nworld\n');
    assert.equal(facts.vllmSeen, false);
    assert.equal(facts.failures.length, 0);
    assert.equal(facts.lineCount, 2);
  });
});

describe('hostile logs', () => {
  // A seeded generator: the same "random" logs every run.
  let seed = 17;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pieces = [
    'Traceback (most recent call last):',
    '  File "/x/vllm/v1/worker/gpu_model_runner.py", line 1, in _dummy_sampler_run',
    'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ',
    "non-default args: {'model': ",
    'Initializing a V1 LLM engine (v',
    '(EngineCore_0 pid=1) ',
    '\x1b[0;36m',
    '\r',
    '\n',
    '\u0000',
    "ValueError: To serve at least one request with the model's max seq len (",
    '# lm-eval-lens: gpu=',
    '9'.repeat(400),
    '{[(<',
  ];
  it('never throw, whatever the bytes', () => {
    for (let n = 0; n < 300; n++) {
      let text = '';
      const parts = 1 + Math.floor(rand() * 40);
      for (let i = 0; i < parts; i++)
        text +=
          rand() < 0.7 ? pieces[Math.floor(rand() * pieces.length)] : String.fromCharCode(Math.floor(rand() * 0xffff));
      const facts = readLogText(text);
      assert.ok(facts.lineCount >= 0);
      diagnoseLog(facts, testProviders());
    }
  });
  it('keep a bounded amount of a line with no end', () => {
    const facts = readLogText(`ValueError: ${'x'.repeat(5_000_000)}`);
    assert.equal(facts.longLines, 1);
  });
});
