// The memory breakdown as Markdown, shared by the hover and the CLI's estimate table.
import type { LaunchFacts } from '../facts/launch';
import type { MemoryEstimate } from '../memory/types';
import { GiB } from '../shared/units';
import { defaultSettingsText, unknownSource, unknownValueHint } from './uncertain';

const g = (bytes: number) => (bytes / GiB).toFixed(2);

export interface BreakdownRow {
  label: string;
  bytes: number;
  where: 'inside' | 'outside' | 'total' | '';
  note?: string;
}

/** How much of the launch's tasks is known: their output types decide the prompt-logprob spike. */
export type TaskTypesKnown = 'all' | 'some' | 'none';

export function taskTypesKnown(f: LaunchFacts): TaskTypesKnown {
  if (!f.workload.outputTypes.length) return 'none';
  return f.tasks.unknown.length ? 'some' : 'all';
}

const SPIKE_NOTE: Record<TaskTypesKnown, string> = {
  all: 'no loglikelihood tasks',
  some: 'no loglikelihood tasks among those known',
  none: 'task types unknown',
};

/** Rows of the per-rank breakdown, in the order vLLM accounts for them. */
export function breakdownRows(e: MemoryEstimate, tasks: TaskTypesKnown = 'all'): BreakdownRow[] {
  return [
    {
      label: 'Weights',
      bytes: e.weightsBytes,
      where: 'inside',
      note: e.effective.quantization
        ? `${e.effective.quantization}, the rest ${e.effective.dtype}`
        : `${e.effective.dtype}, ${e.effective.weightBytesPerParam} B/param`,
    },
    {
      label: 'Activation peak (profile run)',
      bytes: e.activationBytes,
      where: 'inside',
      note: `max_num_batched_tokens=${e.effective.maxNumBatchedTokens}`,
    },
    { label: 'Non-torch (NCCL, cuBLAS workspaces)', bytes: e.nonTorchBytes, where: 'inside' },
    {
      label: 'CUDA graphs',
      bytes: e.cudaGraphBytes,
      where: e.cudaGraphInsideBudget ? 'inside' : 'outside',
      note: e.effective.enforceEager ? 'enforce_eager: none' : `max_num_seqs=${e.effective.maxNumSeqs}`,
    },
    {
      label: `KV cache (${e.kvCacheTokens.toLocaleString('en-US')} tokens)`,
      bytes: Math.max(0, e.kvCacheBytes),
      where: 'inside',
      note: `${e.kvBytesPerToken.toLocaleString('en-US')} B/token`,
    },
    { label: `Budget (gpu_memory_utilization=${e.gpuMemoryUtilization})`, bytes: e.budgetBytes, where: 'total' },
    { label: 'CUDA context', bytes: e.cudaContextBytes, where: 'outside' },
    {
      label: 'Prompt-logprob spike (transient)',
      bytes: e.logprobsSpikeBytes,
      where: 'outside',
      note: e.logprobsSpikeBytes ? 'loglikelihood tasks' : SPIKE_NOTE[tasks],
    },
    { label: 'Headroom left on the GPU', bytes: e.headroomBytes, where: '' },
  ];
}

export function verdictText(e: MemoryEstimate): string {
  return e.verdict === 'fits' ? 'fits' : e.verdict === 'at-risk' ? 'at risk of OOM' : 'will fail';
}

export function estimateMarkdown(f: LaunchFacts, e: MemoryEstimate): string {
  const lines: string[] = [];
  const icon = e.verdict === 'fits' ? '✅' : e.verdict === 'at-risk' ? '⚠️' : '❌';
  lines.push(
    `**vLLM memory per GPU: ${icon} ${verdictText(e)}** — ${g(e.totalBytes)} GiB ${f.gpu.spec.name}, ${e.gpusRequired} GPU${e.gpusRequired > 1 ? 's' : ''}`,
  );
  lines.push('');
  lines.push('| | GiB | | |');
  lines.push('|---|---:|---|---|');
  for (const r of breakdownRows(e, taskTypesKnown(f))) {
    const where = r.where === 'inside' ? 'in budget' : r.where === 'outside' ? 'outside budget' : '';
    const label = r.where === 'total' || r.label.startsWith('Headroom') ? `**${r.label}**` : r.label;
    lines.push(`| ${label} | ${g(r.bytes)} | ${where} | ${r.note ?? ''} |`);
  }
  lines.push('');
  lines.push(
    `Total GPU ${g(e.totalBytes)} GiB = budget ${g(e.budgetBytes)} + outside ${g(e.outsideBudgetBytes)} + headroom ${g(e.headroomBytes)}. KV capacity ±${Math.round(e.errorBand * 100)} %.`,
  );
  for (const r of e.reasons) lines.push(`- **${r.code}**: ${r.message}`);
  lines.push('');
  lines.push('Assumptions:');
  lines.push(
    `- GPU: ${f.gpu.spec.name} (${g(f.gpu.spec.totalBytes)} GiB) from ${f.gpu.source}${f.gpu.count ? `, ${f.gpu.count} available (${f.gpu.countSource})` : ''}`,
  );
  for (const n of f.gpu.notes ?? []) lines.push(`  - ${n}`);
  lines.push(`- ${f.vllm.label}; ${e.effective.engine} engine`);
  for (const n of f.vllm.notes) lines.push(`  - ${n}`);
  lines.push(`- ${f.harness.label}`);
  lines.push(`- model ${f.architecture?.architecture.id} from ${f.architecture?.source}`);
  lines.push(
    `- dtype ${e.effective.dtype}, kv_cache_dtype ${e.effective.kvCacheDtype}, max_model_len ${e.maxModelLen}, max_num_seqs ${e.effective.maxNumSeqs}, CUDA graphs ${e.effective.enforceEager ? 'off (enforce_eager)' : 'on'}`,
  );
  const taskSources = [...new Set(f.tasks.tasks.map((t) => t.source))];
  if (f.tasks.tasks.length)
    lines.push(
      `- tasks: ${f.workload.outputTypes.join(', ')} (${f.tasks.tasks.length} tasks from ${taskSources.join(', ')})`,
    );
  if (f.tasks.unknown.length) lines.push(`- unknown tasks: ${f.tasks.unknown.join(', ')}`);
  for (const a of e.assumptions) lines.push(`- ${a}`);
  if (f.defaultArgs.length)
    lines.push(`- Assuming ${defaultSettingsText(f)}: the value passed when it runs may differ.`);
  for (const a of f.unknownArgs)
    lines.push(
      a.keyUnresolved
        ? `- \`${unknownSource(a)}\` is not known here and may set more arguments: not counted.`
        : `- ${a.key.trim()} is \`${a.rawValue}\`, not known here: estimated with vLLM's default.${unknownValueHint(a)}`,
    );
  return lines.join('\n');
}
