// What the log reader finds in a vLLM / lm-eval log: plain data, with the line each fact came from.
// Nothing here knows of LSP or of the memory model. Memory figures are GiB (2^30 bytes) as vLLM and
// PyTorch print them; vLLM's old "GB" lines divide by 2^30 too, so they are GiB.

/** A value and the 0-based line it was read from (lines counted as LSP counts them: \n, \r\n or a lone \r). */
export interface Logged<T> {
  value: T;
  line: number;
}

export type LoggedEngine = 'V0' | 'V1';

/** The figures of vLLM's start-up, per GPU rank, as logged (GiB unless named otherwise). */
export interface MemoryFigures {
  totalGpuGiB?: Logged<number>;
  gpuMemoryUtilization?: Logged<number>;
  /** "the current vLLM instance can use ... = X GiB" (V0 ≥ 0.6.5, V1 ≥ 0.9.1). */
  budgetGiB?: Logged<number>;
  weightsGiB?: Logged<number>;
  nonTorchGiB?: Logged<number>;
  activationGiB?: Logged<number>;
  /** "the rest of the memory reserved for KV Cache" (V0) / "Available KV cache memory" (V1); may be negative. */
  kvCacheGiB?: Logged<number>;
  gpuBlocks?: Logged<number>;
  cpuBlocks?: Logged<number>;
  /** "GPU KV cache size: N tokens" (V1). */
  kvTokens?: Logged<number>;
  /** "Maximum concurrency for N tokens per request: Xx". */
  maxConcurrency?: Logged<{ tokens: number; times: number }>;
  /** Graph capture memory as logged ("Graph capturing finished in X secs, took Y GiB"; can be negative). */
  cudaGraphGiB?: Logged<number>;
  /** "Estimated CUDA graph memory: X GiB total" (≥ 0.19, reserved inside the budget from 0.21). */
  cudaGraphEstimatedGiB?: Logged<number>;
}

/** Where vLLM was when it failed (from the traceback's frames, else from the last start-up step logged). */
export type FailurePhase =
  | 'weight-loading'
  | 'profile-run'
  | 'kv-allocation'
  | 'graph-capture'
  | 'sampler-warmup'
  | 'prompt-logprobs'
  | 'inference'
  | 'startup'
  | 'unknown';

export type FailureKind =
  // GPU memory
  | 'cuda-oom' // torch.OutOfMemoryError / RuntimeError: CUDA out of memory (numbers when PyTorch prints them)
  | 'cuda-error-oom' // RuntimeError: CUDA error: out of memory (graph capture, no numbers)
  | 'sampler-warmup-oom' // "CUDA out of memory occurred when warming up sampler with N dummy requests"
  | 'no-kv-memory' // "No available memory for the cache blocks"
  | 'max-seq-len-exceeds-kv' // V0 "The model's max seq len (X) is larger than ..." / V1 "To serve at least one request ..."
  | 'free-memory-check' // V1 ≥ 0.9.1 "Free memory on device ... on startup is less than desired ..."
  | 'memory-profiling-error' // "Error in memory profiling. Initial free memory ..."
  // everything else
  | 'nccl'
  | 'ray'
  | 'model-not-found'
  | 'lm-eval-error'
  | 'host-oom'
  | 'slurm'
  | 'python-exception'
  // A worker's "Error executing method 'M'" / "Exception in worker W while processing method M": vLLM's
  // logger.exception, so the exception follows it, unless the log ends first (which method says where).
  | 'worker-error';

export const MEMORY_FAILURE_KINDS: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'cuda-oom',
  'cuda-error-oom',
  'sampler-warmup-oom',
  'no-kv-memory',
  'max-seq-len-exceeds-kv',
  'free-memory-check',
  'memory-profiling-error',
]);

/** The numbers a failure message prints (GiB). */
export interface FailureNumbers {
  triedGiB?: number;
  capacityGiB?: number;
  freeGiB?: number;
  /** "Including non-PyTorch memory, this process has X GiB memory in use" / "Process N has X GiB memory in use". */
  processGiB?: number;
  allocatedByTorchGiB?: number;
  reservedUnallocatedGiB?: number;
  /** "with X allocated in private pools (e.g., CUDA Graphs)": graphs were already captured. */
  privatePoolsGiB?: number;
  device?: number;
  maxSeqLen?: number;
  kvTokens?: number;
  neededKvGiB?: number;
  availableKvGiB?: number;
  estimatedMaxModelLen?: number;
  /** Free-memory check: free and total at start-up, the utilization and the GiB it asked for. */
  startupFreeGiB?: number;
  startupTotalGiB?: number;
  requestedUtilization?: number;
  requestedGiB?: number;
  dummyRequests?: number;
}

