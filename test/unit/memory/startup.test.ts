// vLLM's start-up refusals and the after-start headroom checks (startup.ts), through whole estimates,
// with vLLM's own texts by version.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arch, estimate, GiB, gpu, v } from './helpers';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { float32WeightsReason, freeMemoryReasonWithoutModel, JUDGES } from '../../../server/src/memory/startup';
import { MEMORY_REASON_CODES } from '../../../server/src/memory/types';
import { isDiagnosticCode } from '../../../server/src/shared/codes';
import type { EstimateInput } from '../../../server/src/memory/types';

describe('start-up refusals and headroom checks', () => {
  it('default max_model_len whose KV cannot hold one sequence: Llama-3.1-8B on an L4 → kv-cache-too-small with V1 text', () => {
    const e = estimate('meta-llama/Llama-3.1-8B-Instruct', 'L4', {}, '0.10.0');
    assert.equal(e.maxModelLen, 131072);
    assert.equal(e.verdict, 'will-fail');
    const r = e.reasons.find((x) => x.code === 'kv-cache-too-small');
    assert.ok(r);
    assert.match(r.message, /^To serve at least one request with the models's max seq len \(131072\)/);
    assert.match(r.message, /the estimated maximum model length is \d+/);
    const v0 = estimate('meta-llama/Llama-3.1-8B-Instruct', 'L4', {}, '0.6.3');
    assert.match(
      v0.reasons.find((x) => x.code === 'kv-cache-too-small')!.message,
      /^The model's max seq len \(131072\) is larger than the maximum number of tokens that can be stored in KV cache \(\d+\)/,
    );
  });
  it('weights over the budget → weights-exceed-budget quoting "No available memory for the cache blocks"', () => {
    const e = estimate('meta-llama/Llama-3.1-70B', 'A100-80GB', { maxModelLen: 4096 }, '0.10.0');
    assert.equal(e.verdict, 'will-fail');
    assert.ok(e.reasons.some((r) => r.code === 'weights-exceed-budget'));
    const fits = estimate(
      'meta-llama/Llama-3.1-70B',
      'A100-80GB',
      { maxModelLen: 4096, tensorParallelSize: 4 },
      '0.10.0',
    );
    assert.equal(fits.verdict, 'fits');
    assert.equal(fits.gpusRequired, 4);
  });
  it('max_model_len above the derived maximum is refused unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1', () => {
    const e = estimate('Qwen/Qwen2.5-7B-Instruct', 'H100-80GB', { maxModelLen: 65536 }, '0.10.0');
    assert.ok(e.reasons.some((r) => r.code === 'max-model-len-too-long'));
    const ok = estimate(
      'Qwen/Qwen2.5-7B-Instruct',
      'H100-80GB',
      { maxModelLen: 65536, allowLongMaxModelLen: true },
      '0.10.0',
    );
    assert.ok(!ok.reasons.some((r) => r.code === 'max-model-len-too-long'));
  });
  it('other processes: V1 ≥ 0.9.1 refuses to start; V0 starts and runs out later', () => {
    const busy = { ...gpu('A100-80GB'), freeBytes: 40 * GiB };
    const input = (ver: string): EstimateInput => ({
      architecture: arch('meta-llama/Meta-Llama-3-8B'),
      gpu: busy,
      settings: {},
      workload: { outputTypes: [] },
      version: v(ver),
    });
    const v1 = estimateVllmMemory(input('0.10.0'));
    assert.equal(v1.verdict, 'will-fail');
    assert.match(
      v1.reasons.find((r) => r.code === 'gpu-memory-in-use')!.message,
      /^Free memory on device \(39\.49\/79\.15 GiB\) on startup is less than desired GPU memory utilization \(0\.9, 71\.24 GiB\)/,
    );
    const v0 = estimateVllmMemory(input('0.6.3'));
    assert.ok(v0.reasons.some((r) => r.code === 'gpu-memory-in-use'));
    assert.equal(v0.verdict, 'will-fail');
    // 0.8.x V1 charges them to the budget instead: less KV, no refusal.
    const v8 = estimateVllmMemory(input('0.8.5'));
    assert.ok(
      v8.kvCacheBytes < estimateVllmMemory({ ...input('0.8.5'), gpu: gpu('A100-80GB') }).kvCacheBytes - 39 * GiB,
    );
  });
  it('util 1.0: the CUDA context alone leaves less free than the budget (QA N1)', () => {
    const at = (ver: string, settings: EstimateInput['settings']) =>
      estimateVllmMemory({
        architecture: arch('Qwen/Qwen2.5-7B-Instruct'),
        gpu: gpu('A100-80GB'),
        settings,
        workload: { outputTypes: [] },
        version: v(ver),
      });
    // V1 ≥ 0.9.1: the start-up check sees free = total − context.
    const v1 = at('0.10.1', { gpuMemoryUtilization: 1 });
    assert.equal(v1.verdict, 'will-fail');
    assert.match(
      v1.reasons.find((r) => r.code === 'gpu-memory-in-use')!.message,
      /^Free memory on device \(78\.64\/79\.15 GiB\) on startup is less than desired GPU memory utilization \(1, 79\.15 GiB\)/,
    );
    assert.ok(!at('0.10.1', { gpuMemoryUtilization: 0.98 }).reasons.some((r) => r.code === 'gpu-memory-in-use'));
    // V0 ≥ 0.6.5 sizes the budget from the total: the KV allocation runs out, even without graphs.
    const v0 = at('0.6.3', { gpuMemoryUtilization: 1, enforceEager: true });
    assert.equal(v0.verdict, 'will-fail');
    assert.match(v0.reasons.find((r) => r.code === 'gpu-memory-in-use')!.message, /own CUDA context/);
    // Whole-device accounting (V1 0.8.5) charges the context to the budget: eager mode starts.
    assert.ok(
      !at('0.8.5', { gpuMemoryUtilization: 1, enforceEager: true }).reasons.some((r) => r.code === 'gpu-memory-in-use'),
    );
  });
  it('never "fits" with negative headroom, whatever the release, utilization or layout', () => {
    for (const ver of ['0.4.3', '0.6.3', '0.6.4', '0.8.5', '0.9.0', '0.10.1', '0.11.0', '0.21.0', '0.29.0'])
      for (const util of [0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 1])
        for (const enforceEager of [false, true])
          for (const tensorParallelSize of [1, 2]) {
            const e = estimateVllmMemory({
              architecture: arch('Qwen/Qwen2.5-7B-Instruct'),
              gpu: gpu('A100-80GB'),
              settings: { gpuMemoryUtilization: util, enforceEager, tensorParallelSize, maxModelLen: 4096 },
              workload: { outputTypes: ['loglikelihood'] },
              version: v(ver),
            });
            if (e.headroomBytes < 0)
              assert.notEqual(e.verdict, 'fits', `${ver} util ${util} eager ${enforceEager} tp ${tensorParallelSize}`);
            if (e.verdict !== 'fits') assert.ok(e.reasons.length > 0);
          }
  });
  it('CUDA graphs outside the budget before 0.21: util 0.98 on a 24 GB card → cuda-graph-headroom, fixed by enforce_eager', () => {
    const e = estimate(
      'Qwen/Qwen2.5-7B-Instruct',
      'RTX4090',
      { maxModelLen: 4096, gpuMemoryUtilization: 0.98 },
      '0.6.3',
    );
    assert.ok(
      e.reasons.some((r) => r.code === 'cuda-graph-headroom'),
      e.reasons.map((r) => r.code).join(),
    );
    const eager = estimate(
      'Qwen/Qwen2.5-7B-Instruct',
      'RTX4090',
      { maxModelLen: 4096, gpuMemoryUtilization: 0.98, enforceEager: true },
      '0.6.3',
    );
    assert.ok(!eager.reasons.some((r) => r.code === 'cuda-graph-headroom'));
    assert.equal(eager.cudaGraphBytes, 0);
  });
});

describe('one judge per diagnostic code', () => {
  it('every reason code the model emits has exactly one judge and is a public diagnostic code', () => {
    assert.deepEqual(Object.keys(JUDGES).sort(), [...MEMORY_REASON_CODES].sort());
    for (const code of MEMORY_REASON_CODES) assert.ok(isDiagnosticCode(code), code);
  });

  it('float32-weights: the same judge and text with or without an estimate', () => {
    for (const d of [undefined, 'auto', 'bfloat16', 'half', '32']) assert.equal(float32WeightsReason(d), undefined, d);
    for (const d of ['float', 'float32', ' FP32 ', 'torch.float32']) assert.ok(float32WeightsReason(d), d);
    const e = estimate('Qwen/Qwen1.5-4B', 'A100-80GB', { dtype: 'float' }, '0.10.0');
    assert.equal(
      e.reasons.find((r) => r.code === 'float32-weights')?.message,
      float32WeightsReason('float', e.weightsBytes)?.message,
    );
    assert.match(
      float32WeightsReason('float', e.weightsBytes)!.message,
      /^14\.7 GiB of weights per GPU instead of about 7\.4 GiB; /,
    );
  });

  it('start-up refusals come before what fails after start-up, whatever the judges find', () => {
    // V0 0.6.3 on an L4 that other processes half fill: the default 131072-token max_model_len is
    // refused at start-up; the other processes' memory would only bite later.
    const e = estimateVllmMemory({
      architecture: arch('meta-llama/Llama-3.1-8B-Instruct'),
      gpu: { ...gpu('L4'), freeBytes: 12 * GiB },
      settings: {},
      workload: { outputTypes: [] },
      version: v('0.6.3'),
    });
    assert.deepEqual(
      e.reasons.map((r) => r.code).filter((c) => c === 'kv-cache-too-small' || c === 'gpu-memory-in-use'),
      ['kv-cache-too-small', 'gpu-memory-in-use'],
    );
    assert.equal(e.verdict, 'will-fail');
  });
});

describe('severity follows the band (issue #15)', () => {
  const l4 = (maxModelLen: number) =>
    estimateVllmMemory({
      architecture: arch('meta-llama/Llama-3.1-8B-Instruct'),
      gpu: gpu('L4'),
      settings: { maxModelLen, gpuMemoryUtilization: 0.9 },
      workload: { outputTypes: [] },
      version: v('0.10.0'),
    });

  it('kv-cache-too-small is will-fail beyond the band, at-risk inside it, absent with room to spare', () => {
    const e = l4(8192);
    const tokens = e.kvCacheTokens;
    const [low, high] = e.kvCacheTokensRange;
    assert.ok(low < tokens && tokens < high, `${low} ${tokens} ${high}`);
    const reason = (len: number) => l4(len).reasons.find((r) => r.code === 'kv-cache-too-small');
    assert.equal(reason(Math.round(high * 1.2))?.verdict, 'will-fail');
    assert.equal(reason(Math.round((tokens + high) / 2))?.verdict, 'at-risk');
    assert.equal(reason(Math.round(low * 0.8)), undefined);
    // Inside the band on the safe side: no finding, so the verdict fits; the band is a caveat.
    const near = l4(Math.round((low + tokens) / 2));
    assert.equal(
      near.reasons.find((r) => r.code === 'kv-cache-too-small'),
      undefined,
    );
    assert.equal(near.verdict, 'fits');
    assert.ok(near.assumptions.some((a) => /by less than the ±\d+ % error band/.test(a)));
  });

  it('a verdict other than fits always comes with a reason a rule reports (QA D8)', () => {
    const e = l4(8192);
    const [low, high] = e.kvCacheTokensRange;
    for (let len = Math.max(256, Math.round(low / 4)); len <= high * 2; len += 256) {
      const x = l4(len);
      if (x.verdict !== 'fits') assert.ok(x.reasons.length > 0, `max_model_len=${len}: ${x.verdict} with no reason`);
    }
  });

  it('weights-exceed-budget: certain only when even the low end of the band cannot load or leaves no KV', () => {
    const at = (util: number) =>
      estimateVllmMemory({
        architecture: arch('meta-llama/Llama-3.1-8B-Instruct'),
        gpu: gpu('A10G'),
        settings: { maxModelLen: 2048, gpuMemoryUtilization: util },
        workload: { outputTypes: [] },
        version: v('0.10.0'),
      });
    const verdicts = [0.5, 0.6, 0.66, 0.68, 0.7, 0.8].map(
      (u) => at(u).reasons.find((r) => r.code === 'weights-exceed-budget')?.verdict ?? 'none',
    );
    // From certain failure through the band to a start, in that order.
    const order = ['will-fail', 'at-risk', 'none'];
    for (let i = 1; i < verdicts.length; i++)
      assert.ok(order.indexOf(verdicts[i]) >= order.indexOf(verdicts[i - 1]), verdicts.join(' '));
    assert.equal(verdicts[0], 'will-fail');
    assert.equal(verdicts[verdicts.length - 1], 'none');
  });
});

describe('freeMemoryReasonWithoutModel (QA3 F5: no model needed)', () => {
  const a100 = gpu('A100-80GB');
  const judge = (util: number, version: string, engine: 'V0' | 'V1', worldSize = 1) =>
    freeMemoryReasonWithoutModel({ util, gpu: a100, version: v(version), engine, worldSize });
  it('vLLM >= 0.9.1 refuses util 1.0 at start-up: its own context makes free < budget', () => {
    const r = judge(1.0, '0.10.0', 'V1');
    assert.equal(r?.code, 'gpu-memory-in-use');
    assert.equal(r?.verdict, 'will-fail');
    assert.match(r?.message ?? '', /Free memory on device/);
  });
  it('a budget that leaves room for the context is no finding', () => {
    assert.equal(judge(0.9, '0.10.0', 'V1'), undefined);
    assert.equal(judge(0.9, '0.7.3', 'V0'), undefined);
  });
  it('older releases: at most a risk, since what runs out depends on the model', () => {
    assert.equal(judge(1.0, '0.7.3', 'V0')?.verdict, 'at-risk');
    // V1 0.8.0–0.9.0 charges the context to the budget: nothing overlaps.
    assert.equal(judge(1.0, '0.9.0', 'V1'), undefined);
  });
});
