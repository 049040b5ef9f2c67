// `accelerate launch -m lm_eval --model vllm` starts one vLLM engine per process, which hangs at
// "Worker ready" or runs out of memory (lm-eval #3093). vLLM does its own parallelism.
import type { LaunchRule } from './rule';

export const accelerateLaunchVllm: LaunchRule = {
  code: 'accelerate-launch-vllm',
  check(f) {
    const launcher = f.invocation.launcher;
    if (!f.isVllm || f.isServe || !launcher || !/accelerate/.test(launcher.value)) return [];
    return [
      {
        code: 'accelerate-launch-vllm',
        severity: 'warning',
        message:
          'accelerate launch around --model vllm starts one vLLM engine per process (lm-eval #3093: hangs or OOM). Run plain lm_eval and use tensor_parallel_size / data_parallel_size for several GPUs.',
        range: launcher.range,
      },
    ];
  },
};
