// vLLM's own error and warning texts, by version, so a diagnostic quotes what the user's vLLM will
// print (reference/vllm-memory.md §1d, §3, §6). Only vLLM's wording lives here; the memory
// model's own explanations are with the judges in startup.ts.
import { GiB } from '../shared/units';
import type { VllmVersion } from './types';
import { atLeast, type Engine } from './version';

const gib = (bytes: number, digits = 2) => (bytes / GiB).toFixed(digits);

const DOCS = ' See https://docs.vllm.ai/en/latest/configuration/conserving_memory/ for more details.';

/** `determine_num_available_blocks` / `check_enough_kv_cache_memory` with nothing left for the KV cache. */
export function noCacheMemoryMessage(engine: Engine, version: VllmVersion): string {
  let s =
    'No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.';
  if (engine === 'V1' && atLeast(version, 0, 22)) {
    s =
      'No available memory for the cache blocks. Try increasing `gpu_memory_utilization` (this flag also controls CPU memory reservation on the CPU backend, despite its name) when initializing the engine.';
  }
  if (engine === 'V1' && atLeast(version, 0, 13)) s += DOCS;
  return s;
}

/** V0 `raise_if_cache_size_invalid`; V1 `check_enough_kv_cache_memory` ("To serve at least one request ..."). */
export function maxSeqLenMessage(
  engine: Engine,
  version: VllmVersion,
  maxModelLen: number,
  kvTokens: number,
  neededBytes: number,
  availableBytes: number,
  estimatedMaxLen: number,
): string {
  if (engine === 'V0') {
    return `The model's max seq len (${maxModelLen}) is larger than the maximum number of tokens that can be stored in KV cache (${kvTokens}). Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`;
  }
  const need = gib(neededBytes);
  const have = gib(Math.max(0, availableBytes));
  if (!atLeast(version, 0, 8, 5)) {
    return `To serve at least one request with the models's max seq len (${maxModelLen}), (${need} GB KV cache is needed, which is larger than the available KV cache memory (${have} GB). Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`;
  }
  if (!atLeast(version, 0, 10)) {
    return `To serve at least one request with the models's max seq len (${maxModelLen}), (${need} GiB KV cache is needed, which is larger than the available KV cache memory (${have} GiB). Based on the available memory, Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`;
  }
  const head = atLeast(version, 0, 22) ? "model's" : "models's";
  const util = atLeast(version, 0, 22)
    ? '`gpu_memory_utilization` (which also controls CPU memory on the CPU backend)'
    : '`gpu_memory_utilization`';
  return (
    `To serve at least one request with the ${head} max seq len (${maxModelLen}), (${need} GiB KV cache is needed, which is larger than the available KV cache memory (${have} GiB). Based on the available memory, the estimated maximum model length is ${estimatedMaxLen}. Try increasing ${util} or decreasing \`max_model_len\` when initializing the engine.` +
    (atLeast(version, 0, 14) ? DOCS : '')
  );
}

/** V1 ≥ 0.9.1 `init_device` / `request_memory` start-up check (#18974, #30868). */
export function freeMemoryMessage(version: VllmVersion, freeBytes: number, totalBytes: number, util: number): string {
  const device = atLeast(version, 0, 14) ? 'device cuda:0' : 'device';
  const requested = atLeast(version, 0, 14)
    ? Math.ceil(((util * totalBytes) / GiB) * 100) / 100
    : (util * totalBytes) / GiB;
  return `Free memory on ${device} (${gib(freeBytes)}/${gib(totalBytes)} GiB) on startup is less than desired GPU memory utilization (${util}, ${requested.toFixed(2)} GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes.`;
}

/** `_get_and_verify_max_len` refusing a user max_model_len above the derived one. */
export function maxModelLenMessage(maxModelLen: number, derived: number): string {
  return `User-specified max_model_len (${maxModelLen}) is greater than the derived max_model_len (max_position_embeddings=${derived} or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1.`;
}

/** V0 `model_runner.capture_model` logs this before every capture (@e9d517f27673). */
export const V0_CUDA_GRAPHS_WARNING =
  'CUDA graphs can take additional 1~3 GiB memory per GPU. If you are running out of memory, consider decreasing `gpu_memory_utilization` or enforcing eager mode. You can also reduce the `max_num_seqs` as needed to decrease memory usage.';
