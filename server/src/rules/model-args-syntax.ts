// Problems the model_args parser found (empty pair, bare key, comma inside a value, unbalanced
// quote, bad JSON): lm-eval's CLI parser raises on most of them before anything loads.
import type { Finding } from '../shared/findings';
import type { LaunchRule } from './rule';

export const modelArgsSyntax: LaunchRule = {
  code: 'model-args-syntax',
  check(f) {
    const out: Finding[] = [];
    for (const block of [f.invocation.modelArgs, f.invocation.genKwargs]) {
      for (const p of block?.problems ?? []) {
        out.push({ code: 'model-args-syntax', severity: p.severity, message: p.message, range: p.range });
      }
    }
    return out;
  },
};
