// The public vLLM start-up logs (../shared/data/vllm-memory-logs.jsonl) turned into estimate
// inputs and the figures to compare, by general rules only: nothing here is tuned per record.
// Shared by calibration.test.ts and scripts/bench-accuracy.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lookupArchitectureDetailed } from '../../../server/src/memory/architectures';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { type AccountingEra, accountingEra } from '../../../server/src/memory/errorBands';
import { kvCacheBlocks } from '../../../server/src/memory/terms/kvCache';
import { resolveGpu } from '../../../server/src/memory/gpus';
import type {
  Entrypoint,
  EstimateInput,
  GpuSpec,
  MemoryEstimate,
  VllmSettings,
  VllmVersion,
} from '../../../server/src/memory/types';
import { parseVllmVersion, vllmReleaseOnDate } from '../../../server/src/memory/version';
import { sharedRoot } from '../../helpers/paths';
import { GiB } from '../../../server/src/shared/units';

export interface LogRecord {
  id: number;
  source_url: string;
  source_date: string | null;
  model: string | null;
  vllm_version: string | null;
  engine: string | null;
  gpu_model: string | null;
  gpu_total_gib: number | null;
  num_gpus: number | null;
  tensor_parallel_size: number | null;
  pipeline_parallel_size: number | null;
  gpu_memory_utilization: number | null;
  max_model_len: number | null;
  max_num_batched_tokens: number | null;
  max_num_seqs: number | null;
  dtype: string | null;
  quantization: string | null;
  kv_cache_dtype: string | null;
  enforce_eager: boolean | null;
  block_size: number | null;
  weights_gib: number | null;
  non_torch_gib: number | null;
  activation_peak_gib: number | null;
  kv_cache_gib: number | null;
  gpu_blocks: number | null;
  kv_tokens: number | null;
  cudagraph_gib: number | null;
  startup_or_run_failed: boolean | null;
  cuda_oom: boolean | null;
  failure_kind: string | null;
  error: string | null;
  notes: string | null;
  /** Second file only: `serve` (vllm serve / the OpenAI server), `llm` (LLM(...)), null when not shown. */
  entrypoint?: 'serve' | 'llm' | null;
}

/** Both public log files: the first collection and the December 2026 one (ids 2002–2052). */
export const LOGS_PATHS = ['vllm-memory-logs.jsonl', 'vllm-memory-logs-2.jsonl'].map((f) =>
  path.join(sharedRoot, 'data', f),
);

export function loadRecords(files: readonly string[] = LOGS_PATHS): LogRecord[] {
  return files.flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LogRecord),
  );
}

/** The version a record ran: as printed; else by its date; else the engine's typical release (V1 0.10, V0 0.6.6). */
export function versionOf(r: LogRecord): { version: VllmVersion; how: string } {
  // The version as printed, also when a note follows it (`0.17.1 (ROCm wheel)`).
  const printed = r.vllm_version ? parseVllmVersion(r.vllm_version.split(/\s/)[0]) : undefined;
  if (printed) return { version: printed, how: 'printed' };
  if (r.source_date) {
    // Before the first snapshot: a 0.2/0.3 release, estimated with (and flagged as) 0.4.0's accounting.
    const v = vllmReleaseOnDate(r.source_date) ?? '0.3.0';
    return { version: parseVllmVersion(v)!, how: `from the date ${r.source_date}` };
  }
  return {
    version: parseVllmVersion(r.engine?.startsWith('V1') ? '0.10.0' : '0.6.6')!,
    how: `typical ${r.engine ?? 'V0'} release`,
  };
}

/** The GPU a record names: as written, else the name before a parenthesis (`A10G (AWS g5.2xlarge)`). */
function namedGpu(name: string | null): GpuSpec | undefined {
  if (!name) return undefined;
  return resolveGpu(name) ?? resolveGpu(name.split('(')[0].trim());
}

