// vLLM's memory lines, every era (reference/vllm-memory.md §1–§3):
//   ≤ 0.6.3  "Loading model weights took 14.7019 GB" (÷ 2^30: GiB), "# GPU blocks: N, # CPU blocks: M"
//   0.6.4    "Memory profiling results: total_gpu_memory=…GiB … non_torch_memory=… kv_cache_size=… gpu_memory_utilization=…"
//   ≥ 0.6.5  "the current vLLM instance can use total_gpu_memory (T GiB) x gpu_memory_utilization (U) = B GiB"
//            "model weights take W GiB; non_torch_memory takes N GiB; PyTorch activation peak memory takes A GiB;
//             the rest of the memory reserved for KV Cache is K GiB." (also the tabular form of PR #10511)
//   V1       "Model loading took X GiB", "Available KV cache memory: K GiB", "GPU KV cache size: N tokens",
//            "Maximum concurrency for L tokens per request: Xx", "Graph capturing finished in S secs, took G GiB"
//   ≥ 0.19   "Estimated CUDA graph memory: X GiB total", "CUDA graph pool memory: X GiB (actual), Y GiB (estimated)"
// The first rank to log a figure is kept (ranks log the same figures; vLLM keeps the minimum KV).
import { recordKvFigureFailure } from './failureLines';
import type { ReaderState } from './readerState';
import type { Logged, MemoryFigures } from './types';

const num = (s: string) => Number(s.replace(/,/g, ''));

type FigureKey = keyof MemoryFigures;

interface FigurePattern {
  re: RegExp;
  set: (m: RegExpExecArray) => Partial<Record<FigureKey, number | { tokens: number; times: number }>>;
}