export interface LogFailure {
  kind: FailureKind;
  /** The line of the error message itself. */
  line: number;
  /** The error text as logged (prefixes, colours and timestamps removed; at most 500 characters). */
  message: string;
  /** Python function names of the traceback that led to it, outermost first (bounded). */
  frames: string[];
  numbers: FailureNumbers;
  /** The rank / process label that printed it (`VllmWorkerProcess pid=12`, `rank3`, `EngineCore_0 pid=9`). */
  source?: string;
  /** How many ranks printed the same failure. */
  repeats: number;
  /** Read from a logged figure that means the failure (`# GPU blocks: 0`, negative KV cache memory),
   * not from an error message; vLLM's own message, when the log has it, replaces it. */
  figure?: boolean;
}

export type SettingSource = 'command' | 'lm-eval' | 'non-default-args' | 'engine-config';

export type OutputTypeSeen = 'loglikelihood' | 'loglikelihood_rolling' | 'multiple_choice' | 'generate_until';

/** Start-up steps seen, by the line of their first appearance. */
export interface Milestones {
  weightsLoading?: number;
  weightsLoaded?: number;
  kvCacheSized?: number;
  graphCaptureStarted?: number;
  graphCaptureFinished?: number;
  engineReady?: number;
  requestsStarted?: number;
  /** lm-eval printed its results table, or vLLM finished every prompt. */
  runFinished?: number;
}

export interface LogFacts {
  lineCount: number;
  /** Characters read. */
  chars: number;
  /** Lines longer than the reader's cap: only their beginning was read. */
  longLines: number;
  /** Something vLLM prints at start-up was seen. */
  vllmSeen: boolean;
  version?: Logged<string>;
  /** The oldest release a version-specific message implies (the graph-profiling note: ≥ 0.21). */
  versionHint?: Logged<{ version: string; why: string }>;
  engine?: Logged<LoggedEngine>;
  /** The engine a traceback path or a process label points at (`vllm/v1/...`, `EngineCore`, `VllmWorkerProcess`). */
  engineHint?: Logged<LoggedEngine>;
  /** `vllm serve` / the OpenAI API server (its batch defaults differ from `LLM(...)`). */
  server?: Logged<boolean>;
  model?: Logged<string>;
  /** Engine settings in vLLM's argument names (snake_case), as logged. */
  settings: Record<string, Logged<string | number | boolean>>;
  /** Where each setting was read: the echoed command, lm-eval's printed arguments, vLLM's non-default
   * args, or vLLM's own engine config (which also prints the defaults it derived). */
  settingSources: Record<string, SettingSource>;
  /** `# lm-eval-lens: gpu=H100-80GB vllm=0.10.1` comment lines in the log (as in scripts). */
  directives: { gpu?: Logged<string>; gpuCount?: number; vllm?: Logged<string> };
  /** The first calendar date a timestamp shows (YYYY-MM-DD): lm-eval's and CI's timestamps carry the year. */
  date?: Logged<string>;
  /** Environment variables the log shows (`VLLM_USE_V1`, ...). */
  env: Record<string, Logged<string>>;
  memory: MemoryFigures;
  /** How many ranks logged a memory breakdown. */
  ranksWithFigures: number;
  gpuName?: Logged<string>;
  milestones: Milestones;
  /** lm-eval: the echoed launch command, the model_args it printed, tasks and request types seen. */
  command?: Logged<string>;
  /** A script the log shows being run (`+ bash eval.sh`, `$ sbatch job.slurm`: set -x or a prompt). */
  scriptRun?: Logged<string>;
  lmEvalModelArgs?: Logged<string>;
  /** The keyword arguments of a `LLM(...)` call a traceback quotes from the user's code (an expression's
   * value is absent: the text does not say it). */
  engineCall?: Logged<{ key: string; value?: string | number | boolean | null }[]>;
  tasks: string[];
  outputTypes: OutputTypeSeen[];
  /** In order of appearance, each failure once (repeats counted). */
  failures: LogFailure[];
}
