// Without an architecture there is no estimate; say so instead of guessing.
import type { LaunchRule } from './rule';

export const unknownModel: LaunchRule = {
  code: 'unknown-model',
  check(f) {
    const p = f.pretrained;
    if (!f.isVllm || !p || p.unresolved || typeof p.value !== 'string' || !p.value.trim() || f.architecture) return [];
    return [
      {
        code: 'unknown-model',
        severity: 'info',
        message: `No memory estimate: "${p.value.trim()}" is in neither the built-in catalog nor the local Hugging Face cache. Download its config.json (huggingface-cli download ${p.value.trim()} config.json) or enable lmEvalLens.allowNetwork.`,
        range: p.valueRange,
      },
    ];
  },
};
