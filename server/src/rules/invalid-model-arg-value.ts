// invalid-value on a launch: a model_args value that lm-eval or vLLM refuses before anything loads.
// The estimate cannot use it either and takes vLLM's default, which it says; a value the tool cannot
// know (`$UTIL`) is unknown, never invalid.
//   gpu_memory_utilization: vLLM ≤ 0.10 raises "GPU memory utilization must be less than 1.0. Got X."
//     (CacheConfig._verify_args; a string fails the comparison with TypeError), later releases
//     validate it as a float with gt=0, le=1 (config/cache.py); 0 or less leaves no KV cache.
//     Exactly 1.0 is valid (what it means on a shared GPU is gpu-memory-in-use's business).
//   tensor_parallel_size, max_model_len / max_length: lm-eval's vllm backend int()s them
//     (vllm_causallms.py: `int(tensor_parallel_size)`, `int(self._max_length) if self._max_length`):
//     text that is not a number raises ValueError (`32k` included: that form is `vllm serve`'s).
import { asNumber } from '../facts/vllmSettings';
import type { LaunchFacts } from '../facts/launch';
import type { ModelArg } from '../parse/types';
import type { Finding } from '../shared/findings';
import type { LaunchRule } from './rule';

const CODE = 'invalid-value';

export interface InvalidArgValue {
  arg: ModelArg;
  key: string;
  /** Why it is refused, in words: `"abc" is not a number`. */
  why: string;
  /** Who refuses it, and how. */
  refusal: string;
}

function shown(a: ModelArg): string {
  return a.rawValue.length > 40 ? `${a.rawValue.slice(0, 39)}…` : a.rawValue;
}

function check(key: string, a: ModelArg): Omit<InvalidArgValue, 'arg' | 'key'> | undefined {
  const n = asNumber(a.value);
  if (key === 'gpu_memory_utilization') {
    const refusal = 'vLLM refuses it at start-up (a fraction above 0 and at most 1)';
    if (n === undefined) return { why: `"${shown(a)}" is not a number`, refusal };
    if (n > 1) return { why: `${shown(a)} is above 1`, refusal };
    if (n <= 0) return { why: `${shown(a)} is not above 0`, refusal };
    return undefined;
  }
  if (n === undefined && !(typeof a.value === 'boolean' || a.value === null))
    return {
      why: `"${shown(a)}" is not a number`,
      refusal: `lm-eval's vllm backend int()s ${key} and raises ValueError`,
    };
  return undefined;
}

const KEYS = ['gpu_memory_utilization', 'tensor_parallel_size', 'max_model_len', 'max_length'];

/** The launch's model_args values that lm-eval or vLLM refuses, with why; unknown values are not judged. */
export function invalidArgValues(f: LaunchFacts): InvalidArgValue[] {
  if (!f.isVllm || f.isServe) return [];
  const out: InvalidArgValue[] = [];
  for (const key of KEYS) {
    const a = f.args.get(key);
    if (!a || a.unresolved || a.keyUnresolved) continue;
    const bad = check(key, a);
    if (bad) out.push({ arg: a, key, ...bad });
  }
  return out;
}

/** The estimate's assumption for each: `gpu_memory_utilization: "abc" is not a number: vLLM's default used`. */
export function invalidArgAssumptions(f: LaunchFacts): string[] {
  return invalidArgValues(f).map((x) => `${x.key}: ${x.why}: vLLM's default used in the estimate`);
}

export const invalidModelArgValue: LaunchRule = {
  code: CODE,
  check(f) {
    return invalidArgValues(f).map(
      (x): Finding => ({
        code: CODE,
        severity: 'error',
        message: `${x.key}=${shown(x.arg)}: ${x.why}; ${x.refusal}. The estimate uses vLLM's default instead.`,
        range: x.arg.valueRange,
      }),
    );
  },
};
