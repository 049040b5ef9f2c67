// `lm-eval-lens calibrate LOG...` as printed: per log, the memory model against the figures vLLM
// logged; then, per term, how far the model is off over all the logs (median and worst relative
// difference). The JSON form carries the same rows.
import type { LogDiagnosis } from '../logs/diagnose';
import { type SelfCheckRow, type SelfCheckTerm, selfCheckTable } from '../logs/selfCheck';

export interface CalibratedLog {
  file: string;
  diagnosis?: LogDiagnosis;
  /** Why the log gave no comparison (unreadable, no vLLM start-up, the model unknown). */
  skipped?: string;
}

export interface TermSummary {
  term: SelfCheckTerm;
  unit: SelfCheckRow['unit'];
  logs: number;
  medianRelative: number;
  worstRelative: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Per term, over the logs that print it: the median and the worst |predicted − logged| ÷ |logged|. */
export function summarize(logs: readonly CalibratedLog[]): TermSummary[] {
  const byTerm = new Map<SelfCheckTerm, { unit: SelfCheckRow['unit']; rel: number[] }>();
  for (const l of logs)
    for (const row of l.diagnosis?.selfCheck ?? []) {
      if (row.relative === undefined || !Number.isFinite(row.relative)) continue;
      const entry = byTerm.get(row.term) ?? { unit: row.unit, rel: [] };
      entry.rel.push(Math.abs(row.relative));
      byTerm.set(row.term, entry);
    }
  return [...byTerm.entries()].map(([term, e]) => ({
    term,
    unit: e.unit,
    logs: e.rel.length,
    medianRelative: median(e.rel),
    worstRelative: Math.max(...e.rel),
  }));
}

export function calibrateText(logs: readonly CalibratedLog[]): string {
  const out: string[] = [];
  for (const l of logs) {
    const d = l.diagnosis;
    if (!d || l.skipped) {
      out.push(`${l.file}: skipped (${l.skipped})`, '');
      continue;
    }
    const launch = d.launch;
    out.push(
      `${l.file}: ${launch.model ?? 'model not in the log'}, vLLM ${launch.versionLabel} ${launch.engine}, ${launch.gpu.name} — ${d.status}${d.code ? ` (${d.code})` : ''}`,
    );
    const rows = (d.selfCheck ?? []).filter((r) => r.logged !== undefined);
    if (rows.length)
      out.push(
        ...selfCheckTable(rows, 'text')
          .split('\n')
          .map((x) => `  ${x}`),
        '',
      );
    else out.push('  no memory figure in this log', '');
  }
  const summary = summarize(logs);
  if (summary.length) {
    out.push(`Over ${logs.filter((l) => l.diagnosis && !l.skipped).length} log(s), |predicted − logged| ÷ logged:`);
    const w = Math.max(...summary.map((s) => s.term.length + s.unit.length + 3));
    for (const s of summary)
      out.push(
        `  ${`${s.term} (${s.unit})`.padEnd(w)}  ${String(s.logs).padStart(3)} log(s)  median ${(s.medianRelative * 100).toFixed(1)} %  worst ${(s.worstRelative * 100).toFixed(1)} %`,
      );
  } else out.push('No logged memory figure to compare.');
  return out.join('\n');
}

export function calibrateJson(logs: readonly CalibratedLog[]): object {
  return {
    logs: logs.map((l) => ({
      file: l.file,
      skipped: l.skipped ?? null,
      model: l.diagnosis?.launch.model ?? null,
      vllmVersion: l.diagnosis?.launch.versionLabel ?? null,
      engine: l.diagnosis?.launch.engine ?? null,
      gpu: l.diagnosis ? l.diagnosis.launch.gpu.name : null,
      status: l.diagnosis?.status ?? null,
      code: l.diagnosis?.code ?? null,
      selfCheck: (l.diagnosis?.selfCheck ?? []).map((r) => ({
        term: r.term,
        unit: r.unit,
        logged: r.logged ?? null,
        predicted: r.predicted,
        difference: r.difference ?? null,
        relative: r.relative !== undefined && Number.isFinite(r.relative) ? r.relative : null,
      })),
    })),
    summary: summarize(logs),
  };
}
