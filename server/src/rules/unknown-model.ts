// Without an architecture there is no estimate; say so instead of guessing. A placeholder
// (`<path>`, `{model_name}`, `$MODEL`, `...`) is not a model: nothing to say about it.
import { resolvablePretrained } from '../facts/modelName';
import { looksLikePath } from '../memory/resolveModel';
import type { LaunchRule } from './rule';

export const unknownModel: LaunchRule = {
  code: 'unknown-model',
  check(f) {
    const p = f.pretrained;
    const name = resolvablePretrained(p);
    if (!f.isVllm || !p || !name || f.architecture) return [];
    const message = looksLikePath(name)
      ? `No memory estimate: "${name}" has no readable config.json (relative paths are looked up from the script's folder and the workspace root) and its last component names no catalog model.`
      : `No memory estimate: "${name}" is in neither the built-in catalog nor the local Hugging Face cache. Download its config.json (huggingface-cli download ${name} config.json), fetch it with the quick fix, or enable lmEvalLens.allowNetwork.`;
    return [{ code: 'unknown-model', severity: 'info', message, range: p.valueRange }];
  },
};
