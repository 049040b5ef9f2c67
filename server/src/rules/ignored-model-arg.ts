// Arguments lm-eval's vllm backend drops from 0.4.12: swap_space ("no longer supported by vLLM")
// and device (use CUDA_VISIBLE_DEVICES). Where device also collides with the CLI's own device,
// duplicate-cli-kwarg reports it instead.
import { compareVersions } from '../memory/version';
import { removeModelArg } from '../parse/edits';
import type { Finding } from '../shared/findings';
import type { LaunchRule } from './rule';

const CODE = 'ignored-model-arg';

export const ignoredModelArg: LaunchRule = {
  code: CODE,
  check(f) {
    const block = f.invocation.modelArgs;
    if (!f.isVllm || f.isServe || !block || compareVersions(f.harnessVersion, { major: 0, minor: 4, patch: 12 }) < 0)
      return [];
    const out: Finding[] = [];
    for (const key of ['swap_space', 'device']) {
      const arg = f.args.get(key);
      if (!arg) continue;
      if (key === 'device' && f.invocation.embedding !== 'python') continue; // duplicate-cli-kwarg
      const remove = removeModelArg(block, arg);
      out.push({
        code: CODE,
        severity: 'warning',
        message:
          key === 'swap_space'
            ? 'swap_space is ignored: lm-eval ≥ 0.4.12 drops it for vllm (vLLM V1 has no CPU swap space).'
            : 'device is ignored for vllm from lm-eval 0.4.12: choose GPUs with CUDA_VISIBLE_DEVICES.',
        range: arg.range,
        fixes: remove ? [{ title: `Remove ${key}`, edits: [remove], isPreferred: true }] : [],
      });
    }
    return out;
  },
};
