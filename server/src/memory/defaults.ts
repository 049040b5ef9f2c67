// The defaults vLLM fills in for what the user leaves unset, by version and engine, each beside the
// assumption text it implies (reference/vllm-memory.md §4; vllm-memory-2026.md §1.2, §2.4, §2.6).
// Sources: `EngineArgs` / `_set_default_args_v0|v1` and `get_batch_defaults` (engine/arg_utils.py),
// `_get_and_verify_dtype` / `_get_and_verify_max_len` (config.py, later config/model.py).
import { GiB } from '../shared/units';
import type { Entrypoint, GpuSpec, ModelArchitecture, VllmVersion } from './types';
import { atLeast, type Engine, versionText } from './version';

/** `gpu_memory_utilization` default: 0.90, and 0.92 from 0.21 (#38284, with graph accounting). */
export function defaultGpuMemoryUtilization(version: VllmVersion): number {
  return atLeast(version, 0, 21) ? 0.92 : 0.9;
}

export function gpuMemoryUtilizationAssumption(util: number, version: VllmVersion): string {
  return `gpu_memory_utilization = ${util} (vLLM ${versionText(version)} default; lm-eval ≤ 0.4.11 passed 0.9 itself)`;
}

export interface ResolvedDtype {
  dtype: 'bfloat16' | 'float16' | 'float32';
  bytes: number;
  note?: string;
}

const DTYPE_ALIASES: Record<string, ResolvedDtype['dtype']> = {
  half: 'float16',
  float16: 'float16',
  fp16: 'float16',
  'torch.float16': 'float16',
  bfloat16: 'bfloat16',
  bf16: 'bfloat16',
  'torch.bfloat16': 'bfloat16',
  float: 'float32',
  float32: 'float32',
  fp32: 'float32',
  'torch.float32': 'float32',
};

const DTYPE_BYTES: Record<ResolvedDtype['dtype'], number> = { bfloat16: 2, float16: 2, float32: 4 };

/** Bytes per parameter of a checkpoint stored in `torch_dtype` (bf16 when unknown). */
export function checkpointDtypeBytes(torchDtype: string | undefined): number {
  return DTYPE_BYTES[DTYPE_ALIASES[(torchDtype ?? '').toLowerCase()] ?? 'bfloat16'];
}

/**
 * `dtype` as vLLM resolves it (`_get_and_verify_dtype`): `auto` follows the config's torch_dtype;
 * a float32 (or missing) config is downcast — to fp16 up to 0.9.0 (bf16 for Gemma 2), to the
 * platform's first supported type (bf16 on sm80+) from 0.9.1 (#18751).
 */
export function resolveDtype(
  arch: ModelArchitecture,
  requested: string | undefined,
  gpu: GpuSpec,
  version: VllmVersion,
): ResolvedDtype {
  const req = (requested ?? 'auto').trim().toLowerCase();
  const explicit = DTYPE_ALIASES[req];
  if (explicit) {
    const r: ResolvedDtype = { dtype: explicit, bytes: DTYPE_BYTES[explicit] };
    if (explicit === 'bfloat16' && !gpu.supportsBf16)
      r.note = `${gpu.name} has no bfloat16 support: vLLM refuses dtype=bfloat16 there`;
    return r;
  }
  const config = DTYPE_ALIASES[(arch.torchDtype ?? '').toLowerCase()];
  if (!config || config === 'float32') {
    const why = config ? 'a float32 config' : 'no torch_dtype in the config';
    if (!atLeast(version, 0, 9, 1)) {
      const d = arch.modelType === 'gemma2' ? 'bfloat16' : 'float16';
      return { dtype: d, bytes: 2, note: `dtype=auto with ${why}: vLLM ${versionText(version)} loads ${d}` };
    }
    const d = gpu.supportsBf16 ? 'bfloat16' : 'float16';
    return { dtype: d, bytes: 2, note: `dtype=auto with ${why}: vLLM ≥ 0.9.1 loads ${d} on ${gpu.name}` };
  }
  if (config === 'bfloat16' && !gpu.supportsBf16) {
    return {
      dtype: 'float16',
      bytes: 2,
      note: `bfloat16 checkpoint on ${gpu.name} (no bf16): float16 assumed (older vLLM refuses and asks for dtype=half)`,
    };
  }
  return { dtype: config, bytes: DTYPE_BYTES[config] };
}

export function dtypeAssumption(arch: ModelArchitecture, dtype: ResolvedDtype): string {
  return `dtype = auto → ${dtype.dtype}${arch.torchDtype ? ` (config torch_dtype ${arch.torchDtype})` : ''}`;
}

function isA100(gpu: GpuSpec): boolean {
  return /a100/i.test(gpu.name);
}

/**
 * `max_num_seqs` default. V0: 256. V1 `LLM` class (#13726, 0.8.0): 1024 on devices with ≥ 70 GiB,
 * else 256; A100 is excluded from the large default from 0.9.0 (#17885).
 */
export function defaultMaxNumSeqs(engine: Engine, version: VllmVersion, gpu: GpuSpec): number {
  if (engine === 'V0' || !atLeast(version, 0, 8)) return 256;
  const big = gpu.totalBytes >= 70 * GiB && !(isA100(gpu) && atLeast(version, 0, 9));
  return big ? 1024 : 256;
}

export function maxNumSeqsAssumption(maxNumSeqs: number, engine: Engine, gpu: GpuSpec): string {
  return `max_num_seqs = ${maxNumSeqs} (vLLM ${engine} default on ${gpu.name})`;
}

