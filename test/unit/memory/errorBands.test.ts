// The estimate's bands are the measured residuals on the public logs (errorBands.ts): this test
// measures them again and fails when the model changed and the stored bands are stale
// (`npm run bench:accuracy -- --bands` prints the new ones).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import {
  accountingEra,
  MEASURED_KV_BANDS,
  MEASURED_WEIGHTS_BAND,
  MIN_RECORDS_PER_BAND,
  measuredKvBand,
} from '../../../server/src/memory/errorBands';
import { arch, gpu, v } from './helpers';
import { bandResiduals, caseOf, LOGS_PATHS, loadRecords, measuredBand } from './logRecords';

const logs = LOGS_PATHS.every((p) => fs.existsSync(p));
const skip = logs ? false : `the public vLLM logs are not beside the checkout (${LOGS_PATHS.join(', ')})`;

describe('measured error bands', () => {
  it('each era and the weights band equal the largest residual of their in-range records', { skip }, () => {
    const { kv, weights } = bandResiduals(loadRecords().map(caseOf));
    for (const [era, band] of Object.entries(MEASURED_KV_BANDS)) {
      const xs = kv[era as keyof typeof kv];
      assert.deepEqual(band, { kvFractionOfBudget: measuredBand(xs), records: xs.length }, era);
    }
    assert.deepEqual(MEASURED_WEIGHTS_BAND, { fraction: measuredBand(weights), records: weights.length });
  });

  it('an era with too few records takes the band of all eras', () => {
    for (const era of ['V0', 'V1 ≤ 0.11', 'V1 0.12–0.20', 'V1 ≥ 0.21'] as const) {
      const band = measuredKvBand(era);
      if (MEASURED_KV_BANDS[era].records >= MIN_RECORDS_PER_BAND) assert.equal(band.era, era);
      else assert.deepEqual(band, { ...MEASURED_KV_BANDS.all, era: 'all' });
    }
    assert.equal(accountingEra('V1', v('0.11.1')), 'V1 ≤ 0.11');
    assert.equal(accountingEra('V1', v('0.21.0')), 'V1 ≥ 0.21');
  });

  it('the estimate adds what it does not model: the band grows with a KV connector and an unknown sampler install', () => {
    const base = {
      architecture: arch('meta-llama/Llama-3.1-8B-Instruct'),
      gpu: gpu('H100-80GB'),
      workload: { outputTypes: [] },
      settings: { maxModelLen: 8192 },
    };
    const known = estimateVllmMemory({ ...base, version: v('0.11.1') });
    const unknownInstall = estimateVllmMemory({ ...base, version: v('0.10.0') });
    const bandBytes = (e: typeof known) => e.kvCacheBytesRange[1] - e.kvCacheBytes;
    assert.ok(
      bandBytes(unknownInstall) > bandBytes(known),
      'whether FlashInfer is installed is not known before 0.11.1',
    );
    const withConnector = estimateVllmMemory({
      ...base,
      version: v('0.11.1'),
      settings: { maxModelLen: 8192, kvConnector: 'LMCacheConnectorV1' },
    });
    assert.ok(withConnector.errorBand > known.errorBand + 0.19);
  });
});
