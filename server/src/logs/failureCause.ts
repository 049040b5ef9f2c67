// Which failure of a log is the root one, where vLLM was when it happened, and which diagnostic
// code names its cause — the same codes the launch rules use before a run.
import { atLeast } from '../memory/version';
import type { DiagnosticCode } from '../shared/codes';
import type { LogLaunch } from './launch';
import { workerFailure } from './failureMessages';
import { type FailurePhase, type LogFacts, type LogFailure, MEMORY_FAILURE_KINDS } from './types';

/** Failures ranked by how directly they name a cause (vLLM's own refusals first, wrappers last). */
const RANK: Record<LogFailure['kind'], number> = {
  'max-seq-len-exceeds-kv': 0,
  'no-kv-memory': 0,
  'free-memory-check': 0,
  'sampler-warmup-oom': 0,
  'memory-profiling-error': 0,
  'cuda-oom': 1,
  'cuda-error-oom': 1,
  nccl: 2,
  ray: 2,
  'model-not-found': 2,
  'lm-eval-error': 2,
  'host-oom': 2,
  slurm: 2,
  'python-exception': 3,
  // The wrapper's line before the worker's own exception: the exception, when logged, says more.
  'worker-error': 4,
};

/** The failure that explains the run: the most specific one, the earliest among equals. */
export function rootFailure(facts: LogFacts): LogFailure | undefined {
  let best: LogFailure | undefined;
  for (const f of facts.failures) {
    // A traceback printed after lm-eval's results table (at interpreter exit) did not fail the run.
    if (
      f.kind === 'python-exception' &&
      facts.milestones.runFinished !== undefined &&
      f.line > facts.milestones.runFinished
    )
      continue;
    if (!best || RANK[f.kind] < RANK[best.kind]) best = f;
  }
  // A CUDA OOM printed just before vLLM's sampler message is the same failure, with PyTorch's numbers.
  if (best?.kind === 'sampler-warmup-oom') {
    const oom = facts.failures.find(
      (f) => f.kind === 'cuda-oom' && f.numbers.triedGiB !== undefined && Math.abs(f.line - best!.line) < 400,
    );
    if (oom)
      return {
        ...best,
        numbers: { ...oom.numbers, ...best.numbers },
        frames: best.frames.length ? best.frames : oom.frames,
      };
  }
  return best;
}

const PHASE_BY_FRAME: [FailurePhase, RegExp][] = [
  ['prompt-logprobs', /:(_get_prompt_logprobs\w*|get_logprobs|compute_prompt_logprobs\w*|_compute_prompt_logprobs)$/],
  ['sampler-warmup', /:_dummy_sampler_run$/],
  ['graph-capture', /:(capture_model|capture|_capture_cudagraphs|capture_end|capture_graph\w*)$|cuda_?graph/i],
  [
    'profile-run',
    /:(profile_run|_dummy_run|determine_num_available_blocks|determine_available_memory|_dummy_pooler_run)$/,
  ],
  [
    'kv-allocation',
    /:(initialize_cache|_init_cache_engine|_allocate_kv_cache\w*|initialize_kv_cache\w*|initialize_from_config|_reshape_kv_cache_tensors)$/,
  ],
  [
    'weight-loading',
    /:(load_model|load_weights|weight_loader|_initialize_model|get_model|_process_weights_after_loading)$/,
  ],
  ['inference', /:(execute_model|_run_engine|step|generate|_loglikelihood_tokens|_model_generate|sample)$/],
];

/** The worker method a `worker-error` names ('determine_num_available_blocks'), if the log kept it. */
export function workerMethod(f: LogFailure): string | undefined {
  if (f.kind !== 'worker-error') return undefined;
  return workerFailure(f.message)?.method || undefined;
}

