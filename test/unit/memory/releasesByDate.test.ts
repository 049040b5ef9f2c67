// The one vLLM-by-date table (memory/version.ts) that log diagnosis and the calibration records share.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseVllmVersion, VLLM_RELEASES_BY_DATE, vllmReleaseOnDate } from '../../../server/src/memory/version';

describe('vllmReleaseOnDate', () => {
  it('is sorted by date and every version parses', () => {
    const dates = VLLM_RELEASES_BY_DATE.map(([d]) => d);
    assert.deepEqual([...dates].sort(), dates);
    for (const [d, v] of VLLM_RELEASES_BY_DATE) {
      assert.match(d, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(parseVllmVersion(v), v);
    }
  });

  it('gives the last release on or before the date', () => {
    assert.equal(vllmReleaseOnDate('2024-03-29'), undefined);
    assert.equal(vllmReleaseOnDate('2024-03-30'), '0.4.0');
    assert.equal(vllmReleaseOnDate('2024-11-14'), '0.6.3');
    // 0.22.0 came out on 2026-05-30: a log of 2026-05-20 ran 0.21.
    assert.equal(vllmReleaseOnDate('2026-05-20'), '0.21.0');
    assert.equal(vllmReleaseOnDate('2026-05-30'), '0.22.0');
    assert.equal(vllmReleaseOnDate('2026-08-18'), '0.26.0');
    assert.equal(vllmReleaseOnDate('2026-12-01'), '0.29.0');
  });
});
