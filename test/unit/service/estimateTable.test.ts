// The per-rank breakdown rows the hover and the CLI table share.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookupArchitecture } from '../../../server/src/memory/architectures';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { resolveGpu } from '../../../server/src/memory/gpus';
import { parseVllmVersion } from '../../../server/src/memory/version';
import { breakdownRows } from '../../../server/src/service/estimateTable';

describe('the breakdown names the weight quantization', () => {
  it('quantized: the method and what stays in the model dtype; unquantized: bytes per parameter', () => {
    const est = (id: string) =>
      estimateVllmMemory({
        architecture: lookupArchitecture(id)!,
        gpu: resolveGpu('A100-80GB')!,
        settings: {},
        workload: { outputTypes: [] },
        version: parseVllmVersion('0.10.0')!,
      });
    const note = (id: string) => breakdownRows(est(id)).find((r) => r.label === 'Weights')!.note;
    assert.equal(note('openai/gpt-oss-20b'), 'mxfp4 4-bit experts, the rest bfloat16');
    assert.equal(note('meta-llama/Meta-Llama-3-8B'), 'bfloat16, 2 B/param');
    assert.equal(note('Qwen/Qwen2.5-7B-Instruct-AWQ'), 'awq 4-bit, the rest bfloat16');
  });
  it('a quantization of known size is not also reported as of unknown size', () => {
    for (const id of ['Qwen/Qwen2.5-7B-Instruct-AWQ', 'openai/gpt-oss-20b']) {
      const a = estimateVllmMemory({
        architecture: lookupArchitecture(id)!,
        gpu: resolveGpu('A100-80GB')!,
        settings: {},
        workload: { outputTypes: [] },
        version: parseVllmVersion('0.10.0')!,
      }).assumptions;
      assert.ok(!a.some((s) => s.includes('size unknown')), a.join('\n'));
    }
  });
});
