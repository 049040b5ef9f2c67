// From the model_args lm-eval passes to its vllm backend to the engine settings the memory model
// takes (lm_eval/models/vllm_causallms.py: max_length → max_model_len, max_batch_size → max_num_seqs).
import type { ArgValue, ModelArg } from '../parse/types';
import type { VllmSettings } from '../memory/types';

export function asNumber(v: ArgValue | undefined): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function asBoolean(v: ArgValue | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 'yes') return true;
    if (s === 'false' || s === '0' || s === 'no') return false;
  }
  return undefined;
}

export function asString(v: ArgValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** `kv_transfer_config`'s connector (`{"kv_connector": "LMCacheConnectorV1", ...}`, as an object or JSON text). */
export function kvConnectorName(v: ArgValue | undefined): string | undefined {
  let value = v;
  if (typeof v === 'string') {
    if (/^\s*(none|null)?\s*$/i.test(v)) return undefined;
    try {
      value = JSON.parse(v) as ArgValue;
    } catch {
      return v.trim() ? 'unnamed' : undefined;
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const name = value.kv_connector;
  return typeof name === 'string' && name.trim() ? name.trim() : 'unnamed';
}

/** The last occurrence of each key wins, as in both lm-eval parsers. Unresolved values are left out. */
export function argsByKey(args: readonly ModelArg[]): Map<string, ModelArg> {
  const m = new Map<string, ModelArg>();
  for (const a of args) m.set(a.key.trim(), a);
  return m;
}

export function vllmSettingsFromArgs(args: ReadonlyMap<string, ModelArg>, cliMaxBatchSize?: number): VllmSettings {
  const val = (k: string) => {
    const a = args.get(k);
    return a && !a.unresolved ? a.value : undefined;
  };
  const s: VllmSettings = {};
  s.gpuMemoryUtilization = asNumber(val('gpu_memory_utilization'));
  s.maxModelLen = asNumber(val('max_model_len')) ?? asNumber(val('max_length'));
  s.dtype = asString(val('dtype'));
  s.kvCacheDtype = asString(val('kv_cache_dtype'));
  s.quantization = asString(val('quantization'));
  s.tensorParallelSize = asNumber(val('tensor_parallel_size'));
  s.pipelineParallelSize = asNumber(val('pipeline_parallel_size'));
  s.dataParallelSize = asNumber(val('data_parallel_size'));
  s.maxNumSeqs = asNumber(val('max_num_seqs')) ?? asNumber(val('max_batch_size')) ?? cliMaxBatchSize;
  s.maxNumBatchedTokens = asNumber(val('max_num_batched_tokens'));
  s.enableChunkedPrefill = asBoolean(val('enable_chunked_prefill'));
  s.enforceEager = asBoolean(val('enforce_eager'));
  s.blockSize = asNumber(val('block_size'));
  s.cpuOffloadGb = asNumber(val('cpu_offload_gb'));
  s.distributedExecutorBackend = asString(val('distributed_executor_backend'));
  const kvMem = asNumber(val('kv_cache_memory_bytes'));
  if (kvMem !== undefined) s.kvCacheMemoryBytes = kvMem;
  s.kvConnector = kvConnectorName(val('kv_transfer_config'));
  // A rope-scaling override raises the length vLLM derives; we do not re-derive it, so a longer
  // max_model_len is taken as intended. The environment (VLLM_USE_V1, VLLM_ALLOW_LONG_MAX_MODEL_LEN,
  // ...) goes to the estimate as it is, and the memory model reads it (memory/inputs.ts), so a
  // value the tool cannot read stays unknown.
  const overrides = args.get('hf_overrides');
  if (args.has('rope_scaling') || (overrides && /rope/.test(JSON.stringify(overrides.value))))
    s.allowLongMaxModelLen = true;
  for (const k of Object.keys(s) as (keyof VllmSettings)[]) if (s[k] === undefined) delete s[k];
  return s;
}
