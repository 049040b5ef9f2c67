// The fix for a logged memory failure: the launch rules' own fix search on the logged settings
// (LaunchFacts built from the log), with estimates anchored to what the log measured
// (calibratedLaunch.ts), a few searches the launch rules do not need but a crash at a given step
// does, and, for a model the memory model does not know, fixes read off the log alone.
import type { FactProviders } from '../facts/providers';
import type { MemoryEstimate } from '../memory/types';
import { hasReason, largestValueThatResolves, lowerUtilizationThatResolves, utilText } from '../rules/fixes';
import { checkLaunch, LAUNCH_RULES } from '../rules';
import type { DiagnosticCode } from '../shared/codes';
import type { Fix } from '../shared/findings';
import {
  type LogCalibration,
  type LogConstraint,
  type LogLaunchFacts,
  logLaunchFacts,
  oomMarginBytes,
} from './calibratedLaunch';
import { otherProcessesGiB } from './failureCause';
import { changesOfFix, type FixValue, type LogFix } from './fixedArgs';
import type { LogLaunch } from './launch';
import { adviceFixes, logOnlyFixes } from './logOnlyFixes';
import type { FailurePhase, LogFacts, LogFailure } from './types';
import { titleWithOrigin, type UtilizationOrigin } from './utilization';
import { GiB } from '../shared/units';

/** What the log measured about the KV cache, as an offset to the model's figure (see calibratedLaunch). */
function kvCalibration(
  facts: LogFacts,
  failure: LogFailure | undefined,
  base: MemoryEstimate,
  pastKvCheck: boolean,
): LogCalibration {
  const n = failure?.numbers ?? {};
  const perToken = base.kvBytesPerToken;
  const virtualEngines = base.effective.engine === 'V0' ? base.effective.pipelineParallelSize : 1;
  const m = facts.memory;
  let logged: number | undefined;
  let oneSequenceScale = 1;
  if (n.availableKvGiB !== undefined) {
    logged = n.availableKvGiB * GiB;
    if (n.neededKvGiB !== undefined && base.oneSequenceKvBytes > 0)
      oneSequenceScale = (n.neededKvGiB * GiB) / base.oneSequenceKvBytes;
  } else if (n.kvTokens !== undefined) logged = n.kvTokens * perToken * virtualEngines;
  else if (m.kvCacheGiB) logged = m.kvCacheGiB.value * GiB;
  else if (m.kvTokens) logged = m.kvTokens.value * perToken;
  else if (m.gpuBlocks) logged = m.gpuBlocks.value * base.effective.blockSize * perToken;
  if (logged !== undefined) return { kvOffsetBytes: logged - base.kvCacheBytes, oneSequenceScale };
  // No KV figure, but the run got past vLLM's KV checks: the log proves one max_model_len request fit,
  // whatever the model says, so its KV estimate is raised to just that.
  const need = base.oneSequenceKvBytes * virtualEngines;
  return { kvOffsetBytes: pastKvCheck ? Math.max(0, need - base.kvCacheBytes) : 0, oneSequenceScale };
}

/** The failure came after vLLM sized the KV cache and checked one request fits. */
function pastKvCheck(facts: LogFacts, f: LogFailure, phase: FailurePhase): boolean {
  const ms = facts.milestones;
  if (['graph-capture', 'prompt-logprobs', 'inference'].includes(phase)) return true;
  if ((f.numbers.privatePoolsGiB ?? 0) > 0) return true;
  return [ms.kvCacheSized, ms.graphCaptureStarted, ms.requestsStarted].some((l) => l !== undefined && l < f.line);
}

