// lm-eval passes every key it does not consume to vllm.LLM(**kwargs); a misspelled key raises
// TypeError only when the engine is built, after the job has queued and loaded.
import { KNOWN_VLLM_MODEL_ARGS } from '../knowledge/modelArgKeys';
import { nearest } from '../knowledge/nearest';
import type { Finding } from '../shared/findings';
import type { LaunchRule } from './rule';

const CODE = 'unknown-model-arg';
const KNOWN = new Set(KNOWN_VLLM_MODEL_ARGS);

export const unknownModelArg: LaunchRule = {
  code: CODE,
  check(f) {
    if (!f.isVllm || !f.invocation.modelArgs) return [];
    const out: Finding[] = [];
    for (const arg of f.args.values()) {
      const key = arg.key.trim();
      if (!key || KNOWN.has(key)) continue;
      const suggestion = nearest(key, KNOWN_VLLM_MODEL_ARGS);
      out.push({
        code: CODE,
        severity: 'warning',
        message: `"${key}" is not an argument of lm-eval's vllm backend or of vLLM's engine: vllm.LLM() raises TypeError.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
        range: arg.keyRange,
        fixes: suggestion
          ? [
              {
                title: `Rename to ${suggestion}`,
                edits: [{ range: arg.keyRange, newText: suggestion }],
                isPreferred: true,
              },
            ]
          : [],
      });
    }
    return out;
  },
};
