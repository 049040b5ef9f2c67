// Which GPU a launch runs on, and how many, with the source named (the hover shows it).
// Precedence (issue "OOM diagnostics ..."): directive comment → #SBATCH in the script →
// CUDA_VISIBLE_DEVICES (count only) → settings (or CLI flag) → the project's config file →
// nvidia-smi → the fallback A100-80GB.
import { GPU_CATALOG, resolveGpu } from '../memory/gpus';
import { type DstackGpuRequest, exactCount } from '../parse/dstackGpu';
import { GiB } from '../shared/units';
import type { GpuSpec } from '../memory/types';
import { parseSbatchGpu, type SbatchGpu } from '../parse/sbatch';
import type { LmEvalInvocation } from '../parse/types';
import { FALLBACK_GPU, type LmEvalLensSettings } from '../shared/settings';
import type { Directives } from '../parse/directives';
import type { DetectedGpu } from './providers';

/** Why the fallback GPU is uncertain, in words that say how to name the real one. */
export const DEFAULT_GPU_UNCERTAIN =
  'no GPU is named here, so the default stands in; name the GPU with the `lmEvalLens.gpu` setting, `gpu` in .lm-eval-lens.json, `--gpu` or a `# lm-eval-lens: gpu=…` directive';

export type GpuSource = 'directive' | 'sbatch' | 'service-spec' | 'settings' | 'config-file' | 'nvidia-smi' | 'default';

export interface GpuFacts {
  spec: GpuSpec;
  source: GpuSource;
  /** GPUs available to the job, when something says; undefined = as many as the config asks for. */
  count?: number;
  countSource?:
    | 'directive'
    | 'sbatch'
    | 'service-spec'
    | 'CUDA_VISIBLE_DEVICES'
    | 'settings'
    | 'config-file'
    | 'nvidia-smi';
  /** A name that was given but is not in the catalog (reported once, then the fallback is used). */
  unknownName?: string;
  /** What else to know about the GPU, in words: a name with two memory sizes, a ROCm launch. */
  notes?: string[];
  /**
   * Why the GPU may have more memory than `spec` (`v100`: maybe the 32 GB one; a ROCm launch: not
   * known at all): a finding that rests on the estimate is then at most a warning.
   */
  uncertain?: string;
  /** Smaller GPUs the name also stands for (`a100`: the A100-40GB); a failure there is a warning (rules/gpu-variants.ts). */
  smallerVariants?: GpuSpec[];
}

/**
 * GPU names with more than one memory size (SLURM gres types and users write `a100`, `v100`), by
 * the name with punctuation and form factor removed; the catalog assumes one of them.
 */
const SIZES: Record<string, readonly string[]> = {
  a100: ['A100-40GB', 'A100-80GB'],
  v100: ['V100-16GB', 'V100-32GB'],
};

const SOURCE_WORDS: Record<GpuSource, string> = {
  directive: 'in the directive',
  sbatch: 'in #SBATCH',
  'service-spec': 'in the dstack spec',
  settings: 'in the settings',
  'config-file': 'in the config file',
  'nvidia-smi': 'from nvidia-smi',
  default: 'the default',
};

/** The note and the other sizes when `name` stands for more than one memory size. */
function sizeAmbiguity(name: string, spec: GpuSpec, source: GpuSource): Partial<GpuFacts> | undefined {
  const key = name
    .toLowerCase()
    .replace(/^nvidia\s+|^tesla\s+/, '')
    .replace(/[^a-z0-9]/g, '')
    .replace(/sxm\d?|pcie/g, '');
  const sizes = (SIZES[key] ?? []).map((n) => resolveGpu(n)).filter((g): g is GpuSpec => !!g);
  const others = sizes.filter((g) => g.name !== spec.name);
  if (!others.length || others.length === sizes.length) return undefined;
  const out: Partial<GpuFacts> = {
    notes: [
      `\`${name}\` ${SOURCE_WORDS[source]} may be ${sizes.map((g) => `the ${g.name}`).join(' or ')}: the ${spec.name} is assumed. Name the size to be sure (\`# lm-eval-lens: gpu=${others[0].name}\`).`,
    ],
  };
  const smaller = others.filter((g) => g.totalBytes < spec.totalBytes);
  const larger = others.filter((g) => g.totalBytes > spec.totalBytes);
  if (smaller.length) out.smallerVariants = smaller;
  if (larger.length) out.uncertain = `\`${name}\` may be the ${larger[0].name}`;
  return out;
}

