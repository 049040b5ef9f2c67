// Shared pieces of the rules: where to anchor a finding, how to phrase bytes, and fixes that set a
// model_args key in the user's own style.
import type { LaunchFacts } from '../facts/launch';
import type { MemoryEstimate, VllmSettings } from '../memory/types';
import { insertModelArg, replaceModelArgValue } from '../parse/edits';
import type { Fix, OffsetRange } from '../shared/findings';
import { GiB } from '../shared/units';

export function gib(bytes: number, digits = 1): string {
  return `${(bytes / GiB).toFixed(digits)} GiB`;
}

/** The source range of a model_args key's whole pair, if written. */
export function argRange(f: LaunchFacts, key: string): OffsetRange | undefined {
  return f.args.get(key)?.range;
}

/** Where a finding about the whole configuration goes: the most relevant pair that is written. */
export function anchor(f: LaunchFacts, ...preferredKeys: string[]): OffsetRange {
  for (const k of [...preferredKeys, 'pretrained']) {
    const r = argRange(f, k);
    if (r) return r;
  }
  return f.invocation.modelArgs?.range ?? f.invocation.model?.range ?? f.invocation.range;
}

/** Set `key=value` in the model_args: replace the written value, or add the pair. */
export function setArgFix(
  f: LaunchFacts,
  key: string,
  value: string | number | boolean,
  title: string,
  isPreferred = false,
): Fix | undefined {
  const block = f.invocation.modelArgs;
  if (!block) return undefined;
  const existing = f.args.get(key);
  const edit = existing ? replaceModelArgValue(block, existing, value) : insertModelArg(block, key, value);
  if (!edit) return undefined;
  const fix: Fix = { title, edits: [edit], kind: 'quickfix' };
  if (isPreferred) fix.isPreferred = true;
  return fix;
}

/** True when the estimate with `overrides` no longer has a reason with this code. */
export function resolves(f: LaunchFacts, code: string, overrides: Partial<VllmSettings>): MemoryEstimate | undefined {
  const e = f.estimateWith(overrides);
  if (!e || e.reasons.some((r) => r.code === code)) return undefined;
  return e;
}

/**
 * CUDA graphs sit outside the budget in this vLLM (before 0.21) and enforce_eager=True, not yet set,
 * makes the estimate drop `code`: dropping the graphs is the fix.
 */
export function eagerResolves(f: LaunchFacts, e: MemoryEstimate, code: string): boolean {
  return (
    !e.cudaGraphInsideBudget &&
    e.cudaGraphBytes > 0 &&
    !f.settings.enforceEager &&
    resolves(f, code, { enforceEager: true }) !== undefined
  );
}

export function hasReason(e: MemoryEstimate | undefined, code: string): boolean {
  return !!e && e.reasons.some((r) => r.code === code);
}

/**
 * The highest gpu_memory_utilization (two decimals) below the current one for which the estimate
 * no longer reports `code` and still starts (KV holds one sequence). Undefined when none does.
 */
export function lowerUtilizationThatResolves(f: LaunchFacts, code: string): number | undefined {
  const e = f.estimate;
  if (!e) return undefined;
  const startHundredths = Math.round(e.gpuMemoryUtilization * 100) - 1;
  for (let u = startHundredths; u >= 5; u--) {
    const candidate = f.estimateWith({ gpuMemoryUtilization: u / 100 });
    if (!candidate) return undefined;
    if (hasReason(candidate, 'kv-cache-too-small') || hasReason(candidate, 'weights-exceed-budget')) return undefined;
    if (!hasReason(candidate, code)) return u / 100;
  }
  return undefined;
}

/** The lowest gpu_memory_utilization above the current one (≤ 0.95) that resolves `code` without new problems. */
export function higherUtilizationThatResolves(f: LaunchFacts, code: string): number | undefined {
  const e = f.estimate;
  if (!e) return undefined;
  for (let u = Math.round(e.gpuMemoryUtilization * 100) + 1; u <= 95; u++) {
    const candidate = f.estimateWith({ gpuMemoryUtilization: u / 100 });
    if (!candidate) return undefined;
    if (!hasReason(candidate, code)) return candidate.verdict === 'will-fail' ? undefined : u / 100;
  }
  return undefined;
}

/** Set gpu_memory_utilization to `util`: "Lower gpu_memory_utilization to 0.85" (`note` ends the title). */
export function utilizationFix(
  f: LaunchFacts,
  util: number,
  direction: 'Lower' | 'Raise',
  isPreferred: boolean,
  note = '',
): Fix | undefined {
  const value = utilText(util);
  return setArgFix(
    f,
    'gpu_memory_utilization',
    value,
    `${direction} gpu_memory_utilization to ${value}${note}`,
    isPreferred,
  );
}

/** Format a utilization so it reads like what users write (0.85, not 0.8500000001). */
export function utilText(u: number): string {
  return String(Math.round(u * 100) / 100);
}

/**
 * The largest multiple of `step` below `current` for which the estimate no longer reports `code`
 * and still starts. Binary search: every knob we search (max_num_batched_tokens, max_num_seqs,
 * max_model_len) only grows the memory it controls.
 */
export function largestValueThatResolves(
  f: LaunchFacts,
  code: string,
  current: number,
  step: number,
  override: (value: number) => Partial<VllmSettings>,
  minimum = step,
): number | undefined {
  let lo = Math.ceil(minimum / step);
  let hi = Math.floor((current - 1) / step);
  let best: number | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const e = f.estimateWith(override(mid * step));
    if (!e) return undefined;
    if (!hasReason(e, code) && e.verdict !== 'will-fail') {
      best = mid * step;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
