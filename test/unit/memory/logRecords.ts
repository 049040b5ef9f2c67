// The public vLLM start-up logs (../shared/data/vllm-memory-logs.jsonl) turned into estimate
// inputs and the figures to compare, by general rules only: nothing here is tuned per record.
// Shared by calibration.test.ts and scripts/bench-accuracy.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lookupArchitectureDetailed } from '../../../server/src/memory/architectures';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { resolveGpu } from '../../../server/src/memory/gpus';
import type {
  Entrypoint,
  EstimateInput,
  GpuSpec,
  MemoryEstimate,
  VllmSettings,
  VllmVersion,
} from '../../../server/src/memory/types';
import { parseVllmVersion } from '../../../server/src/memory/version';
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
}

export const LOGS_PATH = path.join(sharedRoot, 'data', 'vllm-memory-logs.jsonl');

export function loadRecords(file = LOGS_PATH): LogRecord[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LogRecord);
}

// Main-branch snapshots of reference/vllm-memory.md, by date: a record without a printed version
// gets the release whose snapshot is the latest on or before its date.
const RELEASES_BY_DATE: [string, string][] = [
  ['2024-03-30', '0.4.0'],
  ['2024-06-02', '0.4.3'],
  ['2024-08-24', '0.5.5'],
  ['2024-10-14', '0.6.3'],
  ['2024-12-28', '0.6.6'],
  ['2025-02-20', '0.7.3'],
  ['2025-03-19', '0.8.0'],
  ['2025-04-29', '0.8.5'],
  ['2025-07-25', '0.10.0'],
  ['2025-10-03', '0.11.0'],
  ['2026-01-15', '0.14.0'],
  ['2026-05-19', '0.22.0'],
];

/** The version a record ran: as printed; else by its date; else the engine's typical release (V1 0.10, V0 0.6.6). */
export function versionOf(r: LogRecord): { version: VllmVersion; how: string } {
  const printed = r.vllm_version ? parseVllmVersion(r.vllm_version) : undefined;
  if (printed) return { version: printed, how: 'printed' };
  if (r.source_date) {
    // Before the first snapshot: a 0.2/0.3 release, estimated with (and flagged as) 0.4.0's accounting.
    let v = '0.3.0';
    for (const [date, rel] of RELEASES_BY_DATE) if (date <= r.source_date) v = rel;
    return { version: parseVllmVersion(v)!, how: `from the date ${r.source_date}` };
  }
  return {
    version: parseVllmVersion(r.engine?.startsWith('V1') ? '0.10.0' : '0.6.6')!,
    how: `typical ${r.engine ?? 'V0'} release`,
  };
}

function gpuOf(r: LogRecord): GpuSpec | undefined {
  const named = r.gpu_model ? resolveGpu(r.gpu_model) : undefined;
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
  if (!q) return undefined;
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
  const text = `${r.notes ?? ''} ${r.error ?? ''}`;
  return /vllm serve|vllm-openai|api_server|--[a-z]+-[a-z]+/i.test(text) ? 'serve' : 'llm';
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
  input?: EstimateInput;
  /** Why the record cannot become an estimate (no model, no GPU, no parallel layout). */
  skip?: string;
  versionHow?: string;
}

export function caseOf(r: LogRecord): Case {
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
  if (r.engine?.startsWith('V0') && version.minor >= 8) settings.useV1 = false;
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
  };
  if (tp === undefined || pp === undefined)
    return { ...base, input, skip: `TP/PP layout not printed (${r.num_gpus ?? '?'} GPUs)` };
  if (!gpu) return { ...base, input, skip: `GPU not identified (${r.gpu_model ?? 'not stated'}, no total logged)` };
  return { ...base, input };
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
export function kvTokensPair(r: LogRecord, e: MemoryEstimate): { logged: number; predicted: number } | undefined {
  if (r.kv_tokens !== null) return { logged: r.kv_tokens, predicted: e.kvCacheTokens };
  if (r.gpu_blocks !== null) {
    const bs = r.block_size ?? 16;
    return { logged: r.gpu_blocks * bs, predicted: e.kvCacheBlocks * e.effective.blockSize };
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