/** The GPU type a SLURM script asks for: `--gres`/`--gpus` name it, else the first `--constraint` feature
 * that is a catalog GPU. */
function sbatchGpuType(sbatch: SbatchGpu): string | undefined {
  return sbatch.type ?? sbatch.constraints.find((c) => resolveGpu(c));
}

function visibleDeviceCount(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const ids = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== '-1');
  return ids.length;
}

/** Catalog GPUs by memory, smallest first. */
const BY_SIZE = [...GPU_CATALOG].sort((a, b) => a.totalBytes - b.totalBytes);

/**
 * The GPU a dstack `resources: gpu:` asks for (QA3 F3): a catalog name (with its memory when
 * written: `A100:80GB`), else for a memory-only spec (`24GB`, `24GB..80GB`) the smallest catalog
 * GPU of about the smallest size allowed (a 24 GB card has 22–23.6 GiB to PyTorch), said as
 * assumed. Undefined when it names nothing the catalog has.
 */
function serviceSpecGpu(req: DstackGpuRequest): (Partial<GpuFacts> & { spec: GpuSpec; name: string }) | undefined {
  const exactMemory =
    req.memoryGB?.min !== undefined && req.memoryGB.min === req.memoryGB.max ? req.memoryGB.min : undefined;
  if (req.names?.length) {
    const resolved = req.names
      .map((n) => {
        const sized = exactMemory !== undefined ? `${n}-${exactMemory}GB` : undefined;
        const spec = (sized && resolveGpu(sized)) || resolveGpu(n);
        return spec ? { name: sized && resolveGpu(sized) ? sized : n, spec } : undefined;
      })
      .filter((x): x is { name: string; spec: GpuSpec } => !!x)
      .sort((a, b) => a.spec.totalBytes - b.spec.totalBytes);
    if (!resolved.length) return undefined;
    const [smallest] = resolved;
    const larger = resolved.find((r) => r.spec.totalBytes > smallest.spec.totalBytes);
    return {
      spec: smallest.spec,
      name: smallest.name,
      ...(larger
        ? {
            uncertain: `\`${req.written}\` in the dstack spec may also get the ${larger.spec.name}`,
            notes: [
              `\`${req.written}\` in the dstack spec allows several GPUs: the smallest, the ${smallest.spec.name}, is assumed.`,
            ],
          }
        : {}),
    };
  }
  const min = req.memoryGB?.min;
  if (min === undefined || req.vendor === 'amd' || req.vendor === 'tpu' || req.vendor === 'google') return undefined;
  const spec =
    BY_SIZE.find((g) => g.totalBytes >= 0.9 * min * GiB && g.totalBytes <= min * GiB) ??
    BY_SIZE.find((g) => g.totalBytes >= min * GiB) ??
    resolveGpu(`${min}GB`);
  if (!spec) return undefined;
  return {
    spec,
    name: spec.name,
    uncertain: `\`${req.written}\` in the dstack spec asks for any GPU of that memory`,
    notes: [
      `\`${req.written}\` in the dstack spec names a memory size, not a GPU: the ${spec.name} (${(spec.totalBytes / GiB).toFixed(1)} GiB), the smallest such in the catalog, is assumed. Name the GPU to be sure (\`gpu: L4\`, or \`# lm-eval-lens: gpu=…\`).`,
    ],
  };
}

