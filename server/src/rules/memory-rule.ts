// The shape every memory rule shares: the memory model's judge decides (memory/startup.ts), the
// rule only words the finding and computes its fixes. A rule runs when the estimate carries a
// reason with its code, and gets that estimate and reason.
import type { LaunchFacts } from '../facts/launch';
import type { EstimateReason, MemoryEstimate, MemoryReasonCode } from '../memory/types';
import type { Finding } from '../shared/findings';
import type { LaunchRule } from './rule';

type Report<E> = (f: LaunchFacts, e: E, reason: EstimateReason) => Finding[];

/** A launch rule for one memory-model reason code: silent unless the estimate has that reason. */
export function memoryRule(code: MemoryReasonCode, report: Report<MemoryEstimate>): LaunchRule {
  return {
    code,
    check(f) {
      const e = f.estimate;
      const reason = e?.reasons.find((r) => r.code === code);
      return e && reason ? report(f, e, reason) : [];
    },
  };
}

/**
 * The same for a judge that needs no numbers, so it can also decide when there is no estimate
 * (a model outside the catalog): `judgeWithoutEstimate` is the memory model's own judge.
 */
export function memoryRuleWithoutEstimate(
  code: MemoryReasonCode,
  judgeWithoutEstimate: (f: LaunchFacts) => EstimateReason | undefined,
  report: Report<MemoryEstimate | undefined>,
): LaunchRule {
  return {
    code,
    check(f) {
      const e = f.estimate;
      const reason = e ? e.reasons.find((r) => r.code === code) : f.isVllm ? judgeWithoutEstimate(f) : undefined;
      return reason ? report(f, e, reason) : [];
    },
  };
}
