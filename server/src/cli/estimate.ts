// `lm-eval-lens estimate --model-args STR`: the memory model on one configuration, as a table or
// as the JSON document whose fields are a public contract (README "estimate --format json").
import { parseDirectives } from '../parse/directives';
import { buildLaunchFacts, type LaunchFacts } from '../facts/launch';
import type { FactProviders } from '../facts/providers';
import type { VersionContext } from '../facts/versions';
import type { Entrypoint, MemoryEstimate } from '../memory/types';
import { parseModelArgs } from '../parse/modelArgs';
import { identityMapped, type SourceMappedText } from '../parse/mappedText';
import type { LmEvalInvocation } from '../parse/types';
import { breakdownRows, taskTypesKnown, verdictText } from '../service/estimateTable';
import { invalidArgAssumptions } from '../rules/invalid-model-arg-value';
import { unknownArgAssumptions, uncertaintyNotes } from '../service/uncertain';
import type { GpuFitTable } from '../shared/gpuFitTable';
import type { LmEvalLensSettings } from '../shared/settings';
import { GiB } from '../shared/units';

const round = (bytes: number) => Math.round((bytes / GiB) * 100) / 100;

/** `--entrypoint` and `--env K=V` of `estimate`: who builds the engine and the launch's environment. */
export interface LaunchFlags {
  entrypoint?: Entrypoint;
  env?: Record<string, string>;
  /** The project around the current folder (config file, pins), for versions and the GPU. */
  versionContext?: VersionContext;
}

