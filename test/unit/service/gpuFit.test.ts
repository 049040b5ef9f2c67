// "Which GPU do I need?": each row's tensor-parallel size is the smallest that fits, and its
// max_model_len the largest that starts, checked against the estimate itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GPU_CATALOG, resolveGpu } from '../../../server/src/memory/gpus';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { fitsOnSummary, gpuFitTable, MAX_TENSOR_PARALLEL } from '../../../server/src/service/gpuFit';
import { testContext } from '../../helpers/context';

const launch = (modelArgs: string, tasks = 'gsm8k') =>
  analyzeDocument(
    { path: '/w/run.sh', text: `lm_eval --model vllm --model_args ${modelArgs} --tasks ${tasks}\n` },
    testContext(),
  ).launches[0];

describe('gpuFitTable', () => {
  const f = launch('pretrained=Qwen/Qwen2-72B-Instruct,max_model_len=8192');
  const table = gpuFitTable(f)!;

  it('has one row per catalog GPU, in catalog order', () => {
    assert.deepEqual(
      table.rows.map((r) => r.gpu),
      GPU_CATALOG.map((g) => g.name),
    );
    assert.equal(table.model, 'Qwen/Qwen2-72B-Instruct');
    assert.equal(table.maxModelLen, 8192);
  });

  it('picks the smallest tensor_parallel_size that fits (72B needs several GPUs)', () => {
    const a100 = table.rows.find((r) => r.gpu === 'A100-80GB')!;
    assert.ok(a100.tensorParallelSize && a100.tensorParallelSize > 1, JSON.stringify(a100));
    assert.equal(a100.verdict, 'fits');
    assert.equal(a100.gpuCount, a100.tensorParallelSize);
    const gpu = resolveGpu('A100-80GB')!;
    // Sizes vLLM accepts: they divide the 64 attention heads and the 8 KV heads (3 does not).
    for (let tp = 1; tp < a100.tensorParallelSize; tp++) {
      if (64 % tp !== 0) continue;
      const e = f.estimateWith({ tensorParallelSize: tp }, gpu);
      assert.notEqual(e?.verdict, 'fits', `tp=${tp} would already fit`);
    }
    // 144 GB of bf16 weights cannot fit one H200 either, but fit two.
    const h200 = table.rows.find((r) => r.gpu === 'H200')!;
    assert.equal(h200.tensorParallelSize, 2);
  });

  it('gives the largest max_model_len (in steps of 256) that starts', () => {
    for (const r of table.rows) {
      if (r.tensorParallelSize === undefined || r.maxModelLenThatFits === undefined) continue;
      const gpu = resolveGpu(r.gpu)!;
      const at = (len: number) => f.estimateWith({ tensorParallelSize: r.tensorParallelSize, maxModelLen: len }, gpu)!;
      assert.notEqual(at(r.maxModelLenThatFits).verdict, 'will-fail', r.gpu);
      const derived = at(r.maxModelLenThatFits).derivedMaxModelLen;
      if (r.maxModelLenThatFits < derived) {
        const next = at(r.maxModelLenThatFits + 256);
        assert.ok(
          next.verdict === 'will-fail' || next.reasons.some((x) => x.code === 'kv-cache-too-small'),
          `${r.gpu}: ${r.maxModelLenThatFits + 256} would start too`,
        );
      }
    }
  });

  it('marks GPUs where nothing up to tensor_parallel_size=8 fits', () => {
    const t4 = table.rows.find((r) => r.gpu === 'T4')!;
    assert.equal(t4.tensorParallelSize, undefined, `72B on ${MAX_TENSOR_PARALLEL}× T4 (16 GB) does not fit`);
    assert.equal(t4.verdict, 'will-fail');
    assert.equal(t4.maxModelLenThatFits, undefined);
  });

  it('draws the breakdown: segments against the GPU total, headroom last', () => {
    for (const r of table.rows) {
      assert.equal(r.segments.at(-1)?.where, 'headroom');
      assert.ok(r.segments.some((s) => s.label === 'Weights'));
      assert.ok(r.segments.every((s) => s.bytes >= 0));
    }
    const fitting = table.rows.find((r) => r.gpu === 'H200')!;
    const sum = fitting.segments.reduce((a, s) => a + s.bytes, 0);
    assert.ok(Math.abs(sum - fitting.totalBytes) / fitting.totalBytes < 0.01, `${sum} vs ${fitting.totalBytes}`);
  });

  it('summarises the fitting GPUs, smallest total memory first', () => {
    const s = fitsOnSummary(table);
    assert.match(s, /^Fits on: /);
    assert.doesNotMatch(s, /T4/);
    const small = gpuFitTable(launch('pretrained=Qwen/Qwen1.5-4B,max_model_len=2048'))!;
    assert.match(fitsOnSummary(small), /^Fits on: (T4|V100-16GB)\b/);
  });

  it('is undefined without an estimate', () => {
    assert.equal(gpuFitTable(launch('pretrained=nobody/nothing-7b')), undefined);
  });
});