function gpuOf(r: LogRecord): GpuSpec | undefined {
  const named = namedGpu(r.gpu_model);
  if (r.gpu_total_gib) {
    return {
      name: named?.name ?? r.gpu_model ?? 'custom',
      totalBytes: r.gpu_total_gib * GiB,
      supportsBf16: named?.supportsBf16 ?? true,
    };
  }
  return named;
}

/** Quantization as the logs name it → a `quantization=` value. */
function quantizationOf(q: string | null): string | undefined {
  // "fp8 (checkpoint)", "int4 (native QAT checkpoint)": no flag; vLLM reads the checkpoint's config.
  if (!q || /checkpoint|native/i.test(q)) return undefined;
  const s = q.toLowerCase();
  if (s.includes('mxfp4')) return 'mxfp4';
  if (s.includes('nvfp4') || s.includes('fp4')) return 'nvfp4';
  if (s.includes('fp8')) return 'fp8';
  if (s.includes('awq')) return 'awq';
  if (s.includes('gptq')) return 'gptq';
  if (s.includes('bitsandbytes') || s.includes('bnb')) return 'bitsandbytes';
  return s;
}

/** `vllm serve` / the OpenAI image use the server's batch defaults, not the LLM class's. */
function entrypointOf(r: LogRecord): Entrypoint {
  if (r.entrypoint) return r.entrypoint;
  const text = `${r.notes ?? ''} ${r.error ?? ''}`;
  return /vllm serve|vllm-openai|api_server|--[a-z]+-[a-z]+/i.test(text) ? 'serve' : 'llm';
}

