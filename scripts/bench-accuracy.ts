// How close the memory model comes to vLLM's own profiler on public logs, term by term, next to a
// naive calculator (params × bytes and full-context KV, no activations, graphs or logprobs).
// `npm run bench:accuracy`; the records are ../shared/data/vllm-memory-logs.jsonl.
import { totalParams } from '../server/src/memory/architectures';
import { kvBytesPerToken } from '../server/src/memory/terms/kvCache';
import { quantizationFromName, quantizedWeightCost } from '../server/src/memory/quantization';
import type { MemoryEstimate } from '../server/src/memory/types';
import {
  caseOf,
  estimateOf,
  GIB,
  loadRecords,
  kvTokensPair,
  quantile,
  relErr,
  weightsCheckable,
  type Case,
} from '../test/unit/memory/logRecords';

interface Row {
  term: string;
  model: number[];
  naive: number[];
}

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

function fmt(xs: number[]): string {
  if (!xs.length) return '   –      –  ';
  const abs = xs.map(Math.abs);
  return `${(quantile(abs, 0.5) * 100).toFixed(1).padStart(6)}% ${(quantile(abs, 0.9) * 100).toFixed(1).padStart(6)}%`;
}

function main(): void {
  const records = loadRecords();
  const cases = records.map(caseOf);
  const rows: Row[] = ['weights', 'activation', 'non-torch', 'KV GiB', 'KV tokens', 'graphs'].map((term) => ({
    term,
    model: [],
    naive: [],
  }));
  const row = (t: string) => rows.find((r) => r.term === t)!;
  const failures: { c: Case; e: MemoryEstimate }[] = [];
  const kvTokenRecords: string[] = [];
  const kvInBand: string[] = [];
  const kvOutOfBand: string[] = [];
  let usable = 0;
  const skipped: string[] = [];
  for (const c of cases) {
    const r = c.record;
    const e = estimateOf(c);
    if (e && weightsCheckable(c)) {
      row('weights').model.push(relErr(e.weightsBytes / GIB, r.weights_gib!));
      row('weights').naive.push(relErr(naive(c).weightsBytes / GIB, r.weights_gib!));
    }
    if (c.skip || !e) {
      skipped.push(`#${r.id} ${c.skip}`);
      continue;
    }
    usable++;
    const n = naive(c);
    if (r.activation_peak_gib !== null) {
      row('activation').model.push(relErr(e.activationBytes / GIB, r.activation_peak_gib));
      row('activation').naive.push(relErr(0, r.activation_peak_gib));
    }
    if (r.non_torch_gib !== null) {
      row('non-torch').model.push(relErr(e.nonTorchBytes / GIB, r.non_torch_gib));
      row('non-torch').naive.push(relErr(0, r.non_torch_gib));
    }
    if (r.kv_cache_gib !== null && r.kv_cache_gib > 0) {
      row('KV GiB').model.push(relErr(e.kvCacheBytes / GIB, r.kv_cache_gib));
      row('KV GiB').naive.push(relErr(n.kvBytes / GIB, r.kv_cache_gib));
    }
    const pair = kvTokensPair(r, e);
    const kvErr =
      pair && pair.logged > 0
        ? relErr(pair.predicted, pair.logged)
        : r.kv_cache_gib !== null && r.kv_cache_gib > 0
          ? relErr(e.kvCacheBytes / GIB, r.kv_cache_gib)
          : undefined;
    if (kvErr !== undefined) (Math.abs(kvErr) <= e.errorBand ? kvInBand : kvOutOfBand).push(`#${r.id}`);
    if (pair && pair.logged > 0) {
      row('KV tokens').model.push(relErr(pair.predicted, pair.logged));
      kvTokenRecords.push(
        `#${r.id} ${pair.predicted}/${pair.logged} (${(relErr(pair.predicted, pair.logged) * 100).toFixed(1)}%, vLLM ${c.input!.version.major}.${c.input!.version.minor} ${e.effective.engine})`,
      );
      row('KV tokens').naive.push(relErr(n.kvTokens, pair.logged));
    }
    if (r.cudagraph_gib !== null && r.cudagraph_gib > 0) {
      row('graphs').model.push(relErr(e.cudaGraphBytes / GIB, r.cudagraph_gib));
      row('graphs').naive.push(relErr(0, r.cudagraph_gib));
    }
    if (r.startup_or_run_failed) failures.push({ c, e });
    if (process.argv.includes('--verbose')) {
      const g = (b: number) => (b / GIB).toFixed(2);
      console.log(
        `#${r.id} ${r.model} v${c.input!.version.minor}.${c.input!.version.patch} ${e.effective.engine}: weights ${g(e.weightsBytes)}/${r.weights_gib ?? '–'} act ${g(e.activationBytes)}/${r.activation_peak_gib ?? '–'} nt ${g(e.nonTorchBytes)}/${r.non_torch_gib ?? '–'} kv ${g(e.kvCacheBytes)}/${r.kv_cache_gib ?? '–'} tokens ${kvTokensPair(r, e)?.predicted ?? e.kvCacheTokens}/${kvTokensPair(r, e)?.logged ?? '–'} graphs ${g(e.cudaGraphBytes)}/${r.cudagraph_gib ?? '–'} → ${e.verdict}`,
      );
    }
  }

  console.log(`vLLM memory model vs public logs (${records.length} records, ${usable} with model, GPU and layout)`);
  console.log('');
  console.log('term         n   model |err| median    p90   naive |err| median    p90');
  for (const r of rows)
    console.log(`${r.term.padEnd(10)} ${String(r.model.length).padStart(3)}   ${fmt(r.model)}         ${fmt(r.naive)}`);
  console.log(`KV tokens, predicted/logged: ${kvTokenRecords.join('; ')}`);
  console.log(
    `KV capacity within the estimate's own ± error band: ${kvInBand.length}/${kvInBand.length + kvOutOfBand.length}${kvOutOfBand.length ? ` (outside: ${kvOutOfBand.join(', ')})` : ''}`,
  );
  console.log('');
  const hit = failures.filter(({ e }) => e.verdict !== 'fits');
  const naiveHit = failures.filter(
    ({ c }) =>
      naive(c).kvBytes <= 0 ||
      naive(c).kvTokens < (c.input!.settings.maxModelLen ?? c.input!.architecture.maxPositionEmbeddings),
  );
  console.log(
    `documented failures predicted at-risk or will-fail: ${hit.length}/${failures.length} (naive: ${naiveHit.length}/${failures.length})`,
  );
  for (const { c, e } of failures) {
    console.log(
      `  #${c.record.id} ${c.record.model} (${c.record.failure_kind}): ${e.verdict} [${e.reasons.map((x) => x.code).join(', ')}]`,
    );
  }
  const oks = cases
    .filter((c) => !c.skip && c.record.startup_or_run_failed === false)
    .map((c) => ({ c, e: estimateOf(c)! }));
  const falseAlarms = oks.filter(({ e }) => e.verdict === 'will-fail');
  console.log(
    `runs that started fine but are predicted will-fail: ${falseAlarms.length}/${oks.length}${falseAlarms.length ? ` (${falseAlarms.map(({ c }) => `#${c.record.id}`).join(', ')})` : ''}`,
  );
  console.log('');
  console.log(`skipped (${skipped.length}): ${skipped.join('; ')}`);
}

main();
