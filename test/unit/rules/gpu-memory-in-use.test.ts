import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { testContext } from '../../helpers/context';
import { applyFix } from '../../helpers/applyFix';

import { MiB } from '../../../server/src/shared/units';
const busy = [{ index: 0, name: 'NVIDIA A100-SXM4-80GB', totalBytes: 81920 * MiB, freeBytes: 30000 * MiB }];
const text =
  'lm_eval --model vllm --model_args pretrained=meta-llama/Meta-Llama-3-8B,gpu_memory_utilization=0.9,max_model_len=4096 --tasks gsm8k --batch_size auto\n';

describe('gpu-memory-in-use', () => {
  it('reports a detected GPU whose free memory is below the budget, and fixes it', () => {
    const ctx = testContext({}, busy);
    const a = analyzeDocument({ path: '/w/run.sh', text }, ctx);
    const f = a.findings.find((x) => x.code === 'gpu-memory-in-use');
    assert.ok(f, a.findings.map((x) => x.code).join(', '));
    assert.equal(f.severity, 'error');
    assert.equal(text.slice(f.range.start, f.range.end), 'gpu_memory_utilization=0.9');
    assert.doesNotMatch(f.message, /Free memory on device/, 'one sentence; vLLM quoted in details');
    assert.ok(
      f.details?.some((d) => /says: "Free memory on device/.test(d)),
      JSON.stringify(f.details),
    );
    const fix = f.fixes?.find((x) => x.isPreferred);
    assert.ok(fix);
    const fixed = applyFix(text, fix);
    const util = Number(/gpu_memory_utilization=([\d.]+)/.exec(fixed)![1]);
    assert.ok(util < 0.37 && util > 0.3, `util ${util}`);
    assert.ok(
      !analyzeDocument({ path: '/w/run.sh', text: fixed }, ctx).findings.some((x) => x.code === 'gpu-memory-in-use'),
    );
  });

  it('stays silent without detection', () => {
    assert.ok(
      !analyzeDocument({ path: '/w/run.sh', text }, testContext()).findings.some((x) => x.code === 'gpu-memory-in-use'),
    );
  });

  it('before the start-up check (vLLM < 0.9.1) the failure comes later, without that message', () => {
    const old = `# lm-eval-lens: vllm=0.6.3\n${text}`;
    const f = analyzeDocument({ path: '/w/run.sh', text: old }, testContext({}, busy)).findings.find(
      (x) => x.code === 'gpu-memory-in-use',
    );
    assert.ok(f);
    assert.ok(!f.details?.some((d) => /Free memory on device/.test(d)), JSON.stringify(f.details));
  });

  it('util 1.0 on an idle GPU: an error for a named vLLM ≥ 0.9.1, a warning when the release is assumed; fixed to 0.98 (QA N1)', () => {
    const serve = 'vllm serve Qwen/Qwen2.5-7B-Instruct --gpu-memory-utilization 1.0 --enforce-eager\n';
    const named = `# lm-eval-lens: vllm=0.10.1\n${serve}`;
    const at = (t: string) =>
      analyzeDocument({ path: '/w/serve.sh', text: t }, testContext()).findings.find(
        (x) => x.code === 'gpu-memory-in-use',
      );
    const f = at(named);
    assert.ok(f);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /CUDA context takes about 0\.51 GiB first/);
    const fix = f.fixes?.find((x) => x.isPreferred);
    assert.ok(fix, 'a utilization that leaves room for the context');
    const fixed = applyFix(named, fix);
    assert.match(fixed, /--gpu-memory-utilization 0\.98 /);
    assert.equal(at(fixed), undefined);
    const assumed = at(serve);
    assert.ok(assumed);
    assert.equal(assumed.severity, 'warning');
    assert.match(assumed.message, /names no vLLM release \(0\.\d+\.\d+ assumed\): 0\.9\.1 and later refuse to start/);
  });
});
