// The words of a failure: PyTorch's OOM (both wordings), vLLM's own start-up refusals, and the
// failures that have nothing to do with GPU memory (NCCL, Ray, a missing model, lm-eval's errors,
// the host's OOM killer, SLURM). Each message is known by a fragment that names it and its numbers
// are read one by one, so a message a terminal wrapped or a paste cut short is still recognised
// with the numbers it kept; `complete` says whether it kept all of them (a wrapped remainder may
// follow on the next line).
import type { FailureKind, FailureNumbers } from './types';

const UNIT: Record<string, number> = {
  gib: 1,
  gb: 1,
  mib: 1 / 1024,
  mb: 1 / 1024,
  kib: 1 / 1024 ** 2,
  b: 1 / 1024 ** 3,
};
const GIB_UNITS = '(GiB|MiB|KiB|GB|MB|bytes|B)';
function gibOf(value: string, unit: string): number {
  const u = unit.toLowerCase() === 'bytes' ? 'b' : unit.toLowerCase();
  return Number(value) * (UNIT[u] ?? 1);
}
const sized = (re: string, flags?: string) => new RegExp(re.replace(/UNIT/g, GIB_UNITS), flags);

// PyTorch ≥ 2.1: "CUDA out of memory. Tried to allocate 7.04 GiB. GPU 0 has a total capacity of 79.19 GiB of
// which 7.02 GiB is free. Including non-PyTorch memory, this process has ... Process N has ..." (some releases
// spell it "capacty"). PyTorch ≤ 2.0: "Tried to allocate 1.63 GiB (GPU 0; 44.56 GiB total capacity; 40.51 GiB
// already allocated; 1.17 GiB free; 41.72 GiB reserved in total by PyTorch)".
const OOM_TRIED = sized('CUDA out of memory\\. Tried to allocate ([\\d.]+) ?UNIT');
const OOM_CAPACITY = sized('GPU (\\d+) has a total capac(?:i)?ty of ([\\d.]+) ?UNIT');
const OOM_FREE = sized('of which ([\\d.]+) ?UNIT is free');
const OOM_OLD_CAPACITY = sized('\\(GPU (\\d+); ([\\d.]+) ?UNIT total capacity');
const OOM_OLD_ALLOCATED = sized('; ([\\d.]+) ?UNIT already allocated');
const OOM_OLD_FREE = sized('; ([\\d.]+) ?UNIT free;');
const OOM_OLD_RESERVED = sized('; ([\\d.]+) ?UNIT reserved in total by PyTorch');
const THIS_PROCESS = sized('this process has ([\\d.]+) ?UNIT memory in use');
const PROCESS_N = sized('Process \\d+ has ([\\d.]+) ?UNIT memory in use', 'g');
const ALLOCATED = sized('Of the allocated memory ([\\d.]+) ?UNIT is allocated by PyTorch');
const RESERVED = sized('and ([\\d.]+) ?UNIT is reserved by PyTorch but unallocated');
const PRIVATE_POOLS = sized('with ([\\d.]+) ?UNIT allocated in private pools');
const OOM_BARE = /CUDA out of memory|OutOfMemoryError/;
const CUDA_ERROR_OOM = /CUDA error: out of memory/;

export interface ReadFailure {
  kind: FailureKind;
  numbers: FailureNumbers;
  /** Every number the message prints was read (false: cut or wrapped before its end). */
  complete: boolean;
}

/** PyTorch's OOM numbers, each read on its own (a cut message keeps the ones before the cut). */
function oomNumbers(text: string): ReadFailure | undefined {
  const tried = OOM_TRIED.exec(text);
  if (!tried) return undefined;
  const n: FailureNumbers = { triedGiB: gibOf(tried[1], tried[2]) };
  const cap = OOM_CAPACITY.exec(text) ?? OOM_OLD_CAPACITY.exec(text);
  if (cap) {
    n.device = Number(cap[1]);
    n.capacityGiB = gibOf(cap[2], cap[3]);
  }
  const free = OOM_FREE.exec(text) ?? OOM_OLD_FREE.exec(text);
  if (free) n.freeGiB = gibOf(free[1], free[2]);
  const self = THIS_PROCESS.exec(text);
  const procs = [...text.matchAll(PROCESS_N)].map((p) => gibOf(p[1], p[2]));
  // "Process N has X GiB" lists every process on the device; in a container the job's own
  // process appears that way too, so the largest one is taken as this process.
  if (self) n.processGiB = gibOf(self[1], self[2]);
  else if (procs.length) n.processGiB = Math.max(...procs);
  else {
    const reserved = OOM_OLD_RESERVED.exec(text);
    if (reserved) n.processGiB = gibOf(reserved[1], reserved[2]);
  }
  const alloc = ALLOCATED.exec(text) ?? OOM_OLD_ALLOCATED.exec(text);
  if (alloc) n.allocatedByTorchGiB = gibOf(alloc[1], alloc[2]);
  const res = RESERVED.exec(text);
  if (res) n.reservedUnallocatedGiB = gibOf(res[1], res[2]);
  const pools = PRIVATE_POOLS.exec(text);
  if (pools) n.privatePoolsGiB = gibOf(pools[1], pools[2]);
  return { kind: 'cuda-oom', numbers: n, complete: n.freeGiB !== undefined && n.processGiB !== undefined };
}