/** Where vLLM was: from the traceback's frames, else from the last start-up step logged before it. */
export function failurePhase(f: LogFailure, facts: LogFacts): FailurePhase {
  if (f.kind === 'sampler-warmup-oom') return 'sampler-warmup';
  if (f.kind === 'max-seq-len-exceeds-kv' || f.kind === 'no-kv-memory') return 'kv-allocation';
  if (f.kind === 'free-memory-check' || f.kind === 'memory-profiling-error') return 'startup';
  for (const [phase, re] of PHASE_BY_FRAME) if (f.frames.some((fr) => re.test(fr))) return phase;
  const ms = facts.milestones;
  const before = (line: number | undefined) => line !== undefined && line < f.line;
  const capturing = before(ms.graphCaptureStarted) && !before(ms.graphCaptureFinished);
  // A worker's failure names the method it ran, as a frame would; V0's initialize_cache also
  // captures the graphs (after allocating the KV cache), which its log says it started.
  const method = workerMethod(f);
  if (method) {
    const named = PHASE_BY_FRAME.find(([, re]) => re.test(`:${method}`))?.[0];
    if (named === 'kv-allocation' && capturing) return 'graph-capture';
    if (named) return named;
  }
  if (before(ms.requestsStarted) || before(ms.engineReady)) return 'inference';
  if (capturing) return 'graph-capture';
  if (before(ms.kvCacheSized)) return 'kv-allocation';
  if (before(ms.weightsLoaded)) return 'profile-run';
  if (before(ms.weightsLoading)) return 'weight-loading';
  return MEMORY_FAILURE_KINDS.has(f.kind) ? 'unknown' : 'startup';
}

/** GiB other processes held at the OOM: total − free − this process (PyTorch ≥ 2.1 prints it). */
export function otherProcessesGiB(f: LogFailure): number | undefined {
  const n = f.numbers;
  if (n.capacityGiB === undefined || n.freeGiB === undefined || n.processGiB === undefined) return undefined;
  return Math.max(0, n.capacityGiB - n.freeGiB - n.processGiB);
}

/** Other processes hold enough that they, not this job's settings, are the cause. */
function othersAreTheCause(f: LogFailure): boolean {
  const others = otherProcessesGiB(f);
  return (
    others !== undefined && f.numbers.capacityGiB !== undefined && others > Math.max(2, 0.1 * f.numbers.capacityGiB)
  );
}

/**
 * How a release's KV budget treats memory other processes hold (reference/vllm-memory.md §1):
 * `outside` — V0 (but 0.6.4) sizes the cache as util × total minus its own usage and never looks at
 * the others, so it asks for more than is free; `counted` — V0 0.6.4 and V1 0.8–0.9.0 count them
 * against the budget (less KV, "No available memory" when they hold enough); `checked` — V1 ≥ 0.9.1
 * refuses to start when util × total is not free.
 */
export function otherProcessesAccounting(
  launch: Pick<LogLaunch, 'version' | 'engine'>,
): 'outside' | 'counted' | 'checked' {
  const v = launch.version;
  if (launch.engine === 'V0') return atLeast(v, 0, 6, 4) && !atLeast(v, 0, 6, 5) ? 'counted' : 'outside';
  return atLeast(v, 0, 9, 1) ? 'checked' : 'counted';
}

/** The logged (not assumed) gpu_memory_utilization. */
function loggedUtilization(facts: LogFacts): number | undefined {
  const set = Number(facts.settings.gpu_memory_utilization?.value);
  return Number.isFinite(set) && set > 0 ? set : facts.memory.gpuMemoryUtilization?.value;
}

/** An OOM while allocating the KV cache vLLM had just sized to fit: memory it counted on was taken by
 * other processes (which V0 leaves out of its budget, or which grew while it started), unless
 * PyTorch's numbers show no one else on the GPU or the budget itself leaves no room (util ≥ 0.95). */
function kvAllocationTakenByOthers(f: LogFailure, facts: LogFacts): boolean {
  if (otherProcessesGiB(f) !== undefined) return othersAreTheCause(f);
  return (loggedUtilization(facts) ?? 0.9) < 0.95;
}

function loglikelihoodWorkload(facts: LogFacts, f: LogFailure): boolean {
  return (
    facts.outputTypes.some((t) => t !== 'generate_until') ||
    f.frames.some((fr) => /_loglikelihood_tokens|loglikelihood/.test(fr))
  );
}

/** Failures that name their cause whatever the step (vLLM's refusals, and every non-memory failure). */
const CODE_OF_KIND: { kind: LogFailure['kind']; code: DiagnosticCode }[] = [
  { kind: 'max-seq-len-exceeds-kv', code: 'kv-cache-too-small' },
  { kind: 'no-kv-memory', code: 'weights-exceed-budget' },
  { kind: 'free-memory-check', code: 'gpu-memory-in-use' },
  { kind: 'memory-profiling-error', code: 'gpu-memory-in-use' },
  { kind: 'sampler-warmup-oom', code: 'sampler-warmup-oom' },
  { kind: 'nccl', code: 'run-failure' },
  { kind: 'ray', code: 'run-failure' },
  { kind: 'model-not-found', code: 'run-failure' },
  { kind: 'lm-eval-error', code: 'run-failure' },
  { kind: 'host-oom', code: 'run-failure' },
  { kind: 'slurm', code: 'run-failure' },
  { kind: 'python-exception', code: 'run-failure' },
];

