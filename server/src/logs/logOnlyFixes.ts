// Fixes read off the log alone (a model the memory model does not know), and the advice that is not
// a setting (free the GPU; make what precedes the KV cache smaller). Every value that moves
// gpu_memory_utilization says what it moves it from (utilization.ts): the logged value, or the
// default of the release that ran when the log does not show it.
import type { DiagnosticCode } from '../shared/codes';
import { otherProcessesAccounting, otherProcessesGiB } from './failureCause';
import type { FixValue, LogFix } from './fixedArgs';
import type { LogLaunch } from './launch';
import type { LogFailure } from './types';
import { titleWithOrigin, type UtilizationOrigin } from './utilization';
import { GiB } from '../shared/units';

function fix(key: string, value: FixValue, title: string): LogFix {
  return { title, changes: [{ key, value }], preferred: true, foundBy: 'log' };
}

function advice(title: string, preferred = false): LogFix {
  return { title, changes: [], preferred, foundBy: 'advice' };
}

/** The largest max_model_len the logged KV cache holds: vLLM's estimate, the V0 token count, or (when
 * the estimate was cut from the log) the logged length scaled by available ÷ needed, each read at the
 * worst of its two-decimal rounding. */
function maxModelLenThatFits(f: LogFailure): number | undefined {
  const n = f.numbers;
  const fits =
    n.estimatedMaxModelLen ??
    n.kvTokens ??
    (n.maxSeqLen !== undefined && n.neededKvGiB && n.availableKvGiB !== undefined && n.availableKvGiB > 0
      ? (n.maxSeqLen * (n.availableKvGiB - 0.005)) / (n.neededKvGiB + 0.005)
      : undefined);
  const len = fits !== undefined ? Math.floor(fits / 256) * 256 : undefined;
  return len !== undefined && len >= 256 ? len : undefined;
}

/** vLLM's max-seq-len refusal without what the KV cache holds (available GiB, estimated length, V0's
 * token count): every release prints one, so the message was cut before it. */
export function kvFigureCut(f: LogFailure): boolean {
  const n = f.numbers;
  return (
    f.kind === 'max-seq-len-exceeds-kv' &&
    n.availableKvGiB === undefined &&
    n.estimatedMaxModelLen === undefined &&
    n.kvTokens === undefined
  );
}

/** No memory for the KV cache: vLLM's own advice is a larger budget (≤ 0.95). */
function raiseUtilization(f: LogFailure, launch: LogLaunch, origin: UtilizationOrigin): LogFix[] {
  const total = launch.gpu.totalBytes / GiB;
  const kv = f.numbers.availableKvGiB ?? launch.loggedKvGiB;
  if (kv !== undefined) {
    // The budget that leaves the logged shortfall plus a margin for the KV cache.
    const u = Math.ceil((origin.value + (-kv + Math.max(0.5, 0.02 * total)) / total) * 100) / 100;
    return u <= 0.95 && u > origin.value
      ? [fix('gpu_memory_utilization', u, titleWithOrigin(`Raise gpu_memory_utilization to ${u}`, u, origin))]
      : [];
  }
  // No KV figure to size the step by: back to the default when the run used less (vLLM's advice), else 0.95.
  const target = origin.logged && origin.value < 0.9 ? 0.9 : 0.95;
  if (target <= origin.value) return [];
  const why = origin.logged ? '' : "; if you set it lower, raising it is vLLM's own advice";
  return [
    fix('gpu_memory_utilization', target, `Raise gpu_memory_utilization to ${target} (from ${origin.text}${why})`),
  ];
}

/** The free-memory check: a budget that fits in what was free at start-up. */
function utilizationThatIsFree(f: LogFailure, launch: LogLaunch): LogFix[] {
  const n = f.numbers;
  const total = n.startupTotalGiB ?? n.capacityGiB ?? launch.gpu.totalBytes / GiB;
  const others = otherProcessesGiB(f);
  const free = n.startupFreeGiB ?? (others !== undefined ? total - others - Math.max(0.5, 0.02 * total) : undefined);
  if (free === undefined || !total) return [];
  const u = Math.floor((free / total) * 100 - (n.startupFreeGiB !== undefined ? 1 : 0)) / 100;
  if (u < 0.05) return [];
  return [
    fix(
      'gpu_memory_utilization',
      u,
      `Lower gpu_memory_utilization to ${u} (what ${n.startupFreeGiB !== undefined ? 'is free' : 'other processes leave free'})`,
    ),
  ];
}

