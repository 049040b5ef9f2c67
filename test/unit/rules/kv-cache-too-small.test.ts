// kv-cache-too-small: an error when even the favourable end of the estimate's band cannot hold
// one sequence; a warning that says so inside the band (issue #15).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { lookupArchitecture } from '../../../server/src/memory/architectures';
import { resolveGpu } from '../../../server/src/memory/gpus';
import { parseVllmVersion } from '../../../server/src/memory/version';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { testContext } from '../../helpers/context';

const launch = (maxModelLen: number) =>
  `# lm-eval-lens: gpu=L4 vllm=0.10.0\nlm_eval --model vllm --model_args pretrained=meta-llama/Llama-3.1-8B-Instruct,gpu_memory_utilization=0.9,max_model_len=${maxModelLen} --tasks gsm8k\n`;
const finding = (maxModelLen: number) =>
  analyzeDocument({ path: '/w/run.sh', text: launch(maxModelLen) }, testContext()).findings.find(
    (f) => f.code === 'kv-cache-too-small',
  );

describe('kv-cache-too-small severity follows the band', () => {
  const e = estimateVllmMemory({
    architecture: lookupArchitecture('meta-llama/Llama-3.1-8B-Instruct')!,
    gpu: resolveGpu('L4')!,
    settings: { gpuMemoryUtilization: 0.9, maxModelLen: 8192 },
    workload: { outputTypes: ['generate_until'] },
    version: parseVllmVersion('0.10.0')!,
  });
  const [, high] = e.kvCacheTokensRange;

  it('beyond the band: an error, vLLM will refuse to start', () => {
    const f = finding(Math.round(high * 1.3));
    assert.ok(f);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /^vLLM will refuse to start/);
  });

  it("inside the band: a warning, 'at risk: within the estimate's ±N %'", () => {
    const f = finding(Math.round((e.kvCacheTokens + high) / 2));
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /^vLLM may refuse to start \(at risk: within the estimate's ±\d+ %\)/);
  });
});
