// dtype=float / float32 doubles the weights (and activations and KV cache under kv_cache_dtype=auto)
// for no accuracy an lm-eval benchmark can see: vLLM then loads 4 bytes per parameter. The memory
// model judges it (float32WeightsReason), with or without a known model.
import { float32WeightsReason } from '../memory/startup';
import type { Finding, Fix } from '../shared/findings';
import { anchor, setArgFix } from './fixes';
import { memoryRuleWithoutEstimate } from './memory-rule';

const CODE = 'float32-weights';

export const float32Weights = memoryRuleWithoutEstimate(
  CODE,
  (f) => float32WeightsReason(f.settings.dtype),
  (f, _e, reason) => {
    const bf16 = f.gpu.spec.supportsBf16;
    const configDtype = f.architecture?.architecture.torchDtype;
    // `auto` follows the checkpoint's torch_dtype; a bf16 checkpoint on a GPU without bf16 (T4, V100)
    // makes vLLM refuse to start, so there the fix is float16.
    const autoWorks = bf16 || configDtype === 'float16';
    const gpuNote = bf16 ? '' : ` ${f.gpu.spec.name} has no bfloat16 support, so use float16.`;
    const fixes: Fix[] = [];
    const preferred = autoWorks ? 'auto' : 'float16';
    const main = setArgFix(f, 'dtype', preferred, `Set dtype=${preferred}`, true);
    if (main) fixes.push(main);
    const alt = bf16 ? setArgFix(f, 'dtype', 'bfloat16', 'Set dtype=bfloat16') : undefined;
    if (alt) fixes.push(alt);
    const finding: Finding = {
      code: CODE,
      severity: 'warning',
      message: `dtype=${f.settings.dtype} loads the weights in float32, doubling their memory; use dtype=${preferred}.${gpuNote}`,
      details: [reason.message],
      range: anchor(f, 'dtype'),
      fixes,
    };
    return [finding];
  },
);
