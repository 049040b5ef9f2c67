// Every launch rule, in the order their findings are listed.
import type { LaunchFacts } from '../facts/launch';
import type { Finding } from '../shared/findings';
import { accelerateLaunchVllm } from './accelerate-launch-vllm';
import { architectureNotModelled } from './architecture-not-modelled';
import { brokenLineContinuation } from './broken-line-continuation';
import { conflictingArgs } from './conflicting-args';
import { cudaGraphHeadroom } from './cuda-graph-headroom';
import { duplicateCliKwarg } from './duplicate-cli-kwarg';
import { float32Weights } from './float32-weights';
import { gpuMemoryInUse } from './gpu-memory-in-use';
import { ignoredModelArg } from './ignored-model-arg';
import { invalidModelArgValue } from './invalid-model-arg-value';
import { kvCacheTooSmall } from './kv-cache-too-small';
import { logprobsSpike } from './logprobs-spike';
import { maxGenToksTooLarge } from './max-gen-toks-too-large';
import { maxModelLenTooLong } from './max-model-len-too-long';
import { modelArgsSyntax } from './model-args-syntax';
import { smallerVariantFindings, withSmallerVariants } from './gpu-variants';
import type { LaunchRule } from './rule';
import { tpNotDivisible } from './tp-not-divisible';
import { unknownModel } from './unknown-model';
import { unknownModelArg } from './unknown-model-arg';
import { weightsExceedBudget } from './weights-exceed-budget';

export const LAUNCH_RULES: readonly LaunchRule[] = [
  modelArgsSyntax,
  invalidModelArgValue,
  brokenLineContinuation,
  duplicateCliKwarg,
  conflictingArgs,
  tpNotDivisible,
  gpuMemoryInUse,
  maxModelLenTooLong,
  weightsExceedBudget,
  kvCacheTooSmall,
  maxGenToksTooLarge,
  cudaGraphHeadroom,
  logprobsSpike,
  float32Weights,
  ignoredModelArg,
  unknownModelArg,
  accelerateLaunchVllm,
  unknownModel,
  architectureNotModelled,
];

/** Run every rule; a rule that throws is reported as nothing rather than taking the others down. */
export function checkLaunch(facts: LaunchFacts, rules: readonly LaunchRule[] = LAUNCH_RULES): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    try {
      out.push(...rule.check(facts));
    } catch (err) {
      // Surfacing a crash as a diagnostic would blame the user's file; log through the caller instead.
      reportRuleError?.(rule.code, err);
    }
  }
  // `a100` may be the 40 GB one: what fails there is a warning (rules/gpu-variants.ts).
  if (facts.gpu.smallerVariants?.length) {
    try {
      out.push(...smallerVariantFindings(facts, out, withSmallerVariants(rules)));
    } catch (err) {
      reportRuleError?.('gpu-variants', err);
    }
  }
  return out;
}

let reportRuleError: ((code: string, err: unknown) => void) | undefined;

/** The server and CLI route rule crashes to their log. */
export function onRuleError(handler: (code: string, err: unknown) => void): void {
  reportRuleError = handler;
}
