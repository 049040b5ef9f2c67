// Arguments lm-eval's vllm backend rejects together (lm_eval/models/vllm_causallms.py @4e7e0d47):
// `assert max_length is None or max_model_len is None`, and since PR #3675 enable_thinking=True
// requires think_end_token and is refused for loglikelihood / multiple_choice requests.
import { asBoolean } from '../facts/vllmSettings';
import { removeModelArg } from '../parse/edits';
import type { Finding, Fix } from '../shared/findings';
import type { LaunchRule } from './rule';

const CODE = 'conflicting-args';

export const conflictingArgs: LaunchRule = {
  code: CODE,
  check(f) {
    if (!f.isVllm || f.isServe) return []; // lm-eval's own checks
    const out: Finding[] = [];
    const block = f.invocation.modelArgs;
    const maxLength = f.args.get('max_length');
    const maxModelLen = f.args.get('max_model_len');
    if (block && maxLength && maxModelLen) {
      const fixes: Fix[] = [];
      const remove = removeModelArg(block, maxLength);
      if (remove) fixes.push({ title: 'Remove max_length (keep max_model_len)', edits: [remove], isPreferred: true });
      out.push({
        code: CODE,
        severity: 'error',
        message:
          'max_length and max_model_len are the same setting; lm-eval asserts that only one is given. Keep max_model_len.',
        range: maxLength.range,
        fixes,
      });
    }
    const thinking = f.args.get('enable_thinking');
    if (thinking && asBoolean(thinking.value) === true) {
      if (!f.args.has('think_end_token')) {
        out.push({
          code: CODE,
          severity: 'error',
          message:
            'enable_thinking=True requires think_end_token (e.g. think_end_token=</think>): lm-eval raises ValueError without it.',
          range: thinking.range,
        });
      }
      const loglik = f.workload.outputTypes.filter((t) => t !== 'generate_until');
      if (loglik.length) {
        out.push({
          code: CODE,
          severity: 'error',
          message: `enable_thinking=True is refused for ${loglik.join('/')} tasks (lm-eval raises ValueError); run those tasks without it.`,
          range: thinking.range,
        });
      }
    }
    return out;
  },
};
