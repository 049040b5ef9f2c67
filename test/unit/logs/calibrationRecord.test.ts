// A log as a calibration record: the shared set's schema (same keys, same order), logged numbers
// only; and the reader on the error texts of the shared set's records, which no fixture was written
// from (logs it has not seen): every vLLM refusal and CUDA OOM there is read as a memory failure.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { calibrationRecord, RECORD_KEYS } from '../../../server/src/logs/calibrationRecord';
import { diagnoseLog } from '../../../server/src/logs/diagnose';
import { readLogText } from '../../../server/src/logs/reader';
import { testProviders } from '../../helpers/context';
import { readFixture, sharedRoot } from '../../helpers/paths';

const sharedFiles = ['vllm-memory-logs.jsonl', 'vllm-memory-logs-2.jsonl'].map((f) => path.join(sharedRoot, 'data', f));
const shared = sharedFiles.filter((f) => fs.existsSync(f));

function records(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('calibration records', () => {
  const text = readFixture('logs', 'v0.7-0.10', 'vllm-13882-qwen2.5-7b-bnb-no-cache-blocks.log');
  const facts = readLogText(text);
  const d = diagnoseLog(facts, testProviders());
  const r = calibrationRecord(facts, d, { today: '2026-12-01', file: 'x.log', sourceUrl: 'https://example.org/run' });

  it('have the shared set keys, in its order', (t) => {
    if (!shared.length) return t.skip('../shared/data is not beside the checkout');
    const keys = Object.keys(records(shared[shared.length - 1])[0]);
    assert.deepEqual(Object.keys(r), keys);
    assert.deepEqual([...RECORD_KEYS], keys);
  });

  it('hold what the log prints and null for the rest', () => {
    assert.equal(r.weights_gib, 5.2032);
    assert.equal(r.non_torch_gib, 0.03);
    assert.equal(r.activation_peak_gib, 1.42);
    assert.equal(r.kv_cache_gib, -1.05);
    assert.equal(r.gpu_blocks, 0);
    assert.equal(r.gpu_total_gib, 8);
    assert.equal(r.gpu_memory_utilization, 0.7);
    assert.equal(r.vllm_version, '0.7.3.dev233+gad5a35c2');
    assert.equal(r.failure_kind, 'negative KV budget');
    assert.equal(r.cuda_oom, false);
    assert.equal(r.startup_or_run_failed, true);
    assert.equal(r.source_url, 'https://example.org/run');
    // Not printed: null, never the model's prediction.
    assert.equal(r.cudagraph_gib, null);
    assert.equal(r.kv_tokens, null);
    assert.equal(r.id, null);
  });
});

// The error texts of the shared set, read as one-line logs.
const MEMORY_ERRORS = /max seq len|No available memory|out of memory|OutOfMemoryError|Free memory on device/i;
describe('the shared set error texts (logs no fixture was written from)', () => {
  for (const file of shared)
    for (const rec of records(file)) {
      const error = typeof rec.error === 'string' ? rec.error : '';
      if (!MEMORY_ERRORS.test(error)) continue;
      it(`#${rec.id} is a memory failure: ${error.slice(0, 70)}`, () => {
        const d = diagnoseLog(readLogText(error), testProviders());
        assert.equal(d.status, 'failed', d.cause);
        assert.equal(d.memory, true, `${d.code}: ${d.cause}`);
        if (/max seq len/.test(error)) assert.equal(d.code, 'kv-cache-too-small');
        if (/No available memory/.test(error)) assert.equal(d.code, 'weights-exceed-budget');
      });
    }
});
