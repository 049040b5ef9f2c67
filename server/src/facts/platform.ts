// Signs that a launch runs on AMD GPUs through ROCm (QA D10): HIP_VISIBLE_DEVICES,
// ROCR_VISIBLE_DEVICES, VLLM_ROCM_*, HSA_* or ROCM_* in its environment, a `/opt/rocm` path in it,
// or in the command itself `--device=/dev/kfd` (how docker passes AMD GPUs) or a ROCm image
// (rocm/vllm, vllm/vllm-openai-rocm, rocm/pytorch). Only the launch's own environment and words
// count: a README that mentions ROCm elsewhere does not make its NVIDIA launches AMD ones. The image
// the launch's vLLM release was read from (a Dockerfile's `FROM rocm/vllm:…` beside the script, QA
// N7) is part of the launch too.

const ROCM_ENV = /^(?:HIP_VISIBLE_DEVICES|ROCR_VISIBLE_DEVICES|VLLM_ROCM_\w+|HSA_\w+|ROCM_\w+)$/;
const ROCM_COMMAND = /--device[= ]\/dev\/kfd\b|\brocm\/(?:vllm|pytorch)[\w.-]*|\bvllm-openai-rocm\b/;

/** What says the launch targets ROCm (`VLLM_ROCM_USE_AITER`, `--device=/dev/kfd`), or undefined. */
export function rocmSign(env: Record<string, string>, command: string): string | undefined {
  for (const [k, v] of Object.entries(env)) {
    if (ROCM_ENV.test(k)) return k;
    if (/(^|[:=\s])\/opt\/rocm\b/.test(v)) return `${k}=${v.length > 40 ? `${v.slice(0, 39)}…` : v}`;
  }
  return ROCM_COMMAND.exec(command.length > 65536 ? command.slice(0, 65536) : command)?.[0];
}

/** A ROCm image (`rocm/vllm:…`, `vllm/vllm-openai-rocm:…`) named where the launch's vLLM comes from. */
export function rocmImageSign(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const m = ROCM_COMMAND.exec(image.slice(0, 1000));
  return m && !m[0].startsWith('--') ? `the image ${image.length > 60 ? `${image.slice(0, 59)}…` : image}` : undefined;
}
