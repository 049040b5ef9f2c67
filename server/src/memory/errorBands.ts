// How sure the estimate is. The ± bands are measured, not guessed: the residuals of the memory
// model on the public vLLM logs (../shared/data/vllm-memory-logs*.jsonl, in-range records), per
// accounting era, printed by `npm run bench:accuracy -- --bands` and checked against the logs by
// test/unit/memory/errorBands.test.ts (which fails when the model changes and they are stale).
// The estimate widens them for what it does not model (estimate.ts).
import type { VllmVersion } from './types';
import { atLeast, type Engine } from './version';

/** vLLM's memory accounting regimes: V0; V1 up to 0.11; V1 0.12–0.20; V1 from 0.21 (graphs in the budget). */
export type AccountingEra = 'V0' | 'V1 ≤ 0.11' | 'V1 0.12–0.20' | 'V1 ≥ 0.21';

export function accountingEra(engine: Engine, version: VllmVersion): AccountingEra {
  if (engine === 'V0') return 'V0';
  if (!atLeast(version, 0, 12)) return 'V1 ≤ 0.11';
  if (!atLeast(version, 0, 21)) return 'V1 0.12–0.20';
  return 'V1 ≥ 0.21';
}

export interface MeasuredBand {
  /**
   * The largest |predicted − logged| KV memory of the era's records, as a fraction of util × total.
   * The largest of n residuals holds a new record's residual with probability n / (n + 1): at least
   * 80 % from 4 records.
   */
  kvFractionOfBudget: number;
  /** Records it was measured on. */
  records: number;
}

/** An era needs this many records for its own band (4: a coverage of 4/5); with fewer, all eras' applies. */
export const MIN_RECORDS_PER_BAND = 4;

/** Measured KV bands per era, and over all eras (`npm run bench:accuracy -- --bands`). */
export const MEASURED_KV_BANDS: Record<AccountingEra | 'all', MeasuredBand> = {
  V0: { kvFractionOfBudget: 0.039, records: 4 },
  'V1 ≤ 0.11': { kvFractionOfBudget: 0.025, records: 10 },
  'V1 0.12–0.20': { kvFractionOfBudget: 0.009, records: 1 },
  'V1 ≥ 0.21': { kvFractionOfBudget: 0.007, records: 1 },
  all: { kvFractionOfBudget: 0.039, records: 16 },
};

/** The largest |weights error| (relative) of the in-range records that log weights. */
export const MEASURED_WEIGHTS_BAND = { fraction: 0.015, records: 14 };

/** The measured KV band for an era: its own with enough records, else all eras'. */
export function measuredKvBand(era: AccountingEra): MeasuredBand & { era: AccountingEra | 'all' } {
  const own = MEASURED_KV_BANDS[era];
  return own.records >= MIN_RECORDS_PER_BAND ? { ...own, era } : { ...MEASURED_KV_BANDS.all, era: 'all' };
}
