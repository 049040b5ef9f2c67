// The failure of a run: CUDA OOM tracebacks (PyTorch's old and new wording), vLLM's start-up
// refusals (no memory for the cache blocks, max seq len larger than the KV cache, the free-memory
// check, the sampler warm-up), and the failures that have nothing to do with GPU memory (NCCL, Ray,
// a missing model, lm-eval's own errors, the host's OOM killer, SLURM). Tracebacks are followed per
// rank so a failure carries the frames that led to it.
import { MAX_FAILURES, MAX_FRAMES, MAX_SOURCES, type ReaderState } from './readerState';
import type { FailureKind, FailureNumbers, LogFailure } from './types';

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

// PyTorch ≥ 2.1: "CUDA out of memory. Tried to allocate 7.04 GiB. GPU 0 has a total capacity of 79.19 GiB of
// which 7.02 GiB is free." (some releases spell it "capacty")
const OOM_NEW = new RegExp(
  `CUDA out of memory\\. Tried to allocate ([\\d.]+) ?${GIB_UNITS}\\. GPU (\\d+) has a total capac(?:i)?ty of ([\\d.]+) ?${GIB_UNITS} of which ([\\d.]+) ?${GIB_UNITS} is free`,
);
// PyTorch ≤ 2.0: "Tried to allocate 1.63 GiB (GPU 0; 44.56 GiB total capacity; 40.51 GiB already allocated;
// 1.17 GiB free; 41.72 GiB reserved in total by PyTorch)"
const OOM_OLD = new RegExp(
  `CUDA out of memory\\. Tried to allocate ([\\d.]+) ?${GIB_UNITS} \\(GPU (\\d+); ([\\d.]+) ?${GIB_UNITS} total capacity; ([\\d.]+) ?${GIB_UNITS} already allocated; ([\\d.]+) ?${GIB_UNITS} free; ([\\d.]+) ?${GIB_UNITS} reserved in total by PyTorch`,
);
const THIS_PROCESS = new RegExp(`this process has ([\\d.]+) ?${GIB_UNITS} memory in use`);
const PROCESS_N = new RegExp(`Process \\d+ has ([\\d.]+) ?${GIB_UNITS} memory in use`, 'g');
const ALLOCATED = new RegExp(`Of the allocated memory ([\\d.]+) ?${GIB_UNITS} is allocated by PyTorch`);
const RESERVED = new RegExp(`and ([\\d.]+) ?${GIB_UNITS} is reserved by PyTorch but unallocated`);
const PRIVATE_POOLS = new RegExp(`with ([\\d.]+) ?${GIB_UNITS} allocated in private pools`);
const OOM_BARE = /CUDA out of memory|OutOfMemoryError/;
const CUDA_ERROR_OOM = /CUDA error: out of memory/;
const SAMPLER_WARMUP = /CUDA out of memory occurred when warming up sampler with (\d+) dummy requests/;
const NO_KV = /No available memory for the cache blocks/;
const MAX_SEQ_V0 =
  /The model's max seq len \((\d+)\) is larger than the maximum number of tokens that can be stored in KV cache \((\d+)\)/;
const MAX_SEQ_V1 =
  /To serve at least one request with the models?'s max seq len \((\d+)\), \(?(-?[\d.]+) ?(GiB|GB) KV cache is needed, which is larger than the available KV cache memory \((-?[\d.]+) ?(GiB|GB)\)(?:.*?estimated maximum model length is (\d+))?/;
const FREE_CHECK =
  /Free memory on device(?: cuda:(\d+))? \(([\d.]+)\/([\d.]+) ?GiB\) on startup is less than desired GPU memory utilization \(([\d.]+), ([\d.]+) ?GiB\)/;
const PROFILING_ERROR =
  /Error in memory profiling\. Initial free memory ([\d.]+)(?: ?GiB)?, current free memory ([\d.]+)/;

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
    re: /Tasks not found|Tasks? .{0,80}(?:was|were) not found|DatasetNotFoundError|Either max_length or max_model_len may be provided|Attempted to load task|task named .{0,80} not found/i,
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

const TRACEBACK_START = /^Traceback \(most recent call last\):/;
const FRAME = /^File "([^"]+)", line \d+, in (\S+)/;
const EXCEPTION_LINE = /^((?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Interrupt|Exit))(?::|$)/;

