// A model that resolves to an architecture the memory model does not cover yet (DeepSeek Sparse
// Attention, Gemma 3n/4 KV layouts, lightning attention, ...): say so instead of estimating wrongly.
import type { LaunchRule } from './rule';

export const architectureNotModelled: LaunchRule = {
  code: 'architecture-not-modelled',
  check(f) {
    const p = f.pretrained;
    const arch = f.architecture?.architecture;
    if (!f.isVllm || !p || !arch?.notModelled) return [];
    const name = typeof p.value === 'string' ? p.value.trim() : arch.id;
    const matched = arch.catalogId && arch.catalogId !== name ? ` (${arch.catalogId})` : '';
    return [
      {
        code: 'architecture-not-modelled',
        severity: 'info',
        message: `No memory estimate: "${name}"${matched} is a ${arch.modelType} model, an architecture the memory model does not cover yet.`,
        details: [`${arch.notModelled}.`],
        range: p.valueRange,
      },
    ];
  },
};