/** What a fix must achieve for the logged failure not to recur (see calibratedLaunch). */
function constraintFor(
  code: DiagnosticCode,
  f: LogFailure,
  phase: FailurePhase,
  facts: LogFacts,
  base: MemoryEstimate,
): LogConstraint | undefined {
  const n = f.numbers;
  const total = base.totalBytes;
  const margin = oomMarginBytes(total);
  const shortfall = n.triedGiB !== undefined && n.freeGiB !== undefined ? Math.max(0, n.triedGiB - n.freeGiB) * GiB : 0;
  switch (code) {
    case 'gpu-memory-in-use': {
      if (n.startupFreeGiB !== undefined) return { kind: 'free', code, freeBytes: n.startupFreeGiB * GiB };
      const others = otherProcessesGiB(f);
      if (others !== undefined)
        return { kind: 'free', code, freeBytes: (n.capacityGiB! - others) * GiB - base.outsideBudgetBytes - margin };
      return undefined;
    }
    case 'weights-exceed-budget': {
      if (f.kind === 'no-kv-memory') return undefined; // the KV figure decides
      const others = otherProcessesGiB(f) ?? 0;
      const device = ((n.capacityGiB ?? total / GiB) - others) * GiB - margin;
      const loaded = facts.memory.weightsGiB ? facts.memory.weightsGiB.value * GiB : undefined;
      const atOom = ((n.allocatedByTorchGiB ?? 0) + (n.triedGiB ?? 0)) * GiB;
      const weightsScale =
        loaded !== undefined && base.weightsBytes > 0
          ? loaded / base.weightsBytes
          : phase === 'weight-loading' && base.weightsBytes > 0
            ? Math.max(1, atOom / base.weightsBytes)
            : 1;
      const activationScale =
        phase === 'profile-run' && loaded !== undefined && base.activationBytes > 0
          ? Math.max(1, (atOom - loaded) / base.activationBytes)
          : 1;
      return { kind: 'device', code, deviceBytes: device, weightsScale, activationScale };
    }
    case 'sampler-warmup-oom': {
      const seqs = n.dummyRequests ?? base.effective.maxNumSeqs;
      // After the KV cache (the warm-up that follows graph capture, or graphs already in PyTorch's private
      // pools), a smaller budget frees memory too; during profiling only fewer rows do.
      const afterKvCache =
        (facts.milestones.kvCacheSized !== undefined && facts.milestones.kvCacheSized < f.line) ||
        (n.privatePoolsGiB ?? 0) > 0;
      // The warm-up holds about four max_num_seqs × vocab fp32 tensors at once (logits, probabilities, and
      // the top-k/top-p sort's values and indices); the one PyTorch failed to allocate is one of them.
      const bytesPerSeq =
        n.triedGiB !== undefined ? (4 * n.triedGiB * GiB) / seqs : Math.max(base.activationBytes, GiB) / seqs;
      return { kind: 'sampler', code, requiredBytes: shortfall + margin, bytesPerSeq, loggedSeqs: seqs, afterKvCache };
    }
    case 'logprobs-spike':
      // The spike is a chain of tokens × vocab tensors: after the one that failed, others follow.
      return {
        kind: 'headroom',
        code,
        requiredGainBytes: shortfall + Math.max(margin, 0.25 * (n.triedGiB ?? 0) * GiB),
      };
    case 'cuda-graph-headroom':
      // Without PyTorch's numbers, the whole graph pool is what may have been missing.
      return {
        kind: 'headroom',
        code,
        requiredGainBytes: n.triedGiB !== undefined ? shortfall + margin : Math.max(margin, base.cudaGraphBytes),
        inGraphCapture: true,
      };
    case 'cuda-out-of-memory':
      return { kind: 'headroom', code, requiredGainBytes: shortfall + margin };
    default:
      return undefined;
  }
}