/** Fixes read off the log alone, for a model the memory model does not know. */
export function logOnlyFixes(
  code: DiagnosticCode,
  f: LogFailure,
  launch: LogLaunch,
  origin: UtilizationOrigin,
): LogFix[] {
  const n = f.numbers;
  const total = launch.gpu.totalBytes / GiB;
  switch (code) {
    case 'kv-cache-too-small': {
      const len = maxModelLenThatFits(f);
      const estimated = n.estimatedMaxModelLen === undefined && n.kvTokens === undefined;
      return len
        ? [
            fix(
              'max_model_len',
              len,
              `Set max_model_len=${len} (what the KV cache holds${estimated ? `: ${n.availableKvGiB} of the ${n.neededKvGiB} GiB one ${n.maxSeqLen}-token request needs` : ''})`,
            ),
          ]
        : [];
    }
    case 'weights-exceed-budget':
      return f.kind === 'no-kv-memory' ? raiseUtilization(f, launch, origin) : [];
    case 'gpu-memory-in-use':
      return utilizationThatIsFree(f, launch);
    case 'cuda-graph-headroom':
      return launch.settings.enforceEager
        ? []
        : [fix('enforce_eager', true, 'Set enforce_eager=True (no CUDA graphs)')];
    case 'logprobs-spike':
    case 'cuda-out-of-memory': {
      if (n.triedGiB === undefined || n.freeGiB === undefined) return [];
      const need =
        n.triedGiB - n.freeGiB + Math.max(0.5, 0.02 * total, code === 'logprobs-spike' ? 0.25 * n.triedGiB : 0);
      const u = Math.floor((origin.value - need / total) * 100) / 100;
      return u >= 0.05
        ? [fix('gpu_memory_utilization', u, titleWithOrigin(`Lower gpu_memory_utilization to ${u}`, u, origin))]
        : [];
    }
    case 'sampler-warmup-oom': {
      const seqs = n.dummyRequests;
      return seqs && seqs > 1
        ? [fix('max_num_seqs', Math.floor(seqs / 2), `Cap max_num_seqs at ${Math.floor(seqs / 2)}`)]
        : [];
    }
    default:
      return [];
  }
}

/** What to do that no setting says, after the fixes found (the preferred one when nothing else fits). */
export function adviceFixes(code: DiagnosticCode, f: LogFailure, launch: LogLaunch, fixes: LogFix[]): LogFix[] {
  const n = f.numbers;
  const out: LogFix[] = [];
  // The refusal cut before what the KV cache holds: no value to read off, but the knobs are still known.
  if (code === 'kv-cache-too-small' && !fixes.length && kvFigureCut(f)) {
    const below = n.maxSeqLen !== undefined ? ` below ${n.maxSeqLen}` : '';
    out.push(
      advice(
        `Lower max_model_len${below} or raise gpu_memory_utilization: the log is cut before the figure of what the KV cache holds, so no value can be read off it`,
        true,
      ),
    );
  }
  if (code === 'gpu-memory-in-use') {
    const total = n.startupTotalGiB ?? n.capacityGiB;
    const others =
      n.startupFreeGiB !== undefined && n.startupTotalGiB !== undefined
        ? n.startupTotalGiB - n.startupFreeGiB
        : otherProcessesGiB(f);
    const held =
      others !== undefined && total
        ? `other processes hold ${others.toFixed(2)} of ${total.toFixed(2)} GiB`
        : 'other processes hold part of it';
    // A GPU mostly held by someone else: freeing it is the fix; a smaller budget would starve the model.
    const first = !fixes.length || (others !== undefined && total !== undefined && others > total / 2);
    out.push(
      advice(
        `Free the GPU: ${held} (often an earlier vLLM or a training job still running; nvidia-smi lists them)${fixes.length ? '' : ', or lower gpu_memory_utilization below the fraction free before vLLM starts'}`,
        first,
      ),
    );
  }
  if (code === 'weights-exceed-budget' && f.kind === 'no-kv-memory') {
    out.push(
      advice(
        'Make what precedes the KV cache smaller: fewer weights per GPU (tensor_parallel_size, a quantized checkpoint) or a smaller profile run (max_num_batched_tokens, max_num_seqs)',
      ),
    );
    if (otherProcessesAccounting(launch) === 'counted')
      out.push(advice(`Free the GPU: vLLM ${launch.versionLabel} counts other processes' memory against the budget`));
  }
  return out;
}