export interface ChunkedPrefill {
  enabled: boolean;
  /** When vLLM overrides what the user asked for, why. */
  note?: string;
}

/**
 * Whether chunked prefill is on (reference/vllm-memory-2026.md §2.4). V1 up to ≈0.11
 * (`_set_default_args_v1`): always, a user's False is ignored ("V1 always uses chunked
 * prefills"); later copies (`_set_default_chunked_prefill_and_prefix_caching_args`) honour False.
 * V0 (`_set_default_args_v0`, 0.5+): off unless asked, or by default for max_model_len > 32K
 * without a sliding window, and never by default for MLA models ("Chunked prefill not supported
 * for Multimodal or MLA in V0").
 */
export function chunkedPrefill(
  engine: Engine,
  version: VllmVersion,
  arch: ModelArchitecture,
  maxModelLen: number,
  explicit: boolean | undefined,
): ChunkedPrefill {
  if (engine === 'V1') {
    if (explicit === false && !atLeast(version, 0, 12))
      return {
        enabled: true,
        note: `vLLM ${versionText(version)} V1 always uses chunked prefill: enable_chunked_prefill=False is ignored`,
      };
    return { enabled: explicit ?? true };
  }
  if (explicit !== undefined) return { enabled: explicit };
  return { enabled: atLeast(version, 0, 5) && maxModelLen > 32768 && !arch.slidingWindow && !arch.mla };
}

/** Whether chunked prefill is on; see chunkedPrefill. */
export function chunkedPrefillEnabled(
  engine: Engine,
  version: VllmVersion,
  arch: ModelArchitecture,
  maxModelLen: number,
  explicit: boolean | undefined,
): boolean {
  return chunkedPrefill(engine, version, arch, maxModelLen, explicit).enabled;
}

/**
 * `max_num_batched_tokens` default. V1 `LLM` class: 16384 on ≥ 70 GiB non-A100 devices, else 8192;
 * `vllm serve`: 8192 / 2048 (`get_batch_defaults`); capped at max_num_seqs × max_model_len and
 * raised to max_model_len without chunked prefill. V0: max(max_model_len, 2048) without chunked
 * prefill; with it 512 (0.5–0.6) and 2048 from 0.7 (unverified boundary).
 */
export function defaultMaxNumBatchedTokens(
  engine: Engine,
  version: VllmVersion,
  gpu: GpuSpec,
  maxModelLen: number,
  maxNumSeqs: number,
  chunked: boolean,
  entrypoint: Entrypoint = 'llm',
): number {
  if (engine === 'V0') {
    if (!chunked) return Math.max(maxModelLen, 2048);
    return atLeast(version, 0, 7) ? 2048 : 512;
  }
  const big = gpu.totalBytes >= 70 * GiB && !isA100(gpu);
  let mnbt = entrypoint === 'serve' ? (big ? 8192 : 2048) : big ? 16384 : 8192;
  mnbt = Math.min(mnbt, maxNumSeqs * maxModelLen);
  if (!chunked) mnbt = Math.max(mnbt, maxModelLen);
  return mnbt;
}

export function maxNumBatchedTokensAssumption(
  mnbt: number,
  engine: Engine,
  entrypoint: Entrypoint,
  chunked: boolean,
): string {
  return `max_num_batched_tokens = ${mnbt} (${engine} default${entrypoint === 'serve' ? ' for vllm serve' : ''}, chunked prefill ${chunked ? 'on' : 'off'})`;
}

/**
 * The max_model_len vLLM derives (`_get_and_verify_max_len`): max_position_embeddings, times the
 * rope-scaling factor for types other than su/longrope/llama3/mrope (yarn starts from
 * original_max_position_embeddings; Gemma 3's value is already scaled). Before 0.6.4 (#9414)
 * Gemma 2 was capped at its 4096 sliding window.
 */
export function defaultMaxModelLen(arch: ModelArchitecture, version: VllmVersion): number {
  let len = arch.maxPositionEmbeddings > 0 ? arch.maxPositionEmbeddings : 2048;
  const rs = arch.ropeScaling;
  const type = rs?.type?.toLowerCase() ?? '';
  if (
    rs?.factor &&
    rs.factor > 0 &&
    !['su', 'longrope', 'llama3', 'mrope', 'default'].includes(type) &&
    !arch.modelType.startsWith('gemma3')
  ) {
    const base = type === 'yarn' && rs.originalMaxPositionEmbeddings ? rs.originalMaxPositionEmbeddings : len;
    len = Math.floor(base * rs.factor);
  }
  if (arch.modelType === 'gemma2' && arch.slidingWindow && !atLeast(version, 0, 6, 4))
    len = Math.min(len, arch.slidingWindow.window);
  return len;
}

export function maxModelLenAssumption(derived: number): string {
  return `max_model_len = ${derived} (derived from the model config; lm-eval passes none unless max_length/max_model_len is set)`;
}

/** KV block size: 16 tokens unless set (the V1 backends that force another size are not modelled here). */
export const DEFAULT_BLOCK_SIZE = 16;

/** Whether a `dtype=` value loads float32 weights (`float`, `float32`, `fp32`, `torch.float32`). */
export function isFloat32Dtype(dtypeSetting: string | undefined): boolean {
  return DTYPE_ALIASES[(dtypeSetting ?? '').trim().toLowerCase()] === 'float32';
}
