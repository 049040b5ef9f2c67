// A log's diagnosis as `lm-eval-lens explain` prints it: text for people, JSON for scripts (the
// fields are documented in the README), and the streaming read of a log file or stdin.
import * as fs from 'node:fs';
import type { LogDiagnosis } from '../logs/diagnose';
import { readLogStream } from '../logs/reader';
import { selfCheckTable } from '../logs/selfCheck';
import type { LogFacts } from '../logs/types';
import { ruleDocUrl } from '../shared/codeDocs';
import { GiB } from '../shared/units';

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Read a log file, or stdin for `-`, as a stream (bounded memory). */
export async function readLogSource(file: string, stdin: () => AsyncIterable<Uint8Array | string>): Promise<LogFacts> {
  if (file === '-') return readLogStream(stdin());
  return readLogStream(fs.createReadStream(file));
}

export function diagnosisJson(file: string, facts: LogFacts, d: LogDiagnosis): object {
  const f = d.failure;
  const l = d.launch;
  return {
    file,
    status: d.status,
    code: d.code ?? null,
    memory: d.memory,
    docs: d.code ? ruleDocUrl(d.code) : null,
    cause: d.cause,
    details: d.details,
    failure: f
      ? {
          kind: f.kind,
          line: f.line + 1,
          message: f.message,
          phase: d.phase,
          source: f.source ?? null,
          repeats: f.repeats,
          numbers: f.numbers,
        }
      : null,
    fixes: d.fixes.map((x) => ({ title: x.title, changes: x.changes, preferred: x.preferred, foundBy: x.foundBy })),
    fixedModelArgs: d.fixedModelArgs ?? null,
    fixedModelArgsFrom: d.fixedModelArgsFrom ?? null,
    fixedFlags: d.fixedFlags ?? null,
    launch: {
      model: l.model ?? null,
      modelSource: l.architecture?.source ?? null,
      gpu: { name: l.gpu.name, totalGiB: r2(l.gpu.totalBytes / GiB), from: l.gpuFrom },
      vllmVersion: l.versionLabel,
      vllmVersionFrom: l.versionFrom,
      engine: l.engine,
      server: l.server,
      settings: Object.fromEntries(l.modelArgs),
      tasks: facts.tasks,
      requestTypes: l.workload.outputTypes,
    },
    selfCheck:
      d.selfCheck?.map((row) => ({
        term: row.term,
        unit: row.unit,
        logged: row.logged ?? null,
        line: row.line !== undefined ? row.line + 1 : null,
        predicted: row.unit === 'tokens' ? Math.round(row.predicted) : r2(row.predicted),
        difference:
          row.difference === undefined ? null : row.unit === 'tokens' ? Math.round(row.difference) : r2(row.difference),
      })) ?? null,
    assumptions: d.assumptions,
    lines: facts.lineCount,
  };
}

export function diagnosisText(file: string, facts: LogFacts, d: LogDiagnosis): string {
  const l = d.launch;
  const out: string[] = [];
  const parallel = [
    l.settings.tensorParallelSize ? `TP ${l.settings.tensorParallelSize}` : '',
    l.settings.pipelineParallelSize && l.settings.pipelineParallelSize > 1
      ? `PP ${l.settings.pipelineParallelSize}`
      : '',
    l.settings.dataParallelSize && l.settings.dataParallelSize > 1 ? `DP ${l.settings.dataParallelSize}` : '',
  ].filter(Boolean);
  if (!facts.vllmSeen && !d.memory) out.push(`${file}: no vLLM start-up in the log`);
  else
    out.push(
      `${file}: vLLM ${l.versionLabel}${l.versionFrom.startsWith('line') ? '' : ` (${l.versionFrom === 'assumed' ? 'assumed' : `from ${l.versionFrom}`})`} ${l.engine}, ${l.model ?? 'model not in the log'} on ${l.gpu.name} (${r2(l.gpu.totalBytes / GiB)} GiB)${parallel.length ? `, ${parallel.join(', ')}` : ''}`,
    );
  if (d.failure) {
    out.push(`FAILED at line ${d.failure.line + 1}: ${d.failure.message}`);
    out.push(`${d.code}: ${d.cause}`);
  } else out.push(d.status === 'healthy' ? `OK: ${d.cause}` : d.cause);
  for (const x of d.details) out.push(`  ${x}`);
  if (d.memory) {
    const best = d.fixes[0];
    if (best) {
      out.push(
        `Fix: ${best.title}${best.foundBy === 'log' ? ` (read off the log${l.architecture ? '' : '; the model is not in the catalog'})` : ''}`,
      );
      if (d.fixedModelArgs) {
        out.push(`  --model_args ${d.fixedModelArgs}`);
        if (d.fixedModelArgsFrom === 'engine-config')
          out.push(
            "  (rebuilt from vLLM's engine config: the log shows no command; add any other model_args you passed)",
          );
      }
      if (d.fixedFlags) out.push(`  ${d.fixedFlags}`);
      for (const other of d.fixes.slice(1)) out.push(`  or: ${other.title}`);
    } else
      out.push('Fix: no single setting found; use more GPUs (tensor_parallel_size) or a smaller or quantized model.');
    if (d.code) out.push(`  docs: ${ruleDocUrl(d.code)}`);
  }
  const anyLogged = d.selfCheck?.some((r) => r.logged !== undefined);
  if (d.selfCheck && (anyLogged || d.memory)) {
    out.push('');
    out.push('Self-check, memory model vs this log (per GPU):');
    for (const line of selfCheckTable(d.selfCheck, 'text').split('\n')) out.push(`  ${line}`);
  } else if (facts.vllmSeen && !d.selfCheck)
    out.push('No self-check: the model is not in the catalog or the local Hugging Face cache.');
  if (d.assumptions.length && (facts.vllmSeen || d.memory)) {
    out.push('');
    out.push('Assumptions:');
    for (const a of d.assumptions) out.push(`  - ${a}`);
  }
  return out.join('\n');
}
