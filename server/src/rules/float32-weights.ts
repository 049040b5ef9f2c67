// dtype=float / float32 doubles the weights (and activations and KV cache under kv_cache_dtype=auto)
// for no accuracy an lm-eval benchmark can see: vLLM then loads 4 bytes per parameter.
import type { Finding, Fix } from '../shared/findings';
import { gib, setArgFix } from './fixes';
import type { LaunchRule } from './rule';

const FP32 = new Set(['float', 'float32', 'torch.float32', 'fp32']);

export const float32Weights: LaunchRule = {
  code: 'float32-weights',
  check(f) {
    const dtype = f.args.get('dtype');
    if (!f.isVllm || !dtype || dtype.unresolved || typeof dtype.value !== 'string') return [];
    if (!FP32.has(dtype.value.trim().toLowerCase())) return [];
    const e = f.estimate;
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
      code: 'float32-weights',
      severity: 'warning',
      message: `dtype=${dtype.value} loads the weights in float32, doubling their memory; use dtype=${preferred}.${gpuNote}`,
      details: [
        `${e ? `${gib(e.weightsBytes)} of weights per GPU instead of about ${gib(e.weightsBytes / 2)}; a` : 'A'}ctivations and the KV cache (with kv_cache_dtype=auto) double too.`,
      ],
      range: dtype.range,
      fixes,
    };
    return [finding];
  },
};