const PATTERNS: FigurePattern[] = [
  { re: /Loading model weights took (-?[\d.]+) ?GB/, set: (m) => ({ weightsGiB: num(m[1]) }) },
  { re: /Model loading took (-?[\d.]+) ?(?:GiB|GB)/, set: (m) => ({ weightsGiB: num(m[1]) }) },
  {
    re: /total_gpu_memory \(([\d.]+) ?GiB\) x gpu_memory_utilization \(([\d.]+)\) = ([\d.]+) ?GiB/,
    set: (m) => ({ totalGpuGiB: num(m[1]), gpuMemoryUtilization: num(m[2]), budgetGiB: num(m[3]) }),
  },
  { re: /model weights take (-?[\d.]+) ?GiB/, set: (m) => ({ weightsGiB: num(m[1]) }) },
  { re: /non_torch_memory takes (-?[\d.]+) ?GiB/, set: (m) => ({ nonTorchGiB: num(m[1]) }) },
  { re: /PyTorch activation peak memory takes (-?[\d.]+) ?GiB/, set: (m) => ({ activationGiB: num(m[1]) }) },
  { re: /the rest of the memory reserved for KV Cache is (-?[\d.]+) ?GiB/, set: (m) => ({ kvCacheGiB: num(m[1]) }) },
  // 0.6.4 one-liner
  {
    re: /Memory profiling results: total_gpu_memory=([\d.]+) ?GiB.*?non_torch_memory=(-?[\d.]+) ?GiB kv_cache_size=(-?[\d.]+) ?GiB gpu_memory_utilization=([\d.]+)/,
    set: (m) => ({
      totalGpuGiB: num(m[1]),
      nonTorchGiB: num(m[2]),
      kvCacheGiB: num(m[3]),
      gpuMemoryUtilization: num(m[4]),
    }),
  },
  // PR #10511's tabular form
  { re: /^total_gpu_memory\s+([\d.]+) ?GiB$/, set: (m) => ({ totalGpuGiB: num(m[1]) }) },
  { re: /^gpu_memory_utilization\s+([\d.]+)$/, set: (m) => ({ gpuMemoryUtilization: num(m[1]) }) },
  { re: /^the current vLLM instance can use\s+([\d.]+) ?GiB$/, set: (m) => ({ budgetGiB: num(m[1]) }) },
  { re: /^model weights take\s+(-?[\d.]+) ?GiB$/, set: (m) => ({ weightsGiB: num(m[1]) }) },
  { re: /^non_torch_memory\s+(-?[\d.]+) ?GiB$/, set: (m) => ({ nonTorchGiB: num(m[1]) }) },
  { re: /^PyTorch activation peak memory\s+(-?[\d.]+) ?GiB$/, set: (m) => ({ activationGiB: num(m[1]) }) },
  { re: /^available_kv_cache_memory\s+(-?[\d.]+) ?GiB$/, set: (m) => ({ kvCacheGiB: num(m[1]) }) },
  // V1 (0.9.1+, debug level in some releases)
  {
    re: /torch peak memory increase: (-?[\d.]+) ?GiB; non-torch forward increase memory: (-?[\d.]+) ?GiB; weights memory: (-?[\d.]+) ?GiB/,
    set: (m) => ({ activationGiB: num(m[1]), nonTorchGiB: num(m[2]), weightsGiB: num(m[3]) }),
  },
  { re: /Available KV cache memory: (-?[\d.]+) ?GiB/, set: (m) => ({ kvCacheGiB: num(m[1]) }) },
  {
    // "# GPU blocks: N, # CPU blocks: M" (≤ 0.6), "# cuda blocks: N" (0.7+); pastes sometimes lose the "#".
    re: /(?:# )?\b(?:GPU|cuda) blocks: (\d+)(?:, # CPU blocks: (\d+))?/i,
    set: (m) => (m[2] !== undefined ? { gpuBlocks: num(m[1]), cpuBlocks: num(m[2]) } : { gpuBlocks: num(m[1]) }),
  },
  { re: /GPU KV cache size: ([\d,]+) tokens/, set: (m) => ({ kvTokens: num(m[1]) }) },
  {
    re: /Maximum concurrency for ([\d,]+) tokens per request: ([\d.]+)x/,
    set: (m) => ({ maxConcurrency: { tokens: num(m[1]), times: num(m[2]) } }),
  },
  { re: /Graph capturing finished in [\d.]+ secs?, took (-?[\d.]+) ?GiB/, set: (m) => ({ cudaGraphGiB: num(m[1]) }) },
  {
    re: /CUDA graph pool memory: (-?[\d.]+) ?GiB \(actual\)(?:, (-?[\d.]+) ?GiB \(estimated\))?/,
    set: (m) =>
      m[2] !== undefined ? { cudaGraphGiB: num(m[1]), cudaGraphEstimatedGiB: num(m[2]) } : { cudaGraphGiB: num(m[1]) },
  },
  { re: /Estimated CUDA graph memory: (-?[\d.]+) ?GiB total/, set: (m) => ({ cudaGraphEstimatedGiB: num(m[1]) }) },
];

// Figures that mean there is no KV cache: V0 raises "No available memory for the cache blocks" when the
// blocks it just logged are 0 (llm_engine.py _init_cache ≤ 0.3, worker.py raise_if_cache_size_invalid
// after), V1 when the available KV memory is ≤ 0 (kv_cache_utils.py check_enough_kv_cache_memory).
const NO_KV_CACHE: Partial<Record<FigureKey, (v: number) => boolean>> = {
  gpuBlocks: (v) => v <= 0,
  kvTokens: (v) => v <= 0,
  kvCacheGiB: (v) => v < 0,
};

// Start-up steps (their first line), for a failure printed without a traceback.
const WEIGHTS_LOADING =
  /Starting to load model|Loading safetensors checkpoint shards|Loading pt checkpoint shards|Using model weights format/;
const GRAPH_CAPTURE_START =
  /Capturing the model for CUDA graphs|Capturing cudagraphs|Capturing CUDA graph|CUDA graphs can take additional/;
const GRAPH_CAPTURE_END = /Graph capturing finished/;
const ENGINE_READY =
  /init engine \(profile, create kv cache, warmup model\) took|Application startup complete|Starting vLLM API server/;
const STARTING_MODEL = /Starting to load model (\S+?)\.{0,3}$/;

/** A cheap test that a line may hold one of the figures (most lines of a long log do not). */
const MAYBE = /GiB|GB\b|blocks|KV cache|concurrency|took|graph|capturing|load|weights|startup|init engine|memory/i;

export function scanMemoryLine(state: ReaderState, text: string, line: number, source: string): boolean {
  if (!MAYBE.test(text)) return false;
  const facts = state.facts;
  const ms = facts.milestones;
  let hit = false;
  let noKvCache = false;
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    hit = true;
    facts.vllmSeen = true;
    if (!state.figureSources.has(source) && state.figureSources.size < 256) state.figureSources.add(source);
    for (const [key, value] of Object.entries(p.set(m)) as [FigureKey, number | { tokens: number; times: number }][]) {
      // The first rank's figure is kept; other ranks repeat it.
      if (facts.memory[key] === undefined) (facts.memory as Record<string, Logged<unknown>>)[key] = { value, line };
      if (typeof value === 'number' && NO_KV_CACHE[key]?.(value)) noKvCache = true;
    }
  }
  if (noKvCache) recordKvFigureFailure(state, text, line, source);
  if (facts.memory.weightsGiB) ms.weightsLoaded ??= facts.memory.weightsGiB.line;
  if (facts.memory.kvCacheGiB || facts.memory.gpuBlocks || facts.memory.kvTokens)
    ms.kvCacheSized ??= Math.min(
      facts.memory.kvCacheGiB?.line ?? Infinity,
      facts.memory.gpuBlocks?.line ?? Infinity,
      facts.memory.kvTokens?.line ?? Infinity,
    );
  const start = STARTING_MODEL.exec(text);
  if (start && !facts.model) facts.model = { value: start[1], line };
  if (WEIGHTS_LOADING.test(text)) {
    ms.weightsLoading ??= line;
    facts.vllmSeen = true;
    hit = true;
  }
  if (GRAPH_CAPTURE_START.test(text)) {
    ms.graphCaptureStarted ??= line;
    facts.vllmSeen = true;
    hit = true;
  }
  if (GRAPH_CAPTURE_END.test(text)) {
    ms.graphCaptureFinished ??= line;
    hit = true;
  }
  if (ENGINE_READY.test(text)) {
    ms.engineReady ??= line;
    facts.vllmSeen = true;
    hit = true;
  }
  facts.ranksWithFigures = state.figureSources.size;
  return hit;
}
