// A logged failure in words: one sentence for its cause, and the figures PyTorch printed.
import type { MemoryEstimate } from '../memory/types';
import { versionText } from '../memory/version';
import type { DiagnosticCode } from '../shared/codes';
import { KIND_TEXT, otherProcessesAccounting, otherProcessesGiB, PHASE_TEXT, workerMethod } from './failureCause';
import type { LogLaunch } from './launch';
import { kvFigureCut } from './logOnlyFixes';
import type { FailurePhase, LogFailure } from './types';
import type { UtilizationOrigin } from './utilization';

/** A worker's failure whose exception the log does not show: the step, and where to look. */
function workerFailed(f: LogFailure, phase: FailurePhase): string {
  const method = workerMethod(f);
  const step = phase === 'startup' || phase === 'unknown' ? '' : ` ${PHASE_TEXT[phase]}`;
  return `A vLLM worker failed${method ? ` in ${method}` : ''}${step}, and the log ends before its exception (cut off, or printed by that worker's own process)`;
}

/** Why an OOM while allocating the KV cache points at other processes, in the words of the release. */
function othersAtKvAllocation(launch: LogLaunch): string {
  const release = `vLLM ${versionText(launch.version)}${launch.versionAssumed ? ' (version assumed)' : ''}`;
  switch (otherProcessesAccounting(launch)) {
    case 'outside':
      return `${release} sizes the KV cache as gpu_memory_utilization × the GPU's total memory minus its own use, without subtracting what other processes hold, so with another process on the GPU it asks for more than is free`;
    case 'counted':
      return `${release} counts other processes' memory when it sizes the KV cache, so memory was taken while it started (another job starting on the same GPU)`;
    default:
      return `${release} checked at start-up that gpu_memory_utilization × total was free, so another process took memory while it started`;
  }
}

export function causeSentence(
  code: DiagnosticCode,
  f: LogFailure,
  phase: FailurePhase,
  launch: LogLaunch,
  e: MemoryEstimate | undefined,
  origin: UtilizationOrigin,
): string {
  const n = f.numbers;
  const utilSaid = `gpu_memory_utilization=${origin.text}`;
  switch (code) {
    case 'kv-cache-too-small': {
      const len = n.maxSeqLen ?? e?.maxModelLen;
      const room =
        n.availableKvGiB !== undefined
          ? `only ${n.availableKvGiB.toFixed(2)} GiB was left for it`
          : n.kvTokens !== undefined
            ? `the KV cache left in the budget holds only ${n.kvTokens.toLocaleString('en-US')} tokens`
            : `the KV cache left in the budget is smaller${kvFigureCut(f) ? ' (the log is cut before its size)' : ''}`;
      const needs =
        n.neededKvGiB !== undefined ? ` needs ${n.neededKvGiB.toFixed(2)} GiB of KV cache, but` : ' does not fit:';
      return `vLLM refused to start: one request of max_model_len=${len}${needs} ${room} after the weights and the profile run (${utilSaid}).`;
    }
    case 'weights-exceed-budget':
      if (f.kind === 'no-kv-memory') {
        const others =
          otherProcessesAccounting(launch) === 'counted'
            ? `; vLLM ${versionText(launch.version)} also counts memory other processes hold against the budget`
            : '';
        return `vLLM ${f.figure ? 'found no memory for the KV cache' : 'refused to start'}: the weights, the profile run's activation peak and non-torch memory took the whole budget (${utilSaid}), leaving nothing for the KV cache${others}.`;
      }
      return `CUDA ran out of memory ${PHASE_TEXT[phase]}: the weights${phase === 'profile-run' ? ' plus the activation peak of the profile run' : ''} do not fit the GPU.`;
    case 'gpu-memory-in-use':
      if (n.startupFreeGiB !== undefined)
        return `vLLM refused to start: only ${n.startupFreeGiB.toFixed(2)} of ${n.startupTotalGiB?.toFixed(2)} GiB was free, less than gpu_memory_utilization=${n.requestedUtilization} asks for (${n.requestedGiB?.toFixed(2)} GiB): other processes hold the rest.`;
      if (f.kind === 'memory-profiling-error')
        return 'vLLM stopped at start-up: another process allocated or freed GPU memory while vLLM was profiling, so the free-memory figures it measured are wrong.';
      if (otherProcessesGiB(f) === undefined)
        return `CUDA ran out of memory ${PHASE_TEXT[phase]}, most likely because other processes hold GPU memory: ${othersAtKvAllocation(launch)}.`;
      return `CUDA ran out of memory ${PHASE_TEXT[phase]} with ${otherProcessesGiB(f)?.toFixed(2)} GiB of the GPU held by other processes.`;
    case 'cuda-graph-headroom':
      if (f.kind === 'worker-error') {
        const util = origin.value;
        const total = launch.gpu.totalBytes / 2 ** 30;
        return `${workerFailed(f, phase)}; most likely out of memory: vLLM ${versionText(launch.version)} captures the graphs outside the budget (${utilSaid}), which leaves only ${((1 - util) * total).toFixed(2)} of ${total.toFixed(2)} GiB for them and the CUDA context.`;
      }
      return e?.cudaGraphInsideBudget
        ? `CUDA ran out of memory while capturing CUDA graphs: the graphs took more than vLLM's estimate reserved for them inside the budget.`
        : `CUDA ran out of memory while capturing CUDA graphs: vLLM ${versionText(launch.version)} captures them after the KV cache has taken the budget (${utilSaid}), outside it, and the memory left outside the budget could not hold them.`;
    case 'logprobs-spike':
      return `CUDA ran out of memory ${PHASE_TEXT['prompt-logprobs']}: vLLM never profiles the tokens × vocabulary logits prompt logprobs need, so the spike lands outside the budget (${utilSaid}).`;
    case 'sampler-warmup-oom':
      return `CUDA ran out of memory while vLLM warmed up its sampler with ${n.dummyRequests ?? 'max_num_seqs'} dummy requests (max_num_seqs)${phase === 'sampler-warmup' && e ? '' : ''}.`;
    case 'cuda-out-of-memory':
      return `CUDA ran out of memory ${PHASE_TEXT[phase]}.`;
    default:
      if (f.kind === 'worker-error') return `${workerFailed(f, phase)}: its traceback says why.`;
      return `The run failed, not for lack of GPU memory: ${KIND_TEXT[f.kind]}.`;
  }
}

export function oomDetails(f: LogFailure): string[] {
  const n = f.numbers;
  const out: string[] = [];
  if (n.triedGiB !== undefined) {
    let s = `PyTorch tried to allocate ${n.triedGiB.toFixed(2)} GiB`;
    if (n.freeGiB !== undefined) s += ` with ${n.freeGiB.toFixed(2)} GiB free`;
    if (n.capacityGiB !== undefined) s += ` of ${n.capacityGiB.toFixed(2)} GiB`;
    if (n.device !== undefined) s += ` on GPU ${n.device}`;
    if (n.processGiB !== undefined) s += `; this process held ${n.processGiB.toFixed(2)} GiB`;
    const others = otherProcessesGiB(f);
    if (others !== undefined && others > 0.5) s += `, other processes ${others.toFixed(2)} GiB`;
    out.push(`${s}.`);
  }
  if (f.repeats > 1) out.push(`${f.repeats} ranks printed the same failure.`);
  return out;
}