export function resolveGpuFacts(
  /** The script's text, or its #SBATCH lines read once for every launch in it. */
  textOrSbatch: string | SbatchGpu,
  invocation: LmEvalInvocation | undefined,
  directives: Directives,
  settings: LmEvalLensSettings,
  detected: DetectedGpu[] | undefined,
  config?: { gpu?: string; gpuCount?: number },
  /** What says the launch runs on AMD GPUs through ROCm (facts/platform.ts), when something does. */
  rocm?: string,
): GpuFacts {
  const sbatch = typeof textOrSbatch === 'string' ? parseSbatchGpu(textOrSbatch) : textOrSbatch;
  let unknownName: string | undefined;
  const pick = (name: string | undefined): GpuSpec | undefined => {
    if (!name) return undefined;
    const spec = resolveGpu(name);
    if (!spec) unknownName ??= name;
    return spec;
  };

  let spec: GpuSpec | undefined;
  let source: GpuSource = 'default';
  let name: string | undefined;
  const request = invocation?.gpuRequest?.request;
  const fromSpec = request ? serviceSpecGpu(request) : undefined;
  const named: [GpuSource, string | undefined][] = [
    ['directive', directives.gpu?.value],
    ['sbatch', sbatchGpuType(sbatch)],
    ['service-spec', fromSpec?.name],
    ['settings', settings.gpu],
    ['config-file', config?.gpu],
  ];
  for (const [from, written] of named) {
    spec = from === 'service-spec' ? fromSpec?.spec : pick(written);
    if (spec) {
      [source, name] = [from, written];
      break;
    }
  }
  if (!spec && detected && detected.length > 0) {
    // nvidia-smi's total includes memory the driver reserves, PyTorch's does not: keep the catalog
    // total when the name is known and charge what other processes use against it.
    const d = detected[0];
    const known = resolveGpu(d.name);
    const usedBytes = Math.max(0, d.totalBytes - d.freeBytes);
    spec = known
      ? { ...known, freeBytes: Math.max(0, known.totalBytes - usedBytes) }
      : { name: d.name, totalBytes: d.totalBytes, freeBytes: d.freeBytes, supportsBf16: true };
    source = 'nvidia-smi';
  }
  const facts: GpuFacts = { spec: spec ?? (resolveGpu(FALLBACK_GPU) as GpuSpec), source };
  if (unknownName) facts.unknownName = unknownName;
  if (source === 'service-spec' && fromSpec) {
    if (fromSpec.uncertain) facts.uncertain = fromSpec.uncertain;
    if (fromSpec.notes) facts.notes = fromSpec.notes;
  }
  if (name && !facts.notes) Object.assign(facts, sizeAmbiguity(name, facts.spec, source));
  const unlisted = source === 'default' && request?.names?.length ? request.written : undefined;
  if (unlisted) {
    // dstack names a GPU the catalog does not have (`MI300X:4`): known to the user, not to us.
    facts.notes = [
      `\`${unlisted}\` in the dstack spec names a GPU that is not in the catalog: the ${facts.spec.name} stands in. Give its memory to be sure (\`# lm-eval-lens: gpu=192GB\`, say).`,
    ];
    facts.uncertain = `\`${unlisted}\` in the dstack spec is not in the catalog`;
  } else if (rocm && source === 'default') {
    // No AMD GPU is in the catalog: the fallback only stands in.
    facts.notes = [
      `The launch targets AMD GPUs through ROCm (${rocm}) and names no GPU; no AMD GPU is in the catalog, so the ${facts.spec.name} stands in. Give the GPU's memory to be sure (\`# lm-eval-lens: gpu=192GB\` for an MI300X).`,
    ];
    facts.uncertain = 'the GPU of this ROCm launch is not known';
  } else if (source === 'default') {
    // Nothing names the GPU (QA3 F2): the fallback is a guess, and a failure judged on it is not
    // certain unless the launch fails on every catalog GPU (service/uncertain.ts).
    facts.uncertain = DEFAULT_GPU_UNCERTAIN;
  }
  const cvd = visibleDeviceCount(invocation?.env.CUDA_VISIBLE_DEVICES?.value);
  if (directives.gpuCount) [facts.count, facts.countSource] = [directives.gpuCount, 'directive'];
  else if (sbatch.count) [facts.count, facts.countSource] = [sbatch.count, 'sbatch'];
  else if (request && exactCount(request) !== undefined)
    [facts.count, facts.countSource] = [exactCount(request), 'service-spec'];
  else if (cvd !== undefined && cvd > 0) [facts.count, facts.countSource] = [cvd, 'CUDA_VISIBLE_DEVICES'];
  else if (settings.gpuCount > 0) [facts.count, facts.countSource] = [settings.gpuCount, 'settings'];
  else if (config?.gpuCount) [facts.count, facts.countSource] = [config.gpuCount, 'config-file'];
  else if (source === 'nvidia-smi' && detected) [facts.count, facts.countSource] = [detected.length, 'nvidia-smi'];
  return facts;
}