interface KnownMessage {
  /** The fragment that names the message (its first words, so a cut message is still known). */
  id: RegExp;
  kind: FailureKind;
  /** The numbers, each read on its own from the whole text. */
  numbers: (text: string, id: RegExpExecArray) => FailureNumbers;
  complete: (n: FailureNumbers) => boolean;
}

const num = (re: RegExp, text: string, i = 1): number | undefined => {
  const m = re.exec(text);
  return m ? Number(m[i]) : undefined;
};
const gib = (re: RegExp, text: string): number | undefined => {
  const m = re.exec(text);
  return m ? gibOf(m[1], m[2]) : undefined;
};
function defined(n: Record<string, number | undefined>): FailureNumbers {
  return Object.fromEntries(Object.entries(n).filter(([, v]) => v !== undefined && Number.isFinite(v)));
}

// V1 (kv_cache_utils.py check_enough_kv_cache_memory): "To serve at least one request with the models's max seq
// len (X), (N GiB KV cache is needed, which is larger than the available KV cache memory (A GiB). Based on the
// available memory, the estimated maximum model length is L. Try increasing ..." (the opening parenthesis and
// "models's" vary by release). "KV cach" is enough for the need: a cut line often ends there.
const V1_NEEDED = /\(?(-?[\d.]+) ?(GiB|GB) KV cach/;
const V1_AVAILABLE = /available KV cache memory \((-?[\d.]+) ?(GiB|GB)\)/;
const V1_ESTIMATED = /estimated maximum model length is (\d+)/;
// V0 (worker.py raise_if_cache_size_invalid, llm_engine.py _init_cache before 0.4): "The model's max seq len (X)
// is larger than the maximum number of tokens that can be stored in KV cache (T). Try increasing ..."
const V0_KV_TOKENS = /stored in KV cache \((\d+)\)/;
// V1 ≥ 0.9.1: "Free memory on device [cuda:N] (F/T GiB) on startup is less than desired GPU memory utilization
// (U, R GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes."
const FREE_REQUESTED = /desired GPU memory utilization \(([\d.]+), ([\d.]+) ?GiB\)/;

/** vLLM's memory failures in its own words, the sampler warm-up first (it names the step). */
const SAMPLER_MESSAGE: KnownMessage = {
  id: /CUDA out of memory occurred when warming up sampler(?: with (\d+) dummy requests)?/,
  kind: 'sampler-warmup-oom',
  numbers: (_t, m) => defined({ dummyRequests: m[1] !== undefined ? Number(m[1]) : undefined }),
  complete: (n) => n.dummyRequests !== undefined,
};
const KV_MESSAGES: KnownMessage[] = [
  { id: /No available memory for the cache blocks/, kind: 'no-kv-memory', numbers: () => ({}), complete: () => true },
  {
    id: /The model's max seq len \((\d+)\) is larger than the maximum number of tokens/,
    kind: 'max-seq-len-exceeds-kv',
    numbers: (t, m) => defined({ maxSeqLen: Number(m[1]), kvTokens: num(V0_KV_TOKENS, t) }),
    complete: (n) => n.kvTokens !== undefined,
  },
  {
    id: /To serve at least one request with the models?'s max seq len \((\d+)\)/,
    kind: 'max-seq-len-exceeds-kv',
    numbers: (t, m) =>
      defined({
        maxSeqLen: Number(m[1]),
        neededKvGiB: gib(V1_NEEDED, t.slice(m.index + m[0].length)),
        availableKvGiB: gib(V1_AVAILABLE, t),
        estimatedMaxModelLen: num(V1_ESTIMATED, t),
      }),
    complete: (n) => n.availableKvGiB !== undefined && n.estimatedMaxModelLen !== undefined,
  },
  {
    id: /Free memory on device(?: cuda:(\d+))? \(([\d.]+)\/([\d.]+) ?GiB\)/,
    kind: 'free-memory-check',
    numbers: (t, m) =>
      defined({
        startupFreeGiB: Number(m[2]),
        startupTotalGiB: Number(m[3]),
        requestedUtilization: num(FREE_REQUESTED, t, 1),
        requestedGiB: num(FREE_REQUESTED, t, 2),
        device: m[1] !== undefined ? Number(m[1]) : undefined,
      }),
    complete: (n) => n.requestedGiB !== undefined,
  },
  {
    id: /Error in memory profiling\. (?:Initial free memory ([\d.]+)(?: ?GiB)?, current free memory ([\d.]+))?/,
    kind: 'memory-profiling-error',
    numbers: () => ({}),
    complete: () => true,
  },
];

function known(message: KnownMessage, text: string): ReadFailure | undefined {
  const m = message.id.exec(text);
  if (!m) return undefined;
  const numbers = message.numbers(text, m);
  return { kind: message.kind, numbers, complete: message.complete(numbers) };
}

/** The memory failure a line reports, if any (most specific first). */
export function memoryFailure(text: string): ReadFailure | undefined {
  const sampler = known(SAMPLER_MESSAGE, text);
  if (sampler) return sampler;
  const oom = oomNumbers(text);
  if (oom) return oom;
  if (CUDA_ERROR_OOM.test(text)) return { kind: 'cuda-error-oom', numbers: {}, complete: true };
  for (const message of KV_MESSAGES) {
    const found = known(message, text);
    if (found) return found;
  }
  // A bare "torch.OutOfMemoryError: CUDA out of memory." (numbers cut off, or an older wording).
  if (OOM_BARE.test(text) && /^(?:[\w.]*(?:Error|Exception)\b|CUDA out of memory)/.test(text))
    return { kind: 'cuda-oom', numbers: {}, complete: !/Tried to alloc|CUDA out of memory\.\s*\S/.test(text) };
  return undefined;
}

const NON_MEMORY: { kind: FailureKind; re: RegExp }[] = [
  {
    kind: 'nccl',
    re: /\bNCCL error\b|ncclInternalError|ncclSystemError|ncclUnhandledCudaError|ncclInvalidUsage|ncclRemoteError|DistBackendError|Watchdog caught collective operation timeout|NCCL communicator was aborted/,
  },
  {
    kind: 'ray',
    re: /RayActorError|RaySystemError|ray\.exceptions\.\w+Error|The actor died unexpectedly|No available node types can fulfill resource request|Failed to connect to GCS|Ray does not allocate any GPUs on the driver node|exceeds the total number of available GPUs in the placement group|Current node has no GPU available/,
  },
  {
    kind: 'model-not-found',
    re: /is not a local folder and is not a valid model identifier|RepositoryNotFoundError|GatedRepoError|Cannot access gated repo|does not appear to have a file named config\.json|Incorrect path_or_model_id|HFValidationError|LocalEntryNotFoundError|Can't load the configuration of/,
  },
  {
    kind: 'lm-eval-error',
    re: /Tasks not found|No tasks specified, or no tasks found|Tasks? .{0,80}(?:was|were) not found|DatasetNotFoundError|Either max_length or max_model_len may be provided|Attempted to load task|task named .{0,80} not found/i,
  },
  {
    kind: 'host-oom',
    re: /Detected \d+ oom[-_]kill events?|oom[-_]kill event|Out of memory: Killed process|Some of your processes may have been killed by the cgroup out-of-memory handler/,
  },
  {
    kind: 'slurm',
    re: /DUE TO TIME LIMIT|CANCELLED AT \S+ DUE TO|DUE TO NODE FAILURE|slurmstepd: error: \*\*\* (?:JOB|STEP) \d+/,
  },
];

/** A failure that is not about GPU memory, by its words. */
export function nonMemoryFailure(text: string): FailureKind | undefined {
  return NON_MEMORY.find((nm) => nm.re.test(text))?.kind;
}

// vLLM's worker wrappers log a worker's exception before re-raising it: worker_base.py execute_method
// ("Error executing method 'determine_num_available_blocks'. This might cause deadlock in distributed
// execution."; without the quotes before 0.6) and V0's multiproc_worker_utils.py ("Exception in worker
// VllmWorkerProcess while processing method initialize_cache."). The method says which step failed; a
// log cut inside the word "method" still says a worker failed.
const WORKER_ERROR =
  /^Error executing (?:method '?(\w+)|m(?:e(?:t(?:ho?)?)?)?$)|^Exception in worker \S+ while processing method (\w+)/;

/** A worker's failure as vLLM's wrapper logs it: the method it was running ('' when cut off). */
export function workerFailure(text: string): { method: string } | undefined {
  const m = WORKER_ERROR.exec(text);
  return m ? { method: m[1] ?? m[2] ?? '' } : undefined;
}