/** A CUDA OOM's cause is the step it happened in. */
const CODE_OF_OOM_PHASE: { phase: FailurePhase; code: DiagnosticCode }[] = [
  { phase: 'weight-loading', code: 'weights-exceed-budget' },
  { phase: 'profile-run', code: 'weights-exceed-budget' },
  { phase: 'graph-capture', code: 'cuda-graph-headroom' },
  { phase: 'sampler-warmup', code: 'sampler-warmup-oom' },
  { phase: 'prompt-logprobs', code: 'logprobs-spike' },
  // A step that names no cause of its own (a generate_until batch, an unknown frame).
  { phase: 'inference', code: 'cuda-out-of-memory' },
  { phase: 'kv-allocation', code: 'cuda-out-of-memory' },
  { phase: 'startup', code: 'cuda-out-of-memory' },
  { phase: 'unknown', code: 'cuda-out-of-memory' },
];

/** A worker that failed capturing CUDA graphs, its exception not in the log, at a budget that leaves
 * almost nothing outside it: before vLLM 0.21 the graphs are captured outside the budget, and vLLM's
 * own capture message names running out of memory there as the risk (lower the utilization or run eager). */
export function workerGraphCaptureAtFullBudget(
  f: LogFailure,
  phase: FailurePhase,
  facts: LogFacts,
  launch: Pick<LogLaunch, 'version'>,
): boolean {
  return (
    f.kind === 'worker-error' &&
    phase === 'graph-capture' &&
    !atLeast(launch.version, 0, 21) &&
    (loggedUtilization(facts) ?? 0) >= 0.95
  );
}

/** The code that names a failure's cause. */
export function causeCode(
  f: LogFailure,
  phase: FailurePhase,
  facts: LogFacts,
  launch: Pick<LogLaunch, 'version'>,
): DiagnosticCode {
  if (f.kind === 'worker-error')
    return workerGraphCaptureAtFullBudget(f, phase, facts, launch) ? 'cuda-graph-headroom' : 'run-failure';
  const byKind = CODE_OF_KIND.find((c) => c.kind === f.kind);
  if (byKind) return byKind.code;
  // A CUDA OOM (with or without PyTorch's numbers).
  if (othersAreTheCause(f)) return 'gpu-memory-in-use';
  if (phase === 'kv-allocation' && kvAllocationTakenByOthers(f, facts)) return 'gpu-memory-in-use';
  // During requests, lm-eval's loglikelihood requests are the prompt-logprob spike.
  if (phase === 'inference' && loglikelihoodWorkload(facts, f)) return 'logprobs-spike';
  return (CODE_OF_OOM_PHASE.find((c) => c.phase === phase) ?? CODE_OF_OOM_PHASE[CODE_OF_OOM_PHASE.length - 1]).code;
}

export const PHASE_TEXT: Record<FailurePhase, string> = {
  'weight-loading': 'while loading the weights',
  'profile-run': "in vLLM's profile run (before the KV cache is sized)",
  'kv-allocation': 'while allocating the KV cache',
  'graph-capture': 'while capturing CUDA graphs (after the KV cache took its budget)',
  'sampler-warmup': 'while warming up the sampler',
  'prompt-logprobs': "while computing prompt logprobs for lm-eval's loglikelihood requests",
  inference: 'while running requests',
  startup: 'at start-up',
  unknown: 'at an unknown step',
};

export const KIND_TEXT: Record<LogFailure['kind'], string> = {
  'cuda-oom': 'CUDA out of memory',
  'cuda-error-oom': 'CUDA error: out of memory',
  'sampler-warmup-oom': 'CUDA out of memory in the sampler warm-up',
  'no-kv-memory': 'no memory for the KV cache',
  'max-seq-len-exceeds-kv': 'max_model_len larger than the KV cache',
  'free-memory-check': 'not enough free GPU memory at start-up',
  'memory-profiling-error': 'GPU memory changed during profiling',
  nccl: 'NCCL (GPU communication) error',
  ray: 'Ray cluster error',
  'model-not-found': 'model not found',
  'lm-eval-error': 'lm-eval error',
  'host-oom': 'host (CPU) memory exhausted: the job was killed by the OOM killer',
  slurm: 'SLURM stopped the job',
  'python-exception': 'Python exception',
  'worker-error': 'a vLLM worker failed',
};