/** A cheap test before the failure patterns: most lines of a long log are progress bars and INFO. */
const MAYBE =
  /max seq len|rror|xception|memory|NCCL|nccl|Ray|ray|Traceback|File "|Killed|oom|CANCELLED|not found|identifier|gated|Tasks/;

function frameName(path: string, fn: string): string {
  const parts = path.split(/[\\/]/);
  return `${parts.slice(-3).join('/')}:${fn}`;
}

function oomNumbers(text: string): FailureNumbers | undefined {
  let m = OOM_NEW.exec(text);
  if (m) {
    const n: FailureNumbers = {
      triedGiB: gibOf(m[1], m[2]),
      device: Number(m[3]),
      capacityGiB: gibOf(m[4], m[5]),
      freeGiB: gibOf(m[6], m[7]),
    };
    const self = THIS_PROCESS.exec(text);
    const procs = [...text.matchAll(PROCESS_N)].map((p) => gibOf(p[1], p[2]));
    // "Process N has X GiB" lists every process on the device; in a container the job's own
    // process appears that way too, so the largest one is taken as this process.
    if (self) n.processGiB = gibOf(self[1], self[2]);
    else if (procs.length) n.processGiB = Math.max(...procs);
    const alloc = ALLOCATED.exec(text);
    if (alloc) n.allocatedByTorchGiB = gibOf(alloc[1], alloc[2]);
    const res = RESERVED.exec(text);
    if (res) n.reservedUnallocatedGiB = gibOf(res[1], res[2]);
    const pools = PRIVATE_POOLS.exec(text);
    if (pools) n.privatePoolsGiB = gibOf(pools[1], pools[2]);
    return n;
  }
  m = OOM_OLD.exec(text);
  if (m) {
    return {
      triedGiB: gibOf(m[1], m[2]),
      device: Number(m[3]),
      capacityGiB: gibOf(m[4], m[5]),
      allocatedByTorchGiB: gibOf(m[6], m[7]),
      freeGiB: gibOf(m[8], m[9]),
      processGiB: gibOf(m[10], m[11]),
    };
  }
  return undefined;
}

/** The memory failures vLLM names in its own words, most specific first. */
const MEMORY_MESSAGES: [RegExp, FailureKind, (m: RegExpExecArray) => FailureNumbers][] = [
  [SAMPLER_WARMUP, 'sampler-warmup-oom', (m) => ({ dummyRequests: Number(m[1]) })],
];
const KV_MESSAGES: [RegExp, FailureKind, (m: RegExpExecArray) => FailureNumbers][] = [
  [NO_KV, 'no-kv-memory', () => ({})],
  [MAX_SEQ_V0, 'max-seq-len-exceeds-kv', (m) => ({ maxSeqLen: Number(m[1]), kvTokens: Number(m[2]) })],
  [
    MAX_SEQ_V1,
    'max-seq-len-exceeds-kv',
    (m) => ({
      maxSeqLen: Number(m[1]),
      neededKvGiB: gibOf(m[2], m[3]),
      availableKvGiB: gibOf(m[4], m[5]),
      ...(m[6] ? { estimatedMaxModelLen: Number(m[6]) } : {}),
    }),
  ],
  [
    FREE_CHECK,
    'free-memory-check',
    (m) => ({
      startupFreeGiB: Number(m[2]),
      startupTotalGiB: Number(m[3]),
      requestedUtilization: Number(m[4]),
      requestedGiB: Number(m[5]),
      ...(m[1] ? { device: Number(m[1]) } : {}),
    }),
  ],
  [PROFILING_ERROR, 'memory-profiling-error', () => ({})],
];

function firstMessage(
  table: typeof MEMORY_MESSAGES,
  text: string,
): { kind: FailureKind; numbers: FailureNumbers } | undefined {
  for (const [re, kind, numbers] of table) {
    const m = re.exec(text);
    if (m) return { kind, numbers: numbers(m) };
  }
  return undefined;
}

