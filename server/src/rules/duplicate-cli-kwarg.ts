// lm-eval passes batch_size, max_batch_size and device to the model constructor itself
// (create_from_arg_obj(model_args, {batch_size, max_batch_size, device})); the same key inside
// model_args makes Python raise "got multiple values for keyword argument". The CLI always sends
// batch_size (default 1) and, from 0.4.10, device (cuda:0); the Python API only what the call passes.
import { compareVersions } from '../memory/version';
import { removeModelArg } from '../parse/edits';
import type { Finding, Fix } from '../shared/findings';
import type { LaunchFacts } from '../facts/launch';
import type { LaunchRule } from './rule';

const CODE = 'duplicate-cli-kwarg';

function collides(f: LaunchFacts, key: 'batch_size' | 'device'): boolean {
  const inv = f.invocation;
  if (inv.embedding === 'python') return key === 'batch_size' ? !!inv.batchSize : !!inv.device;
  // CLI and --config runs build the EvaluatorConfig, whose defaults are never None.
  if (key === 'batch_size') return true;
  return compareVersions(f.harnessVersion, { major: 0, minor: 4, patch: 10 }) >= 0 || !!inv.device;
}

export const duplicateCliKwarg: LaunchRule = {
  code: CODE,
  check(f) {
    const out: Finding[] = [];
    const block = f.invocation.modelArgs;
    if (!block || f.isServe) return out;
    for (const key of ['batch_size', 'device'] as const) {
      const arg = f.args.get(key);
      if (!arg || !collides(f, key)) continue;
      const fixes: Fix[] = [];
      const remove = removeModelArg(block, arg);
      if (remove) {
        const flag = key === 'batch_size' ? '--batch_size' : '--device';
        const given = key === 'batch_size' ? f.invocation.batchSize : f.invocation.device;
        if (
          f.invocation.embedding === 'shell' &&
          !given &&
          block.hostEscaping !== 'json' &&
          /^[\w:.-]+$/.test(arg.rawValue)
        ) {
          fixes.push({
            title: `Move ${key} to ${flag} ${arg.rawValue}`,
            edits: [
              remove,
              { range: { start: block.range.end, end: block.range.end }, newText: ` ${flag} ${arg.rawValue}` },
            ],
            isPreferred: true,
          });
        } else fixes.push({ title: `Remove ${key} from model_args`, edits: [remove], isPreferred: true });
      }
      out.push({
        code: CODE,
        severity: 'error',
        message: `${key} inside model_args collides with the ${key} lm-eval passes to the model itself: TypeError: got multiple values for keyword argument '${key}'. Use ${key === 'batch_size' ? '--batch_size' : '--device (or CUDA_VISIBLE_DEVICES)'} instead.`,
        range: arg.range,
        fixes,
      });
    }
    return out;
  },
};
