// vLLM container images named in a script or beside it: `docker run … vllm/vllm-openai:v0.6.3`,
// `srun --container-image=vllm/vllm-openai:v0.6.3`, `apptainer exec docker://vllm/vllm-openai:v0.6.3`,
// compose files (`image: vllm/vllm-openai:v0.6.3`) and Dockerfiles (`FROM vllm/vllm-openai:v0.6.3`).
// The tag is the vLLM release the image ships; `latest` and `nightly` are the newest.
import { lineAt, type PackagePin } from './types';

// Docker Hub's official images (vllm/vllm-openai, its -rocm and -cpu variants and vllm/vllm-tpu),
// with or without a registry host or `docker://`.
const IMAGE_RE =
  /(?:docker:\/\/)?(?:(?:docker\.io|registry-1\.docker\.io|index\.docker\.io)[/#])?vllm[/#](vllm-openai(?:-rocm|-cpu)?|vllm-tpu):([A-Za-z0-9][\w.-]{0,127})/g;

export interface ImagePin extends PackagePin {
  /** Offset of the image reference in the text. */
  offset: number;
}

export function vllmImagePins(text: string): ImagePin[] {
  const out: ImagePin[] = [];
  if (text.length > 16 * 1024 * 1024) return out;
  IMAGE_RE.lastIndex = 0;
  for (let m = IMAGE_RE.exec(text); m; m = IMAGE_RE.exec(text)) {
    const tag = m[2];
    const version = /^v?(\d+\.\d+(?:\.\d+)*(?:\.?(?:post|rc|dev)\d*)?)(?:$|[-_+])/i.exec(tag);
    const written = `vllm/${m[1]}:${tag}`;
    const line = lineAt(text, m.index);
    if (version) out.push({ package: 'vllm', spec: version[1], dialect: 'exact', line, written, offset: m.index });
    else if (/^(latest|nightly|main)$/i.test(tag))
      out.push({ package: 'vllm', spec: '', dialect: 'pep440', line, written, offset: m.index });
  }
  return out;
}
