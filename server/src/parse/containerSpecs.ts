// Containers declared in YAML (QA D6): Kubernetes manifests (a Pod, or the pod template of a
// Deployment, Job, StatefulSet, … — any `containers:` / `initContainers:` list) and compose files
// (`services:`). A container is a launch when its command runs lm-eval or a vLLM server
// (`command: ["vllm", "serve", …]`, `["/bin/sh", "-c", "vllm serve …"]`, compose's
// `command: vllm serve …` string), or when it runs a vLLM image without a command of its own: the
// image's entrypoint serves, and `args:` (compose: `command:`) are the server's flags.
// Kubernetes runs `command` + `args` as an argv with no shell; compose splits a string command into
// words as a shell would (without expanding anything), and the words after the image are read the same way.
import { isMap, isScalar, isSeq, parseAllDocuments, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { OffsetRange } from '../shared/findings';
import { isVllmServerImage } from './containerRun';
import { dstackGpuFromMapping, type DstackGpuRequest, exactCount, parseDstackGpuString } from './dstackGpu';
import { asSourceMapped, identityMapped, mappedRange, type SourceMappedText } from './mappedText';
import { scanShell } from './shell';
import type { ArgWord } from './shellCommand';
import { invocationFromArgv } from './shellLaunch';
import { decodeShellWord } from './shellWord';
import type { Located, LmEvalInvocation, MappedText } from './types';
import { serveInvocation } from './vllmServe';
import { decodeYamlScalar } from './yamlScalar';

const SHELLS = /^(?:ba|z|k|da)?sh$/;
const MAX_DEPTH = 32;

/**
 * Every launch a Kubernetes manifest or compose file declares, or a service spec runs as shell
 * commands (dstack's `commands:` list with `env:`, SkyPilot's `setup:`/`run:` blocks with `envs:`);
 * [] for any other YAML. `base`: where the text sits in a host document (a Markdown fence).
 */
export function findContainerSpecInvocations(text: string, base?: MappedText): LmEvalInvocation[] {
  if (!/\b(?:containers|services|commands|run)\s*:/.test(text) || !/vllm|lm[-_]eval/.test(text)) return [];
  try {
    const src = base && base.text === text ? asSourceMapped(base) : identityMapped(text);
    const out: LmEvalInvocation[] = [];
    // A manifest file often holds several documents (`---`).
    const docs = parseAllDocuments(text);
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      const root = doc.contents as Node | null;
      if (!isMap(root)) continue;
      if (!shellCommands(src, root, out)) walk(src, root, out, 0);
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * dstack (`type: service|task|dev-environment`, `commands:` run one by one in a shell, `env:` as
 * `KEY=value` items or a mapping; dstack.ai/docs/concepts/services) and SkyPilot (`setup:` and
 * `run:` shell scripts, `envs:` mapping; docs.skypilot.co YAML spec): the commands are a shell
 * script. False when the root has none of them.
 */
function shellCommands(src: SourceMappedText, root: YAMLMap, out: LmEvalInvocation[]): boolean {
  const commands = get(root, 'commands');
  const run = get(root, 'run');
  const scripts: Node[] = isSeq(commands)
    ? commands.items.filter((x): x is Scalar => isScalar(x) && typeof x.value === 'string')
    : [];
  for (const key of ['setup', 'run']) {
    const block = key === 'run' ? run : get(root, key);
    if (isScalar(block) && typeof block.value === 'string') scripts.push(block);
  }
  if (!scripts.length) return false;
  const env = environment(src, get(root, 'env') ?? get(root, 'envs'));
  const gpu = commands ? dstackGpu(src, root) : undefined;
  if (gpu) {
    // dstack sets these in the job's environment from `resources.gpu` and `nodes`.
    const perNode = exactCount(gpu.request);
    const nodes = get(root, 'nodes');
    const nodeCount = isScalar(nodes) && Number.isInteger(nodes.value) ? (nodes.value as number) : 1;
    if (perNode !== undefined) {
      env.DSTACK_GPUS_PER_NODE ??= { value: String(perNode), range: gpu.range };
      env.DSTACK_GPUS_NUM ??= { value: String(perNode * nodeCount), range: gpu.range };
    }
  }
  for (const n of scripts)
    for (const inv of scanShell(decodeYamlScalar(src, n as Scalar), { embedding: 'container-spec', env }))
      out.push(gpu ? { ...inv, gpuRequest: gpu } : inv);
  return true;
}

/** dstack's `resources: gpu:` (parse/dstackGpu.ts), as a string, a number or a mapping. */
function dstackGpu(src: SourceMappedText, root: YAMLMap): LmEvalInvocation['gpuRequest'] {
  const resources = get(root, 'resources');
  const gpu = isMap(resources) ? get(resources, 'gpu') : undefined;
  if (!gpu?.range) return undefined;
  const range = mappedRange(src, gpu.range[0], gpu.range[1]);
  const written = src.text.slice(gpu.range[0], gpu.range[1]).trim();
  let request: DstackGpuRequest | undefined;
  if (isScalar(gpu) && (typeof gpu.value === 'string' || typeof gpu.value === 'number'))
    request = parseDstackGpuString(String(gpu.value));
  else if (isMap(gpu)) request = dstackGpuFromMapping(gpu.toJSON() as Record<string, unknown>, written);
  return request ? { request, range } : undefined;
}

function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) && typeof p.key.value === 'string' ? p.key.value : undefined;
}

function get(map: YAMLMap, key: string): Node | undefined {
  const p = map.items.find((x) => keyOf(x as Pair) === key) as Pair | undefined;
  return (p?.value as Node | null) ?? undefined;
}

/** Containers of a pod spec (`containers:`, `initContainers:`) and services of a compose file. */
function walk(src: SourceMappedText, map: YAMLMap, out: LmEvalInvocation[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const p of map.items as Pair[]) {
    const key = keyOf(p);
    const value = p.value as Node | null;
    if ((key === 'containers' || key === 'initContainers') && isSeq(value)) {
      for (const c of value.items) if (isMap(c)) container(src, c, 'kubernetes', out);
    } else if (key === 'services' && isMap(value) && depth === 0) {
      for (const s of value.items as Pair[]) if (isMap(s.value)) container(src, s.value, 'compose', out);
    } else if (isMap(value)) walk(src, value, out, depth + 1);
    else if (isSeq(value)) for (const x of value.items) if (isMap(x)) walk(src, x, out, depth + 1);
  }
}

function container(src: SourceMappedText, c: YAMLMap, kind: 'kubernetes' | 'compose', sink: LmEvalInvocation[]): void {
  const out: LmEvalInvocation[] = [];
  readContainer(src, c, kind, out);
  // Version facts read the container's own lines only: its image, not a neighbour's.
  const range = c.range ? mappedRange(src, c.range[0], c.range[1]) : undefined;
  for (const inv of out) sink.push(range ? { ...inv, container: range } : inv);
}

function readContainer(
  src: SourceMappedText,
  c: YAMLMap,
  kind: 'kubernetes' | 'compose',
  out: LmEvalInvocation[],
): void {
  const image = get(c, 'image');
  const command = kind === 'kubernetes' ? get(c, 'command') : (get(c, 'entrypoint') ?? undefined);
  const args = kind === 'kubernetes' ? get(c, 'args') : get(c, 'command');
  const commandWords = command ? words(src, command, kind) : [];
  const argWords = args ? words(src, args, kind) : [];
  const imageWord = isScalar(image) && typeof image.value === 'string' ? scalarWord(src, image) : undefined;
  const env = environment(src, get(c, kind === 'kubernetes' ? 'env' : 'environment'));
  const argv = [...commandWords, ...argWords];
  const spanOf = (ws: ArgWord[]): OffsetRange => ({
    start: Math.min(...ws.map((w) => w.range.start)),
    end: Math.max(...ws.map((w) => w.range.end)),
  });
  // Kubernetes `args:` alone, or compose `command:` (no entrypoint): the image's own entrypoint runs.
  const entrypointRuns = commandWords.length === 0;
  if (entrypointRuns && imageWord && isVllmServerImage(imageWord.value.text)) {
    const first = argWords[0]?.value.text;
    if (first === undefined || first.startsWith('-')) {
      const ws = [imageWord, ...argWords];
      const inv = serveInvocation(ws, 1, 'docker', 'container-spec', env, spanOf(ws));
      if (isSeq(args) && inv.modelArgs) inv.modelArgs.style = { kind: 'cli-flags', appendable: false };
      out.push(inv);
      return;
    }
  }
  if (!argv.length) return;
  // `["/bin/sh", "-c", "vllm serve …"]`: the script in the string.
  const program = argv[0].value.text.replace(/^.*\//, '');
  if (SHELLS.test(program) && argv[1]?.value.text === '-c' && argv[2]) {
    out.push(...scanShell(argv[2].value, { embedding: 'container-spec', env }));
    return;
  }
  const ws = imageWord ? [imageWord, ...argv] : argv;
  const inv = invocationFromArgv(argv, { embedding: 'container-spec', env });
  if (!inv) return;
  inv.range = spanOf(ws);
  if ((isSeq(command) || isSeq(args)) && inv.modelArgs?.style.kind === 'cli-flags')
    inv.modelArgs.style = { kind: 'cli-flags', appendable: false };
  out.push(inv);
}

/**
 * A scalar as one word. Its range is the text inside the quotes: an edit of a value rewrites the
 * characters and keeps the YAML string a string (Kubernetes `args:` items must be strings).
 */
function scalarWord(src: SourceMappedText, s: Scalar): ArgWord | undefined {
  if (!s.range) return undefined;
  const value = decodeYamlScalar(src, s);
  const range = value.text ? mappedRange(value, 0, value.text.length) : mappedRange(src, s.range[0], s.range[1]);
  return { value, range };
}

/** A sequence of scalars is an argv; a string is split into words as a shell (and compose) would. */
function words(src: SourceMappedText, n: Node, kind: 'kubernetes' | 'compose'): ArgWord[] {
  if (isSeq(n)) {
    const out: ArgWord[] = [];
    for (const x of n.items) {
      if (!isScalar(x) || x.value === null) continue;
      const w = scalarWord(src, x);
      if (w) out.push(w);
    }
    return out;
  }
  if (!isScalar(n) || typeof n.value !== 'string') return [];
  const whole = scalarWord(src, n);
  if (!whole) return [];
  // Kubernetes takes a string `command:` as one argv element; compose splits it.
  if (kind === 'kubernetes') return [whole];
  return splitWords(whole.value);
}

function splitWords(m: SourceMappedText): ArgWord[] {
  const out: ArgWord[] = [];
  const t = m.text;
  let i = 0;
  while (i < t.length && out.length < 4096) {
    if (/\s/.test(t[i])) {
      i++;
      continue;
    }
    const w = decodeShellWord(m, i);
    const end = Math.max(w.end, i + 1);
    out.push({ value: w.value, range: mappedRange(m, i, Math.min(end, t.length)) });
    i = end;
  }
  return out;
}

/** Kubernetes `env: [{name, value}]`; compose `environment:` as a mapping or `KEY=value` items. */
function environment(src: SourceMappedText, n: Node | undefined): Record<string, Located<string>> {
  const env: Record<string, Located<string>> = {};
  const set = (name: string, s: Scalar) => {
    if (typeof s.value !== 'string' && typeof s.value !== 'number') return;
    const m = decodeYamlScalar(src, s);
    env[name] = { value: m.text, range: mappedRange(m, 0, m.text.length) };
  };
  if (isSeq(n)) {
    for (const x of n.items) {
      if (isMap(x)) {
        const name = get(x, 'name');
        const value = get(x, 'value');
        if (isScalar(name) && typeof name.value === 'string' && isScalar(value)) set(name.value, value);
      } else if (isScalar(x) && typeof x.value === 'string') {
        const eq = x.value.indexOf('=');
        if (eq > 0) {
          const m = decodeYamlScalar(src, x);
          env[x.value.slice(0, eq)] = { value: m.text.slice(eq + 1), range: mappedRange(m, eq + 1, m.text.length) };
        }
      }
    }
  } else if (isMap(n)) {
    for (const p of n.items as Pair[]) {
      const k = keyOf(p);
      if (k && isScalar(p.value)) set(k, p.value);
    }
  }
  return env;
}