/** Environment variables a quoted command sets (`VLLM_ATTENTION_BACKEND=FLASHINFER lm_eval ...`). */
function envOf(r: LogRecord): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of `${r.notes ?? ''}`.matchAll(/(?:^|[\s'"])((?:VLLM|PYTORCH)_[A-Z0-9_]+)=([^\s'"]+)/g))
    env[m[1]] = m[2];
  return env;
}

/** A KV connector the notes mention (`--kv-transfer-config LMCacheConnectorV1`, "with LMCache"). */
function kvConnectorOf(r: LogRecord): string | undefined {
  const text = `${r.notes ?? ''} ${r.error ?? ''}`;
  if (!/kv[-_]transfer[-_]config|LMCache/i.test(text)) return undefined;
  return /\b(\w*Connector\w*)/.exec(text)?.[1] ?? 'unnamed';
}

/**
 * Facts a record states only in its notes, quoted: the input they change. Only inputs, never
 * expected numbers.
 */
const FACTS_FROM_NOTES: Record<number, { quote: string; apply: (g: GpuSpec) => GpuSpec }> = {
  42: { quote: '~15 GB used by other processes', apply: (g) => ({ ...g, freeBytes: g.totalBytes - 15e9 }) },
};

export interface Case {
  record: LogRecord;
  /** Why the record lies outside what the model claims to model (not counted in the accuracy figures). */
  outOfRange?: string;
  input?: EstimateInput;
  /** Why the record cannot become an estimate (no model, no GPU, no parallel layout). */
  skip?: string;
  versionHow?: string;
}

function caseWithoutRange(r: LogRecord): Case {
  const found = r.model ? lookupArchitectureDetailed(r.model) : undefined;
  if (!found)
    return {
      record: r,
      skip: r.model ? `model "${r.model}" is not in the catalog` : 'the model id is not in the excerpt',
    };
  if (found.architecture.notModelled)
    return {
      record: r,
      skip: `architecture not modelled (${found.architecture.modelType}): ${found.architecture.notModelled}`,
    };
  const tp =
    r.tensor_parallel_size ??
    (r.num_gpus === 1 || (r.pipeline_parallel_size && r.num_gpus === r.pipeline_parallel_size) ? 1 : undefined);
  const pp =
    r.pipeline_parallel_size ??
    (tp !== undefined && r.num_gpus === tp ? 1 : tp === 1 && r.num_gpus === 1 ? 1 : undefined);
  const { version, how } = versionOf(r);
  const settings: VllmSettings = {};
  if (tp !== undefined) settings.tensorParallelSize = tp;
  if (pp !== undefined) settings.pipelineParallelSize = pp;
  if (r.gpu_memory_utilization) settings.gpuMemoryUtilization = r.gpu_memory_utilization;
  if (r.max_model_len) settings.maxModelLen = r.max_model_len;
  if (r.max_num_batched_tokens) settings.maxNumBatchedTokens = r.max_num_batched_tokens;
  if (r.max_num_seqs) settings.maxNumSeqs = r.max_num_seqs;
  if (r.dtype) settings.dtype = r.dtype;
  const q = quantizationOf(r.quantization);
  if (q) settings.quantization = q;
  if (r.kv_cache_dtype) settings.kvCacheDtype = r.kv_cache_dtype;
  if (r.enforce_eager !== null) settings.enforceEager = r.enforce_eager;
  if (r.block_size) settings.blockSize = r.block_size;
  const connector = kvConnectorOf(r);
  if (connector) settings.kvConnector = connector;
  const gpu = gpuOf(r);
  const base: Case = { record: r, versionHow: how };
  const fallbackGpu: GpuSpec = { name: 'unknown', totalBytes: 80 * GiB, supportsBf16: true };
  const input: EstimateInput = {
    architecture: found.architecture,
    gpu: gpu ? (FACTS_FROM_NOTES[r.id]?.apply(gpu) ?? gpu) : fallbackGpu,
    settings,
    workload: { outputTypes: [] },
    version,
    entrypoint: entrypointOf(r),
    env: envOf(r),
  };
  if (tp === undefined || pp === undefined)
    return { ...base, input, skip: `TP/PP layout not printed (${r.num_gpus ?? '?'} GPUs)` };
  if (!gpu) return { ...base, input, skip: `GPU not identified (${r.gpu_model ?? 'not stated'}, no total logged)` };
  return { ...base, input };
}

/**
 * The range the accuracy targets apply to (issue #15): vLLM ≥ 0.4, no KV connector, a weight
 * quantization whose layout is known, upstream vLLM on an NVIDIA GPU, and launch settings the
 * source gives. The reason, or undefined.
 */
export function outOfRange(c: Case): string | undefined {
  const r = c.record;
  const input = c.input;
  if (!input) return undefined;
  const v = input.version;
  if (v.major === 0 && v.minor < 4) return `vLLM ${v.major}.${v.minor} predates the modelled accounting (0.4+)`;
  if (input.settings.kvConnector) return `KV connector ${input.settings.kvConnector}: its buffers are not modelled`;
  const where = `${r.gpu_model ?? ''} ${r.vllm_version ?? ''} ${r.notes ?? ''}`;
  if (/\b(?:MI\d{2,3}X?|ROCm|gfx\d+)\b|vllm-windows|vllm-gfx906/i.test(`${where} ${r.source_url}`))
    return 'not upstream vLLM on an NVIDIA GPU (ROCm or a fork)';
  // A run whose own launch settings the source withholds cannot be compared with an estimate of them.
  const unstated = /(settings|parameters|arguments|args)[^.]*(not given|not stated|not printed|not shown)/i.exec(
    r.notes ?? '',
  );
  if (unstated) return `the source does not give the launch's settings ("${unstated[0]}")`;
  const q = `${r.quantization ?? ''}`;
  if (/modelopt/i.test(q))
    return 'ModelOpt checkpoint known by name only: its mixed-precision layout is in a config we do not have';
  if ((input.architecture.weightsUncertainty ?? 0) > 0.02)
    return 'quantized checkpoint whose unquantized layers are listed in a config we do not have';
  const e = estimateVllmMemory(input);
  if (e.assumptions.some((a) => /size unknown/.test(a))) return `quantization "${q}" of unknown size`;
  return undefined;
}

export function caseOf(r: LogRecord): Case {
  const c = caseWithoutRange(r);
  const why = outOfRange(c);
  return why ? { ...c, outOfRange: why } : c;
}

/** Weights do not depend on the GPU: a record with the model and the layout can check them alone. */
export function weightsCheckable(c: Case): boolean {
  return !!c.input && c.record.weights_gib !== null && !c.skip?.startsWith('TP/PP');
}

export function estimateOf(c: Case): MemoryEstimate | undefined {
  return c.input ? estimateVllmMemory(c.input) : undefined;
}

/**
 * KV capacity in tokens as logged, with the estimate's matching figure: "GPU KV cache size" and the
 * max-seq-len error give what one engine can place (`kvCacheTokens`); V0's "# GPU blocks" counts
 * every block the rank allocates, before V0's pipeline virtual engines split them, so it is
 * compared with `kvCacheBlocks` × block_size.
 */
export function kvTokensPair(
  r: LogRecord,
  e: MemoryEstimate,
): { logged: number; predicted: number; range: [number, number] } | undefined {
  if (r.kv_tokens !== null) return { logged: r.kv_tokens, predicted: e.kvCacheTokens, range: e.kvCacheTokensRange };
  if (r.gpu_blocks !== null) {
    const bs = r.block_size ?? 16;
    const tokens = (bytes: number) =>
      kvCacheBlocks(bytes, e.kvBytesPerToken, e.effective.blockSize) * e.effective.blockSize;
    return {
      logged: r.gpu_blocks * bs,
      predicted: e.kvCacheBlocks * e.effective.blockSize,
      range: [tokens(e.kvCacheBytesRange[0]), tokens(e.kvCacheBytesRange[1])],
    };
  }
  return undefined;
}

export function relErr(predicted: number, actual: number): number {
  return actual === 0 ? (predicted === 0 ? 0 : Infinity) : (predicted - actual) / Math.abs(actual);
}

export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const GIB = GiB;

/**
 * The residuals the estimate's bands are measured from (server/src/memory/errorBands.ts), over the
 * in-range records: per accounting era, |predicted − logged| KV memory as a fraction of the
 * budget (logged tokens converted with the estimate's bytes per token); and |weights error|.
 */
export function bandResiduals(cases: readonly Case[]): {
  kv: Record<AccountingEra | 'all', number[]>;
  weights: number[];
} {
  const kv: Record<AccountingEra | 'all', number[]> = {
    V0: [],
    'V1 ≤ 0.11': [],
    'V1 0.12–0.20': [],
    'V1 ≥ 0.21': [],
    all: [],
  };
  const weights: number[] = [];
  for (const c of cases) {
    if (c.outOfRange || !c.input) continue;
    const e = estimateOf(c)!;
    const r = c.record;
    if (weightsCheckable(c)) weights.push(Math.abs(relErr(e.weightsBytes / GIB, r.weights_gib!)));
    if (c.skip || !(e.budgetBytes > 0)) continue;
    const pair = kvTokensPair(r, e);
    let diffBytes: number | undefined;
    if (pair && pair.logged > 0) {
      // kvCacheTokens is one V0 virtual engine's share; "# GPU blocks" is the rank's.
      const share = r.kv_tokens !== null && e.effective.engine === 'V0' ? e.effective.pipelineParallelSize : 1;
      diffBytes = (pair.predicted - pair.logged) * e.kvBytesPerToken * share;
    } else if (r.kv_cache_gib !== null) diffBytes = e.kvCacheBytes - r.kv_cache_gib * GIB;
    if (diffBytes === undefined) continue;
    const fraction = Math.abs(diffBytes) / e.budgetBytes;
    kv[accountingEra(e.effective.engine, c.input.version)].push(fraction);
    kv.all.push(fraction);
  }
  return { kv, weights };
}

/** A band from residuals: the largest, rounded up to 0.1 % (0 without records). */
export function measuredBand(residuals: readonly number[]): number {
  return residuals.length ? Math.ceil(Math.max(...residuals) * 1000 - 1e-9) / 1000 : 0;
}
