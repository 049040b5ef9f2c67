// The self-check: the settings read from a log go through the memory model, and each term vLLM
// logged is set against the model's prediction (per GPU rank, GiB; KV capacity in tokens).
import type { MemoryEstimate } from '../memory/types';
import type { LogFacts } from './types';
import { GiB } from '../shared/units';

export type SelfCheckTerm =
  | 'weights'
  | 'activation'
  | 'non-torch'
  | 'cuda-graphs'
  | 'kv-cache'
  | 'kv-tokens'
  | 'budget';

export interface SelfCheckRow {
  term: SelfCheckTerm;
  label: string;
  unit: 'GiB' | 'tokens';
  logged?: number;
  /** The 0-based line the logged value came from. */
  line?: number;
  predicted: number;
  /** predicted − logged (absent when nothing was logged). */
  difference?: number;
  /** difference ÷ |logged|, when logged is not 0. */
  relative?: number;
}

function row(
  term: SelfCheckTerm,
  label: string,
  unit: SelfCheckRow['unit'],
  predicted: number,
  logged?: { value: number; line: number },
): SelfCheckRow {
  const r: SelfCheckRow = { term, label, unit, predicted };
  if (logged) {
    r.logged = logged.value;
    r.line = logged.line;
    r.difference = predicted - logged.value;
    if (logged.value !== 0) r.relative = r.difference / Math.abs(logged.value);
  }
  return r;
}

/** Logged vs predicted per term. A failure's own figures (the KV it found) count as logged. */
export function selfCheckRows(facts: LogFacts, e: MemoryEstimate): SelfCheckRow[] {
  const m = facts.memory;
  const g = (b: number) => b / GiB;
  const failureWith = (pick: (f: LogFacts['failures'][number]) => number | undefined) => {
    for (const f of facts.failures) {
      const v = pick(f);
      if (v !== undefined) return { value: v, line: f.line };
    }
    return undefined;
  };
  const kvGiB = m.kvCacheGiB ?? failureWith((f) => f.numbers.availableKvGiB);
  // KV capacity: V1 prints tokens; V0 prints blocks (× block_size); V0's refusal prints the tokens it found.
  let kvTokens: { value: number; line: number } | undefined;
  let predictedTokens = e.kvCacheTokens;
  if (m.kvTokens) kvTokens = m.kvTokens;
  else if (m.gpuBlocks) {
    kvTokens = { value: m.gpuBlocks.value * e.effective.blockSize, line: m.gpuBlocks.line };
    predictedTokens = e.kvCacheBlocks * e.effective.blockSize;
  } else kvTokens = failureWith((f) => f.numbers.kvTokens);
  const graphs = m.cudaGraphGiB ?? m.cudaGraphEstimatedGiB;
  return [
    row('weights', 'Weights', 'GiB', g(e.weightsBytes), m.weightsGiB),
    row('activation', 'Activation peak', 'GiB', g(e.activationBytes), m.activationGiB),
    row('non-torch', 'Non-torch', 'GiB', g(e.nonTorchBytes), m.nonTorchGiB),
    row('cuda-graphs', 'CUDA graphs', 'GiB', g(e.cudaGraphBytes), graphs),
    row('kv-cache', 'KV cache', 'GiB', g(e.kvCacheBytes), kvGiB),
    row('kv-tokens', 'KV cache', 'tokens', predictedTokens, kvTokens),
    row('budget', 'Budget (util × total)', 'GiB', g(e.budgetBytes), m.budgetGiB),
  ];
}

/** The rows as a fixed-width text table (the CLI) or a Markdown table (the hover). */
export function selfCheckTable(rows: readonly SelfCheckRow[], format: 'text' | 'markdown'): string {
  const fmt = (r: SelfCheckRow, v: number | undefined) =>
    v === undefined ? '—' : r.unit === 'tokens' ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
  const diff = (r: SelfCheckRow) => {
    if (r.difference === undefined) return '';
    const sign = r.difference > 0 ? '+' : '';
    const rel =
      r.relative !== undefined && Number.isFinite(r.relative) ? ` (${sign}${(r.relative * 100).toFixed(0)} %)` : '';
    return `${sign}${fmt(r, r.difference)}${rel}`;
  };
  const header = ['term', 'logged', 'predicted', 'difference'];
  const body = rows.map((r) => [`${r.label} (${r.unit})`, fmt(r, r.logged), fmt(r, r.predicted), diff(r)]);
  if (format === 'markdown') {
    return [
      `| ${header.join(' | ')} |`,
      '|---|---:|---:|---:|',
      ...body.map((cells) => `| ${cells.join(' | ')} |`),
    ].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}