/** The memory failure a line reports, if any (most specific first). */
function memoryFailure(text: string): { kind: FailureKind; numbers: FailureNumbers } | undefined {
  const named = firstMessage(MEMORY_MESSAGES, text);
  if (named) return named;
  const oom = oomNumbers(text);
  if (oom) return { kind: 'cuda-oom', numbers: oom };
  if (CUDA_ERROR_OOM.test(text)) return { kind: 'cuda-error-oom', numbers: {} };
  const kv = firstMessage(KV_MESSAGES, text);
  if (kv) return kv;
  // A bare "torch.OutOfMemoryError: CUDA out of memory." (numbers cut off, or an older wording).
  if (OOM_BARE.test(text) && /^(?:[\w.]*(?:Error|Exception)\b|CUDA out of memory)/.test(text))
    return { kind: 'cuda-oom', numbers: {} };
  return undefined;
}

function record(state: ReaderState, failure: Omit<LogFailure, 'repeats' | 'frames'>, source: string): void {
  const facts = state.facts;
  // Ranks print the same failure (with their own GPU index): count it once.
  const key = failure.message.replace(/\d+(\.\d+)?/g, '#');
  const same = facts.failures.find((f) => f.kind === failure.kind && f.message.replace(/\d+(\.\d+)?/g, '#') === key);
  if (same) {
    same.repeats++;
    if (EXCEPTION_LINE.test(failure.message)) state.tracebacks.delete(source);
    return;
  }
  if (facts.failures.length >= MAX_FAILURES) return;
  const tb = state.tracebacks.get(source);
  facts.failures.push({ ...failure, frames: tb ? [...tb.frames] : [], repeats: 1 });
  // The exception line ends its traceback; a later one on this rank starts afresh.
  if (EXCEPTION_LINE.test(failure.message)) state.tracebacks.delete(source);
}

export function scanFailureLine(state: ReaderState, text: string, line: number, source: string): boolean {
  // The line after a frame quotes the frame's source code (`raise RuntimeError(f"NCCL error: ...")`),
  // and Python 3.11+ underlines it with ~~~^^^: neither is a message.
  if (state.afterFrame.size && state.afterFrame.has(source)) {
    state.afterFrame.delete(source);
    if (!FRAME.test(text) && !EXCEPTION_LINE.test(text) && !TRACEBACK_START.test(text)) return true;
  }
  if (/^[~^\s]+$/.test(text)) return true;
  if (!MAYBE.test(text)) return false;
  if (TRACEBACK_START.test(text)) {
    if (state.tracebacks.size < MAX_SOURCES || state.tracebacks.has(source))
      state.tracebacks.set(source, { frames: [], startLine: line });
    return true;
  }
  const frame = FRAME.exec(text);
  if (frame) {
    const tb = state.tracebacks.get(source);
    if (tb) {
      tb.frames.push(frameName(frame[1], frame[2]));
      if (tb.frames.length > MAX_FRAMES) tb.frames.splice(0, tb.frames.length - MAX_FRAMES);
    }
    if (state.afterFrame.size < MAX_SOURCES) state.afterFrame.add(source);
    if (/[\\/]vllm[\\/]/.test(frame[1])) state.facts.vllmSeen = true;
    if (!state.facts.engineHint) {
      const path = frame[1];
      if (/[\\/]vllm[\\/]v1[\\/]/.test(path)) state.facts.engineHint = { value: 'V1', line };
      else if (
        /[\\/]vllm[\\/](worker[\\/](worker|model_runner)\.py|model_executor[\\/]layers[\\/]sampler\.py)/.test(path)
      )
        state.facts.engineHint = { value: 'V0', line };
    }
    return true;
  }
  const message = text.length > 500 ? `${text.slice(0, 497)}...` : text;
  const mem = memoryFailure(text);
  if (mem) {
    record(state, { kind: mem.kind, line, message, numbers: mem.numbers, ...(source ? { source } : {}) }, source);
    return true;
  }
  for (const nm of NON_MEMORY) {
    if (nm.re.test(text)) {
      record(state, { kind: nm.kind, line, message, numbers: {}, ...(source ? { source } : {}) }, source);
      return true;
    }
  }
  // The last line of a traceback that no pattern above knows: a plain Python exception.
  const tb = state.tracebacks.get(source);
  if (tb && EXCEPTION_LINE.test(text)) {
    // An exception raised in lm-eval's own code (not inside vLLM below it) is lm-eval's error.
    const last = tb.frames[tb.frames.length - 1] ?? '';
    const kind: FailureKind = /(^|\/)lm_eval\//.test(last) ? 'lm-eval-error' : 'python-exception';
    record(state, { kind, line, message, numbers: {}, ...(source ? { source } : {}) }, source);
    return true;
  }
  return false;
}
