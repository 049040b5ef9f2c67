// How close the memory model comes to vLLM's own profiler on public logs, per engine era and
// overall, next to a naive calculator (params × bytes and KV = util × total − weights, no
// activations, graphs or logprobs). `npm run bench:accuracy` (`--verbose` lists every record).
// The records are ../shared/data/vllm-memory-logs.jsonl and vllm-memory-logs-2.jsonl; those
// outside the modelled range (issue #15: vLLM ≥ 0.4, no KV connector, a known quantization layout,
// upstream vLLM on NVIDIA) are listed with the reason and not counted.
import { totalParams } from '../server/src/memory/layerModules';
import { quantizationFromName, quantizedWeightCost } from '../server/src/memory/quantization';
import { kvBytesPerToken } from '../server/src/memory/terms/kvCache';
import type { MemoryEstimate } from '../server/src/memory/types';
import {
  bandResiduals,
  measuredBand,
  caseOf,
  estimateOf,
  GIB,
  kvTokensPair,
  loadRecords,
  quantile,
  relErr,
  weightsCheckable,
  type Case,
} from '../test/unit/memory/logRecords';

const verbose = process.argv.includes('--verbose');

function naive(c: Case): { weightsBytes: number; kvBytes: number; kvTokens: number } {
  const input = c.input!;
  const arch = input.architecture;
  const tp = input.settings.tensorParallelSize ?? 1;
  const pp = input.settings.pipelineParallelSize ?? 1;
  const q = quantizationFromName(input.settings.quantization) ?? arch.checkpointQuantization;
  const perParam = q
    ? (quantizedWeightCost(q)?.bytesPerParam ?? 2)
    : input.settings.dtype && /float32|^float$/.test(input.settings.dtype)
      ? 4
      : 2;
  const weightsBytes = (totalParams(arch) * perParam) / (tp * pp);
  const util = input.settings.gpuMemoryUtilization ?? 0.9;
  const kvBytes = util * input.gpu.totalBytes - weightsBytes;
  const perToken = kvBytesPerToken(arch, 2, tp, pp);
  return { weightsBytes, kvBytes, kvTokens: Math.max(0, Math.floor(kvBytes / perToken)) };
}

/** The era a record belongs to: the engine, and for V1 the accounting regime of its release. */
function eraOf(e: MemoryEstimate, c: Case): string {
  if (e.effective.engine === 'V0') return 'V0';
  const v = c.input!.version;
  if (v.major === 0 && v.minor <= 11) return 'V1 ≤ 0.11';
  if (v.major === 0 && v.minor < 21) return 'V1 0.12–0.20';
  return 'V1 ≥ 0.21';
}
const ERAS = ['V0', 'V1 ≤ 0.11', 'V1 0.12–0.20', 'V1 ≥ 0.21'];

interface Tally {
  weights: number[];
  naiveWeights: number[];
  /** KV capacity: logged tokens where printed, else the logged KV GiB (the same ratio up to block rounding). */
  kv: number[];
  naiveKv: number[];
  kvInBand: number;
  kvBands: number;
  weightsInBand: number;
  weightsBands: number;
  failures: number;
  failuresFlagged: number;
  naiveFailuresFlagged: number;
  started: number;
  startedWillFail: number;
}

const tally = (): Tally => ({
  weights: [],
  naiveWeights: [],
  kv: [],
  naiveKv: [],
  kvInBand: 0,
  kvBands: 0,
  weightsInBand: 0,
  weightsBands: 0,
  failures: 0,
  failuresFlagged: 0,
  naiveFailuresFlagged: 0,
  started: 0,
  startedWillFail: 0,
});

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const med = (xs: number[]) => (xs.length ? pct(quantile(xs.map(Math.abs), 0.5)) : '–');
const p90 = (xs: number[]) => (xs.length ? pct(quantile(xs.map(Math.abs), 0.9)) : '–');
const ratio = (a: number, b: number) => (b ? `${a}/${b}` : '–');

/** `--bands`: the measured bands, as server/src/memory/errorBands.ts holds them (the largest residual, rounded up to 0.1 %). */
function printBands(cases: readonly Case[]): void {
  const { kv, weights } = bandResiduals(cases);
  console.log('measured bands (the largest residual, rounded up to 0.1 %):');
  for (const [era, xs] of Object.entries(kv))
    console.log(`  '${era}': { kvFractionOfBudget: ${measuredBand(xs)}, records: ${xs.length} },`);
  console.log(`  weights: { fraction: ${measuredBand(weights)}, records: ${weights.length} }`);
}

