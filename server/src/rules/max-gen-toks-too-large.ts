// lm-eval truncates a generate request's prompt to max_length − max_gen_toks tokens and never lowers
// max_gen_toks; with max_gen_toks ≥ max_model_len that slice is empty or wraps (vllm_causallms.py
// maybe_truncate @4e7e0d47).
import type { Finding, Fix } from '../shared/findings';
import { anchor, hasReason, setArgFix } from './fixes';
import type { LaunchRule } from './rule';

const CODE = 'max-gen-toks-too-large';

export const maxGenToksTooLarge: LaunchRule = {
  code: CODE,
  check(f) {
    const e = f.estimate;
    const gen = f.workload.maxGenToks;
    if (!f.isVllm || gen === undefined) return [];
    const maxModelLen = e?.maxModelLen ?? f.settings.maxModelLen;
    if (maxModelLen === undefined || gen < maxModelLen) return [];
    const fixes: Fix[] = [];
    const wanted = Math.ceil((gen + 1024) / 256) * 256;
    const candidate = f.estimateWith({ maxModelLen: wanted });
    if (candidate && !hasReason(candidate, 'kv-cache-too-small') && wanted <= candidate.derivedMaxModelLen) {
      const fix = setArgFix(
        f,
        f.args.has('max_length') && !f.args.has('max_model_len') ? 'max_length' : 'max_model_len',
        wanted,
        `Set max_model_len=${wanted}`,
        true,
      );
      if (fix) fixes.push(fix);
    }
    const genArg = f.invocation.genKwargs?.args.find((a) =>
      ['max_gen_toks', 'max_new_tokens', 'max_tokens'].includes(a.key.trim()),
    );
    const finding: Finding = {
      code: CODE,
      severity: 'error',
      message: `The tasks generate up to ${gen} tokens (max_gen_toks) but max_model_len is ${maxModelLen}: lm-eval cuts the prompt to max_model_len − max_gen_toks ≤ 0 tokens. Raise max_model_len above ${gen} plus the prompt, or lower max_gen_toks.`,
      range: genArg?.range ?? anchor(f, 'max_model_len', 'max_length'),
      fixes,
    };
    return [finding];
  },
};
