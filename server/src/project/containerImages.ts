// vLLM container images named in a script or beside it: `docker run … vllm/vllm-openai:v0.6.3`,
// `srun --container-image=vllm/vllm-openai:v0.6.3`, `apptainer exec docker://vllm/vllm-openai:v0.6.3`,
// compose files (`image: vllm/vllm-openai:v0.6.3`) and Dockerfiles (`FROM vllm/vllm-openai:v0.6.3`).
// The tag is the vLLM release the image ships; `latest` and `nightly` are the newest.
import { lineAt, type PackagePin } from './types';

// Docker Hub's official images (vllm/vllm-openai, its -rocm and -cpu variants and vllm/vllm-tpu),
// with or without a registry host or `docker://`; and images of other publishers whose repository
// is named after vLLM itself (`vastai/vllm:v0.7.0-cuda-12.1`, `<registry>/…/vllm-openai:v0.8.5`,
// QA D5), whose tags lead with the release the same way. AMD's rocm/vllm tags carry it inside
// (`rocm6.3.1_vllm_0.8.5_20250521`).
const IMAGE_RE =
  /(?:docker:\/\/)?(?:(?:docker\.io|registry-1\.docker\.io|index\.docker\.io)[/#])?vllm[/#](vllm-openai(?:-rocm|-cpu)?|vllm-tpu):([A-Za-z0-9][\w.-]{0,127})/g;
const OTHER_IMAGE_RE =
  /(?<![\w./-])((?:[\w.-]+(?::\d+)?\/)*(?!vllm\/)[\w.-]+\/(?:vllm|vllm-openai)):([A-Za-z0-9][\w.-]{0,127})/g;

export interface ImagePin extends PackagePin {
  /** Offset of the image reference in the text. */
  offset: number;
}

export function vllmImagePins(text: string): ImagePin[] {
  const out: ImagePin[] = [];
  if (text.length > 16 * 1024 * 1024) return out;
  for (const [re, repository] of [
    [IMAGE_RE, (m: RegExpExecArray) => `vllm/${m[1]}`],
    [OTHER_IMAGE_RE, (m: RegExpExecArray) => m[1]],
  ] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const tag = m[2];
      const version =
        /^v?(\d+\.\d+(?:\.\d+)*(?:\.?(?:post|rc|dev)\d*)?)(?:$|[-_+])/i.exec(tag) ??
        /(?:^|_)vllm[_-]v?(\d+\.\d+(?:\.\d+)*(?:\.?(?:post|rc|dev)\d*)?)(?:$|[-_+])/i.exec(tag);
      const written = `${repository(m)}:${tag}`;
      const line = lineAt(text, m.index);
      if (version) out.push({ package: 'vllm', spec: version[1], dialect: 'exact', line, written, offset: m.index });
      else if (/^(latest|nightly|main)$/i.test(tag))
        out.push({ package: 'vllm', spec: '', dialect: 'pep440', line, written, offset: m.index });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}
