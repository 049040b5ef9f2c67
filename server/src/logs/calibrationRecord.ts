// A log as a record of the project's calibration set, in the schema of the shared
// vllm-memory-logs.md (same keys, same order): a number only if the log prints it, null otherwise;
// nothing is inferred (the tensor-parallel size is left null unless a setting says it). A user's
// own runs, written with `lm-eval-lens calibrate --write FILE`, can be contributed as they are.
import type { LogDiagnosis } from './diagnose';
import { PHASE_TEXT } from './failureCause';
import type { LogFacts, LogFailure } from './types';

export type RecordValue = string | number | boolean | null;

/** The schema's keys, in its order (`entrypoint` is the second file's addition). */
export const RECORD_KEYS = [
  'id',
  'source_url',
  'source_kind',
  'source_date',
  'model',
  'model_family',
  'params_b',
  'vllm_version',
  'engine',
  'gpu_model',
  'gpu_total_gib',
  'num_gpus',
  'tensor_parallel_size',
  'pipeline_parallel_size',
  'gpu_memory_utilization',
  'max_model_len',
  'max_num_batched_tokens',
  'max_num_seqs',
  'dtype',
  'quantization',
  'kv_cache_dtype',
  'enforce_eager',
  'block_size',
  'weights_gib',
  'non_torch_gib',
  'activation_peak_gib',
  'kv_cache_gib',
  'gpu_blocks',
  'cpu_blocks',
  'kv_tokens',
  'max_concurrency',
  'cudagraph_gib',
  'startup_or_run_failed',
  'cuda_oom',
  'failure_kind',
  'error',
  'notes',
  'entrypoint',
] as const;

export type CalibrationRecord = Record<(typeof RECORD_KEYS)[number], RecordValue>;

export interface RecordOptions {
  /** Where the log can be seen (an issue, a gist); null when it is the user's own file. */
  sourceUrl?: string;
  /** The date the record was written (YYYY-MM-DD) when the log's timestamps carry no year. */
  today: string;
  /** The log's file name, for the notes. */
  file: string;
}

function failureKind(f: LogFailure, d: LogDiagnosis): string {
  switch (f.kind) {
    case 'max-seq-len-exceeds-kv':
      return 'max_model_len > KV capacity';
    case 'no-kv-memory':
      return (f.numbers.availableKvGiB ?? d.launch.loggedKvGiB ?? 0) < 0
        ? 'negative KV budget'
        : 'no memory for KV cache';
    case 'free-memory-check':
      return 'free memory below the budget at start-up';
    case 'sampler-warmup-oom':
      return 'CUDA OOM in the sampler warm-up';
    case 'cuda-oom':
    case 'cuda-error-oom':
      if (d.code === 'gpu-memory-in-use') return 'CUDA OOM (GPU shared with other processes)';
      if (d.phase === 'weight-loading') return 'CUDA OOM (weights do not fit)';
      return `CUDA OOM ${PHASE_TEXT[d.phase ?? 'unknown']}`;
    default:
      return f.kind;
  }
}

/** Nominal size from the model's name (`Qwen2.5-72B` → 72), as the schema's params_b. */
function paramsFromName(model: string | undefined): number | null {
  const m = model ? /(?:^|[-_/])(\d+(?:\.\d+)?)[bB](?:$|[-_])/.exec(model) : null;
  return m ? Number(m[1]) : null;
}

export function calibrationRecord(facts: LogFacts, d: LogDiagnosis, opts: RecordOptions): CalibrationRecord {
  const s = facts.settings;
  const m = facts.memory;
  const setting = (key: string): RecordValue => {
    const v = s[key]?.value;
    return v === undefined ? null : v;
  };
  const numeric = (key: string): number | null => {
    const v = s[key]?.value;
    return typeof v === 'number'
      ? v
      : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
        ? Number(v)
        : null;
  };
  const tp = numeric('tensor_parallel_size');
  const pp = numeric('pipeline_parallel_size');
  const f = d.failure;
  const memoryFailure = !!f && d.memory;
  const notes = [`Written by lm-eval-lens calibrate from ${opts.file}.`];
  if (!facts.version)
    notes.push(`vLLM version not printed (about ${d.launch.versionLabel}, from ${d.launch.versionFrom}).`);
  if (m.maxConcurrency && m.maxConcurrency.value.tokens !== numeric('max_model_len'))
    notes.push(`Maximum concurrency is for ${m.maxConcurrency.value.tokens} tokens per request.`);
  const record: CalibrationRecord = {
    id: null,
    source_url: opts.sourceUrl ?? null,
    source_kind: 'log (lm-eval-lens calibrate)',
    source_date: facts.date?.value ?? opts.today,
    model: facts.model?.value ?? null,
    model_family: null,
    params_b: paramsFromName(facts.model?.value),
    vllm_version: facts.version?.value ?? null,
    engine: facts.engine?.value ?? facts.engineHint?.value ?? null,
    gpu_model: facts.gpuName?.value ?? null,
    gpu_total_gib: m.totalGpuGiB?.value ?? f?.numbers.capacityGiB ?? f?.numbers.startupTotalGiB ?? null,
    num_gpus: tp !== null && pp !== null ? tp * pp * (numeric('data_parallel_size') ?? 1) : null,
    tensor_parallel_size: tp,
    pipeline_parallel_size: pp,
    gpu_memory_utilization: numeric('gpu_memory_utilization') ?? m.gpuMemoryUtilization?.value ?? null,
    max_model_len: numeric('max_model_len'),
    max_num_batched_tokens: numeric('max_num_batched_tokens'),
    max_num_seqs: numeric('max_num_seqs'),
    dtype: setting('dtype'),
    quantization: setting('quantization'),
    kv_cache_dtype: setting('kv_cache_dtype'),
    enforce_eager: typeof s.enforce_eager?.value === 'boolean' ? s.enforce_eager.value : null,
    block_size: numeric('block_size'),
    weights_gib: m.weightsGiB?.value ?? null,
    non_torch_gib: m.nonTorchGiB?.value ?? null,
    activation_peak_gib: m.activationGiB?.value ?? null,
    kv_cache_gib: m.kvCacheGiB?.value ?? f?.numbers.availableKvGiB ?? null,
    gpu_blocks: m.gpuBlocks?.value ?? null,
    cpu_blocks: m.cpuBlocks?.value ?? null,
    kv_tokens: m.kvTokens?.value ?? f?.numbers.kvTokens ?? null,
    max_concurrency: m.maxConcurrency?.value.times ?? null,
    cudagraph_gib: m.cudaGraphGiB?.value ?? null,
    startup_or_run_failed: d.status === 'failed' ? true : d.status === 'healthy' ? false : null,
    cuda_oom: !f ? (d.status === 'healthy' ? false : null) : memoryFailure ? /oom/.test(f.kind) : false,
    failure_kind: f ? failureKind(f, d) : null,
    error: f?.message ?? null,
    notes: notes.join(' '),
    entrypoint: facts.server?.value ? 'serve' : facts.lmEvalModelArgs || facts.command ? 'llm' : null,
  };
  return record;
}
