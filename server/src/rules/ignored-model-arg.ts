// Arguments lm-eval's vllm backend drops (lm_eval/models/vllm_causallms.py at the tags): `device`
// from v0.4.9.1 (`kwargs.pop("device")`; v0.4.9 still passed it to vLLM), `swap_space` from v0.4.12
// ("no longer supported by vLLM"). Where device also collides with the CLI's own device,
// duplicate-cli-kwarg reports it instead.
import { compareParsed, parseVersionText } from '../project/versionSpec';
import { removeModelArg } from '../parse/edits';
import type { Finding } from '../shared/findings';
import type { LaunchRule } from './rule';

const CODE = 'ignored-model-arg';

export const ignoredModelArg: LaunchRule = {
  code: CODE,
  check(f) {
    const block = f.invocation.modelArgs;
    if (!f.isVllm || f.isServe || !block) return [];
    // Four-part releases count here (0.4.9.1), so the version as written, not the 3-part one.
    const harness = parseVersionText(f.harness.text);
    const since = (v: string) => !harness || compareParsed(harness, parseVersionText(v)!) >= 0;
    const out: Finding[] = [];
    for (const key of ['swap_space', 'device']) {
      const arg = f.args.get(key);
      if (!arg || !since(key === 'device' ? '0.4.9.1' : '0.4.12')) continue;
      if (key === 'device' && f.invocation.embedding !== 'python') continue; // duplicate-cli-kwarg
      const remove = removeModelArg(block, arg);
      out.push({
        code: CODE,
        severity: 'warning',
        message:
          key === 'swap_space'
            ? 'swap_space is ignored: lm-eval ≥ 0.4.12 drops it for vllm (vLLM V1 has no CPU swap space).'
            : 'device is ignored for vllm from lm-eval 0.4.9.1: choose GPUs with CUDA_VISIBLE_DEVICES.',
        range: arg.range,
        fixes: remove ? [{ title: `Remove ${key}`, edits: [remove], isPreferred: true }] : [],
      });
    }
    return out;
  },
};