function main(): void {
  const records = loadRecords();
  const cases = records.map(caseOf);
  if (process.argv.includes('--bands')) {
    printBands(cases);
    return;
  }
  const byEra = new Map<string, Tally>(ERAS.map((e) => [e, tally()]));
  const all = tally();
  const outside: string[] = [];
  const skipped: string[] = [];
  const detail: string[] = [];
  const misses: string[] = [];
  for (const c of cases) {
    const r = c.record;
    const e = estimateOf(c);
    if (!e) {
      skipped.push(`#${r.id} ${c.skip}`);
      continue;
    }
    if (c.outOfRange) {
      outside.push(`#${r.id} ${r.model}: ${c.outOfRange}`);
      continue;
    }
    const era = eraOf(e, c);
    const t = [byEra.get(era)!, all];
    const n = naive(c);
    const g = (b: number) => (b / GIB).toFixed(2);
    if (weightsCheckable(c)) {
      const err = relErr(e.weightsBytes / GIB, r.weights_gib!);
      const [lo, hi] = e.weightsBytesRange.map((b) => b / GIB);
      const inBand = r.weights_gib! >= lo - 0.005 && r.weights_gib! <= hi + 0.005;
      for (const x of t) {
        x.weights.push(err);
        x.naiveWeights.push(relErr(n.weightsBytes / GIB, r.weights_gib!));
        x.weightsBands++;
        if (inBand) x.weightsInBand++;
      }
    }
    if (c.skip) {
      skipped.push(`#${r.id} ${c.skip}`);
      continue;
    }
    const pair = kvTokensPair(r, e);
    let kvErr: number | undefined;
    let naiveErr: number | undefined;
    let inBand = false;
    if (pair && pair.logged > 0) {
      kvErr = relErr(pair.predicted, pair.logged);
      naiveErr = relErr(n.kvTokens, pair.logged);
      inBand = pair.logged >= pair.range[0] && pair.logged <= pair.range[1];
    } else if (r.kv_cache_gib !== null && r.kv_cache_gib > 0) {
      kvErr = relErr(e.kvCacheBytes / GIB, r.kv_cache_gib);
      naiveErr = relErr(n.kvBytes / GIB, r.kv_cache_gib);
      const [lo, hi] = e.kvCacheBytesRange.map((b) => b / GIB);
      inBand = r.kv_cache_gib >= lo - 0.005 && r.kv_cache_gib <= hi + 0.005;
    }
    if (kvErr !== undefined && naiveErr !== undefined) {
      for (const x of t) {
        x.kv.push(kvErr);
        x.naiveKv.push(naiveErr);
        x.kvBands++;
        if (inBand) x.kvInBand++;
      }
      if (!inBand) misses.push(`#${r.id} (${pct(kvErr)} vs ±${Math.round(e.errorBand * 100)} %)`);
    }
    if (r.startup_or_run_failed) {
      const flagged = e.verdict !== 'fits';
      const naiveFlagged =
        n.kvBytes <= 0 || n.kvTokens < (c.input!.settings.maxModelLen ?? c.input!.architecture.maxPositionEmbeddings);
      for (const x of t) {
        x.failures++;
        if (flagged) x.failuresFlagged++;
        if (naiveFlagged) x.naiveFailuresFlagged++;
      }
      detail.push(
        `  failure #${r.id} ${r.model} (${r.failure_kind}): ${e.verdict} [${e.reasons.map((x) => x.code).join(', ')}]`,
      );
    } else if (r.startup_or_run_failed === false) {
      for (const x of t) {
        x.started++;
        if (e.verdict === 'will-fail') x.startedWillFail++;
      }
      if (e.verdict === 'will-fail')
        detail.push(`  started, predicted will-fail: #${r.id} ${r.model} [${e.reasons.map((x) => x.code).join(', ')}]`);
    }
    if (verbose) {
      const logged = pair ? `${pair.predicted}/${pair.logged} tokens` : `tokens ${e.kvCacheTokens}/–`;
      console.log(
        `#${r.id} ${r.model} vLLM ${c.input!.version.major}.${c.input!.version.minor}.${c.input!.version.patch} ${e.effective.engine} (${era}): weights ${g(e.weightsBytes)}/${r.weights_gib ?? '–'} act ${g(e.activationBytes)}/${r.activation_peak_gib ?? '–'} nt ${g(e.nonTorchBytes)}/${r.non_torch_gib ?? '–'} kv ${g(e.kvCacheBytes)}/${r.kv_cache_gib ?? '–'} GiB, ${logged}, band ±${Math.round(e.errorBand * 100)} %, graphs ${g(e.cudaGraphBytes)}/${r.cudagraph_gib ?? '–'} → ${e.verdict}`,
      );
    }
  }

  console.log(
    `vLLM memory model vs public logs: ${records.length} records, ${records.length - skipped.length - outside.length} estimated in range, ${outside.length} out of range, ${skipped.length} without model, GPU or layout`,
  );
  console.log('');
  console.log(
    'era            weights |err|: n  median  (naive)   KV capacity |err|: n  median    p90  (naive median  p90)   in band: KV  weights   failures flagged (naive)   started → will-fail',
  );
  const row = (name: string, x: Tally) =>
    console.log(
      `${name.padEnd(14)} ${String(x.weights.length).padStart(17)} ${med(x.weights).padStart(7)} (${med(x.naiveWeights).padStart(6)})  ${String(x.kv.length).padStart(21)} ${med(x.kv).padStart(7)} ${p90(x.kv).padStart(6)}  (${med(x.naiveKv).padStart(6)} ${p90(x.naiveKv).padStart(6)})  ${ratio(x.kvInBand, x.kvBands).padStart(12)} ${ratio(x.weightsInBand, x.weightsBands).padStart(8)}   ${`${ratio(x.failuresFlagged, x.failures)} (${ratio(x.naiveFailuresFlagged, x.failures)})`.padStart(22)}   ${ratio(x.startedWillFail, x.started).padStart(19)}`,
    );
  for (const era of ERAS)
    if (byEra.get(era)!.weights.length + byEra.get(era)!.kv.length + byEra.get(era)!.failures + byEra.get(era)!.started)
      row(era, byEra.get(era)!);
  row('overall', all);
  console.log('');
  console.log(
    `band coverage (logged value inside the printed range): KV ${ratio(all.kvInBand, all.kvBands)} (${all.kvBands ? pct(all.kvInBand / all.kvBands) : '–'}), weights ${ratio(all.weightsInBand, all.weightsBands)} (${all.weightsBands ? pct(all.weightsInBand / all.weightsBands) : '–'})${misses.length ? `; KV outside its band: ${misses.join(', ')}` : ''}`,
  );
  for (const d of detail) console.log(d);
  console.log('');
  console.log(`out of range, not counted (${outside.length}):`);
  for (const o of outside) console.log(`  ${o}`);
  console.log(`without model, GPU or layout (${skipped.length}): ${skipped.join('; ')}`);
}

main();
