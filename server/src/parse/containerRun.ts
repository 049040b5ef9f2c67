// `docker run [OPTIONS] IMAGE [COMMAND] [ARG...]` (also `podman run`, and `exec CONTAINER COMMAND`):
// which word is the image, read as docker's own flag parser reads them — an option carries its
// value (`--name=x`, `-p8000:8000`), is a flag (`--rm`, `-it`), or takes the next word
// (`--name vllm`, `-v a:b`, `--gpus all`) — and whether the image serves vLLM by itself.
//
// A vLLM server image is the official one (vllm/vllm-openai and its -rocm/-cpu variants, rocm/vllm)
// or any image whose repository path names vLLM (`vastai/vllm`, `org/vllm-server`). Run without a
// command of its own, its entrypoint is the OpenAI server and the words after it are the server's
// flags; run with `vllm serve …` or `python -m vllm.entrypoints…` it runs that command.
import { VLLM_IMAGE } from './vllmServe';

/** Options of `docker run` / `podman run` that take no value (docker run --help, podman-run(1)). */
const FLAG_OPTIONS = new Set([
  '--rm',
  '--detach',
  '--interactive',
  '--tty',
  '--privileged',
  '--init',
  '--publish-all',
  '--read-only',
  '--no-healthcheck',
  '--oom-kill-disable',
  '--disable-content-trust',
  '--quiet',
  '--replace',
  '--rmi',
  '--http-proxy',
  '--no-hosts',
]);
/** Short flags, alone or clustered (`-d`, `-it`, `-dit`): none of them takes a value. */
const SHORT_FLAGS = /^-[dtiPq]+$/;

/**
 * Index of the image (for `run`) or container (for `exec`) among words[from, to), or undefined when
 * the options run to the end. `text(k)` is the decoded k-th word.
 */
export function containerImageIndex(text: (k: number) => string, from: number, to: number): number | undefined {
  for (let j = from; j < to; j++) {
    const w = text(j);
    if (!w.startsWith('-') || w === '-') return j;
    if (w.startsWith('--') ? w.includes('=') || FLAG_OPTIONS.has(w) : SHORT_FLAGS.test(w) || w.length > 2) continue;
    j++; // `--name vllm`, `-v a:b`: the option's value
  }
  return undefined;
}

/** The repository path of an image reference: no `docker://`, registry host, tag or digest. */
function repositoryOf(image: string): string {
  const parts = image
    .replace(/^docker:\/\//, '')
    .replace(/@[\w:]+$/, '')
    .replace(/:[^/:]*$/, '')
    .split('/');
  // A first component with a `.` or `:` (or `localhost`) is a registry host.
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) parts.shift();
  return parts.join('/');
}

/** An image that serves vLLM's OpenAI-compatible API when run without a command of its own. */
export function isVllmServerImage(image: string): boolean {
  if (VLLM_IMAGE.test(image)) return true;
  if (!/^[\w.:/@-]+$/.test(image)) return false;
  return repositoryOf(image)
    .split('/')
    .some((c) => /vllm/i.test(c));
}