/** Fix searches the launch rules do not run but a failure at this step calls for (same helpers). */
function extraFixes(code: DiagnosticCode, phase: FailurePhase, llf: LogLaunchFacts): LogFix[] {
  const f = llf.facts;
  const e = f.estimate;
  if (!e) return [];
  const out: LogFix[] = [];
  const add = (key: string, value: FixValue, title: string) =>
    out.push({ title, changes: [{ key, value }], preferred: false, foundBy: 'memory-model' });
  const seqs = (c: string) => largestValueThatResolves(f, c, e.effective.maxNumSeqs, 8, (v) => ({ maxNumSeqs: v }));
  if (code === 'weights-exceed-budget' && phase === 'kv-allocation') {
    // "No available memory for the cache blocks": vLLM's own advice, a larger budget, when one (≤ 0.95)
    // both leaves KV memory and holds one max_model_len request.
    for (let u = Math.round(e.gpuMemoryUtilization * 100) + 1; u <= 95; u++) {
      const candidate = f.estimateWith({ gpuMemoryUtilization: u / 100 });
      if (!candidate) break;
      if (candidate.verdict === 'will-fail') continue;
      out.push({
        title: `Raise gpu_memory_utilization to ${utilText(u / 100)}`,
        changes: [{ key: 'gpu_memory_utilization', value: u / 100 }],
        // vLLM's own advice, and it needs no more GPUs than the job has.
        preferred: true,
        foundBy: 'memory-model',
      });
      break;
    }
  }
  if (code === 'weights-exceed-budget' && phase === 'profile-run') {
    const mnbt = largestValueThatResolves(f, code, e.effective.maxNumBatchedTokens, 256, (v) => ({
      maxNumBatchedTokens: v,
    }));
    if (mnbt !== undefined) add('max_num_batched_tokens', mnbt, `Cap max_num_batched_tokens at ${mnbt}`);
    const s = seqs(code);
    if (s !== undefined) add('max_num_seqs', s, `Cap max_num_seqs at ${s}`);
  }
  if (code === 'sampler-warmup-oom' || code === 'cuda-out-of-memory') {
    const s = seqs(code);
    if (s !== undefined) add('max_num_seqs', s, `Cap max_num_seqs at ${s}`);
    const util = lowerUtilizationThatResolves(f, code);
    if (util !== undefined)
      add('gpu_memory_utilization', Number(utilText(util)), `Lower gpu_memory_utilization to ${utilText(util)}`);
  }
  return out;
}

/**
 * The fixes for a memory failure, the preferred one first. `assumptions` gets a note when the
 * anchored model does not reproduce the failure at the logged settings.
 */
export function searchFixes(
  code: DiagnosticCode,
  failure: LogFailure,
  phase: FailurePhase,
  facts: LogFacts,
  launch: LogLaunch,
  providers: FactProviders,
  estimate: MemoryEstimate | undefined,
  assumptions: string[],
  origin: UtilizationOrigin,
): LogFix[] {
  // The fix: the launch rules' search on the logged settings, judged against the logged figures.
  let fixes: LogFix[] = [];
  if (estimate) {
    const cal = kvCalibration(facts, failure, estimate, pastKvCheck(facts, failure, phase));
    const constraint = constraintFor(code, failure, phase, facts, estimate);
    if (constraint) cal.constraint = constraint;
    const llf = logLaunchFacts(launch, cal, providers);
    if (llf) {
      const rule = LAUNCH_RULES.find((r) => r.code === code);
      const ruleFixes: LogFix[] = (rule ? checkLaunch(llf.facts, [rule]).flatMap((x) => x.fixes ?? []) : []).map(
        (fix: Fix) => ({
          title: fix.title,
          changes: changesOfFix(llf.commandText, fix),
          preferred: fix.isPreferred === true,
          foundBy: 'memory-model',
        }),
      );
      const seen = new Set<string>();
      for (const fix of [...ruleFixes, ...extraFixes(code, phase, llf)]) {
        const key = JSON.stringify(fix.changes);
        if (!fix.changes.length || seen.has(key)) continue;
        seen.add(key);
        fixes.push(fix);
      }
      const failsNow = llf.facts.estimate && hasReason(llf.facts.estimate, code);
      if (!failsNow)
        assumptions.push(
          `the memory model, anchored to the logged figures, does not reproduce this failure at the logged settings`,
        );
    }
  }
  if (!fixes.length) fixes = logOnlyFixes(code, failure, launch, origin);
  // A moved gpu_memory_utilization says what it was moved from (the log's value, or the default assumed).
  for (const f of fixes) {
    const util = f.changes.find((c) => c.key === 'gpu_memory_utilization');
    if (util && typeof util.value === 'number' && !f.title.includes('(from '))
      f.title = titleWithOrigin(f.title, util.value, origin);
  }
  const advice = adviceFixes(code, failure, launch, fixes);
  fixes = [...fixes, ...advice];
  if (fixes.length) {
    // Advice made preferred (a GPU others mostly hold) leads; else a fix that needs no more GPUs than the
    // job has wins over one that does (tensor_parallel_size).
    const preferred =
      advice.find((f) => f.preferred) ??
      fixes.find((f) => f.preferred && f.changes.length && !f.changes.some((c) => c.key === 'tensor_parallel_size')) ??
      fixes.find((f) => f.preferred && f.changes.length) ??
      fixes[0];
    for (const f of fixes) f.preferred = f === preferred;
    fixes = [preferred, ...fixes.filter((f) => f !== preferred)];
  }
  return fixes;
}
