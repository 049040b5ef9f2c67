// The environment variables of a launch that change vLLM's memory (vllm/envs.py), parsed as vLLM
// parses them; unset, empty or unparsable values (`$VAR`, `$(...)`) stay unknown.

/** The environment variables vLLM reads that change memory (vllm/envs.py), parsed as vLLM parses them. */
export interface VllmEnvironment {
  /** VLLM_USE_V1 (0.7–0.10 choose the engine with it). */
  useV1?: boolean;
  /** VLLM_USE_FLASHINFER_SAMPLER: force the FlashInfer top-k/top-p sampler on or off. */
  flashinferSampler?: boolean;
  /** VLLM_PP_LAYER_PARTITION: the layers of each pipeline stage ("a,b,…"). */
  ppLayerPartition?: number[];
  /** PYTORCH_CUDA_ALLOC_CONF with expandable_segments:True (less fragmentation after profiling). */
  expandableSegments?: boolean;
  /** VLLM_ATTENTION_BACKEND=FLASHINFER…: the FlashInfer package is installed. */
  flashinferInstalled?: boolean;
  /** VLLM_ALLOW_LONG_MAX_MODEL_LEN. */
  allowLongMaxModelLen?: boolean;
  /** VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS. */
  estimateCudaGraphs?: boolean;
}

/** `1`/`true` and `0`/`false` (vllm/envs.py reads `bool(int(...))` or a lower-cased `true`); anything else is unknown. */
function envFlag(v: string | undefined): boolean | undefined {
  const s = v?.trim().toLowerCase();
  if (s === '1' || s === 'true') return true;
  if (s === '0' || s === 'false') return false;
  return undefined;
}

/** The variables that change memory; unset, empty or unparsable ones (`$VAR`, `$(...)`) stay unknown. */
export function vllmEnvironment(env: Readonly<Record<string, string | undefined>> | undefined): VllmEnvironment {
  const out: VllmEnvironment = {};
  if (!env) return out;
  const set = <K extends keyof VllmEnvironment>(k: K, v: VllmEnvironment[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('useV1', envFlag(env.VLLM_USE_V1));
  set('flashinferSampler', envFlag(env.VLLM_USE_FLASHINFER_SAMPLER));
  set('allowLongMaxModelLen', envFlag(env.VLLM_ALLOW_LONG_MAX_MODEL_LEN));
  set('estimateCudaGraphs', envFlag(env.VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS));
  if (/^FLASHINFER/i.test(env.VLLM_ATTENTION_BACKEND?.trim() ?? '')) out.flashinferInstalled = true;
  const partition = env.VLLM_PP_LAYER_PARTITION?.trim();
  if (partition && /^\d+(\s*,\s*\d+)*$/.test(partition)) set('ppLayerPartition', partition.split(',').map(Number));
  const alloc = env.PYTORCH_CUDA_ALLOC_CONF;
  const expandable = alloc ? /(?:^|,)\s*expandable_segments\s*:\s*(\w+)/i.exec(alloc)?.[1] : undefined;
  if (expandable) set('expandableSegments', envFlag(expandable));
  return out;
}