// What the shell would have expanded had the value not been quoted: `$LEN`, `${LEN:-8192}`, `$(…)`, `\`…\``.
const SHELL_EXPANSION = /\$\{[^}]*\}|\$\([^)]*\)?|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?]|`[^`]*`?/g;

/**
 * The --model-args value as lm-eval would receive it, with what a script would have filled in
 * (`max_model_len=$LEN`, typed in single quotes) marked unknown, as `check` marks it in a script:
 * the estimate takes vLLM's default for it, and a failure resting on that is not certain.
 */
function withShellHoles(text: string): SourceMappedText {
  const m = identityMapped(text);
  const holes = [...text.matchAll(SHELL_EXPANSION)].map((x) => ({ start: x.index, end: x.index + x[0].length }));
  return holes.length ? { ...m, holes } : m;
}

/** Build the launch from flags as `lm_eval --model vllm --model_args STR --tasks T` would. */
export function launchFromFlags(
  modelArgs: string,
  tasks: string | undefined,
  batchSize: string | undefined,
  settings: LmEvalLensSettings,
  providers: FactProviders,
  flags: LaunchFlags = {},
): LaunchFacts {
  const parsed = parseModelArgs(withShellHoles(modelArgs), 'cli');
  const invocation: LmEvalInvocation = {
    embedding: 'shell',
    range: { start: 0, end: modelArgs.length },
    model: { value: 'vllm', range: { start: 0, end: 0 } },
    modelArgs: {
      dialect: parsed.dialect,
      range: { start: 0, end: modelArgs.length },
      insertOffset: modelArgs.length,
      hostEscaping: 'none',
      style: { kind: 'kv-string', separator: ',' },
      args: parsed.args,
      problems: parsed.problems,
      // The flag's value is lm_eval's --model_args value: its parser (and its releases) apply.
      commandLine: { laterValues: [] },
    },
    env: Object.fromEntries(
      Object.entries(flags.env ?? {}).map(([k, value]) => [k, { value, range: { start: 0, end: 0 } }]),
    ),
  };
  if (tasks)
    invocation.tasks = tasks
      .split(',')
      .filter(Boolean)
      .map((name) => ({ name, range: { start: 0, end: 0 } }));
  if (batchSize) invocation.batchSize = { value: batchSize, range: { start: 0, end: 0 } };
  return buildLaunchFacts('', invocation, parseDirectives(''), settings, providers, {
    entrypoint: flags.entrypoint,
    versionContext: flags.versionContext ?? { origin: 'cli' },
  });
}

export function estimateJson(f: LaunchFacts, e: MemoryEstimate): object {
  const a = f.architecture!;
  return {
    model: { ...a.architecture, source: a.source },
    gpu: { name: f.gpu.spec.name, totalGiB: round(f.gpu.spec.totalBytes), count: f.gpu.count ?? e.gpusRequired },
    vllmVersion: f.vllm.text,
    vllmVersionSource: f.vllm.label,
    ...estimateNumbers(e, f),
  };
}

/** Where each fact behind the estimate came from, in words: the first lines of `assumptions`. */
export function factSources(f: LaunchFacts): string[] {
  const g = f.gpu;
  const count = g.count ? `, ${g.count} available (from ${g.countSource})` : '';
  const model = f.architecture ? [`model ${f.architecture.architecture.id} from ${f.architecture.source}`] : [];
  return [
    `GPU ${g.spec.name} from ${g.source}${count}`,
    ...(g.notes ?? []),
    ...model,
    f.vllm.label,
    ...f.vllm.notes,
    f.harness.label,
    ...f.harness.notes,
  ];
}

/** The estimate's figures per GPU rank (GiB = 2^30 bytes), as `estimate` and `check --format json` print them. */
export function estimateNumbers(e: MemoryEstimate, f?: LaunchFacts): object {
  return {
    engine: e.effective.engine,
    entrypoint: e.effective.entrypoint,
    budgetGiB: round(e.budgetBytes),
    weightsGiB: round(e.weightsBytes),
    weightsGiBRange: e.weightsBytesRange.map(round),
    nonTorchGiB: round(e.nonTorchBytes),
    activationGiB: round(e.activationBytes),
    cudaGraphGiB: round(e.cudaGraphBytes),
    kvCacheGiB: round(e.kvCacheBytes),
    kvBytesPerToken: e.kvBytesPerToken,
    kvCacheTokens: e.kvCacheTokens,
    kvCacheTokensRange: e.kvCacheTokensRange,
    maxModelLen: e.maxModelLen,
    logprobsSpikeGiB: round(e.logprobsSpikeBytes),
    outsideBudgetGiB: round(e.outsideBudgetBytes),
    headroomGiB: round(e.headroomBytes),
    verdict: e.verdict,
    reasons: e.reasons.map((r) => `${r.code}: ${r.message}`),
    uncertain: f ? uncertaintyNotes(f) : [],
    assumptions: f
      ? [...factSources(f), ...unknownArgAssumptions(f), ...invalidArgAssumptions(f), ...e.assumptions]
      : e.assumptions,
  };
}

export function estimateText(f: LaunchFacts, e: MemoryEstimate): string {
  const rows = breakdownRows(e, taskTypesKnown(f));
  const width = Math.max(...rows.map((r) => r.label.length));
  const lines = [
    `${f.architecture!.architecture.id} on ${f.gpu.spec.name} (${(f.gpu.spec.totalBytes / GiB).toFixed(2)} GiB), vLLM ${f.vllm.text} (${e.effective.engine}${e.effective.entrypoint === 'serve' ? ', vllm serve' : ''}), per GPU rank, ${e.gpusRequired} GPU(s)`,
    '',
  ];
  for (const r of rows) {
    const where = r.where === 'inside' ? 'in budget' : r.where === 'outside' ? 'outside budget' : '';
    lines.push(
      `  ${r.label.padEnd(width)}  ${(r.bytes / GiB).toFixed(2).padStart(8)} GiB  ${where.padEnd(14)} ${r.note ?? ''}`.trimEnd(),
    );
  }
  const uncertain = uncertaintyNotes(f);
  lines.push(
    '',
    `Verdict: ${verdictText(e)} (KV capacity ±${Math.round(e.errorBand * 100)} %)${uncertain.length && e.verdict !== 'fits' ? ', if what is not known here is as assumed' : ''}`,
  );
  for (const r of e.reasons) lines.push(`  - ${r.code}: ${r.message}`);
  if (e.verdict !== 'fits') for (const n of uncertain) lines.push(`  ${n}`);
  lines.push(
    '',
    'Assumptions:',
    `  - GPU from ${f.gpu.source}; model from ${f.architecture!.source}`,
    `  - ${f.vllm.label}`,
    ...f.vllm.notes.map((n) => `    ${n}`),
  );
  for (const a of [...unknownArgAssumptions(f), ...invalidArgAssumptions(f), ...e.assumptions]) lines.push(`  - ${a}`);
  return lines.join('\n');
}

export function gpuTableJson(t: GpuFitTable): object {
  return {
    model: t.model,
    vllmVersion: t.vllmVersion,
    tensorParallelSize: t.tensorParallelSize,
    maxModelLen: t.maxModelLen,
    rows: t.rows.map((r) => ({
      gpu: r.gpu,
      totalGiB: round(r.totalBytes),
      tensorParallelSize: r.tensorParallelSize ?? null,
      gpuCount: r.gpuCount,
      verdict: r.verdict,
      headroomGiB: r.tensorParallelSize === undefined ? null : round(r.headroomBytes),
      maxModelLenThatFits: r.maxModelLenThatFits ?? null,
    })),
  };
}

/** `estimate --gpu all`: one row per catalog GPU. */
export function gpuTableText(t: GpuFitTable, style: { bold(s: string): string } = { bold: (s) => s }): string {
  const header = ['GPU', 'Memory', 'TP', 'GPUs', 'Verdict', 'Headroom', 'Largest max_model_len'];
  const cells = t.rows.map((r) => [
    r.gpu,
    `${(r.totalBytes / GiB).toFixed(1)} GiB`,
    r.tensorParallelSize === undefined ? '-' : String(r.tensorParallelSize),
    r.tensorParallelSize === undefined ? '-' : String(r.gpuCount),
    r.verdict === 'fits' ? 'fits' : r.verdict === 'at-risk' ? 'at risk' : 'will fail',
    r.tensorParallelSize === undefined ? '-' : `${(r.headroomBytes / GiB).toFixed(1)} GiB`,
    r.maxModelLenThatFits === undefined ? '-' : String(r.maxModelLenThatFits),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const numeric = new Set([1, 2, 3, 5, 6]);
  const line = (row: string[]) =>
    row
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    `${t.model}, vLLM ${t.vllmVersion}; as written: tensor_parallel_size=${t.tensorParallelSize}, max_model_len=${t.maxModelLen}`,
    'Each GPU at the smallest tensor_parallel_size (up to 8) that fits; headroom per GPU at that size.',
    '',
    style.bold(line(header)),
    ...cells.map(line),
  ].join('\n');
}
