// lm-eval passes every key it does not consume to vllm.LLM(**kwargs); a misspelled key raises
// TypeError only when the engine is built, after the job has queued and loaded. For `vllm serve`,
// argparse refuses an unknown flag at start-up; a flag we do not know may be newer than our list,
// so only a near miss of a known one is reported there.
import { KNOWN_VLLM_MODEL_ARGS } from '../knowledge/modelArgKeys';
import { nearest } from '../knowledge/nearest';
import { SERVE_FLAG_KEYS } from '../knowledge/vllmServeFlags';
import type { Finding } from '../shared/findings';
import type { LaunchRule } from './rule';

const CODE = 'unknown-model-arg';
const KNOWN = new Set(KNOWN_VLLM_MODEL_ARGS);
const SERVE_KNOWN = [...SERVE_FLAG_KEYS];
const SERVE_KNOWN_SET = SERVE_FLAG_KEYS;

const flagOf = (key: string) => `--${key.replace(/_/g, '-')}`;

export const unknownModelArg: LaunchRule = {
  code: CODE,
  check(f) {
    if (!f.isVllm || !f.invocation.modelArgs) return [];
    const out: Finding[] = [];
    for (const arg of f.args.values()) {
      const key = arg.key.trim();
      if (!key || arg.keyUnresolved) continue;
      if (f.isServe) {
        if (SERVE_KNOWN_SET.has(key)) continue;
        const suggestion = nearest(key, SERVE_KNOWN);
        if (!suggestion) continue;
        out.push({
          code: CODE,
          severity: 'warning',
          message: `"${flagOf(key)}" is not a flag of vllm serve that lm-eval-lens knows: argparse stops the server with "unrecognized arguments". Did you mean "${flagOf(suggestion)}"?`,
          range: arg.keyRange,
          fixes: [
            {
              title: `Rename to ${flagOf(suggestion)}`,
              edits: [{ range: arg.keyRange, newText: flagOf(suggestion) }],
              isPreferred: true,
            },
          ],
        });
        continue;
      }
      if (KNOWN.has(key)) continue;
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
