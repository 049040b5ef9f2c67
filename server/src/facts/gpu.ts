// Which GPU a launch runs on, and how many, with the source named (the hover shows it).
// Precedence (issue "OOM diagnostics ..."): directive comment → #SBATCH in the script →
// CUDA_VISIBLE_DEVICES (count only) → settings (or CLI flag) → the project's config file →
// nvidia-smi → the fallback A100-80GB.
import { resolveGpu } from '../memory/gpus';
import type { GpuSpec } from '../memory/types';
import { parseSbatchGpu, type SbatchGpu } from '../parse/sbatch';
import type { LmEvalInvocation } from '../parse/types';
import { FALLBACK_GPU, type LmEvalLensSettings } from '../shared/settings';
import type { Directives } from '../parse/directives';
import type { DetectedGpu } from './providers';

/** Why the fallback GPU is uncertain, in words that say how to name the real one. */
export const DEFAULT_GPU_UNCERTAIN =
  'no GPU is named here, so the default stands in; name the GPU with the `lmEvalLens.gpu` setting, `gpu` in .lm-eval-lens.json, `--gpu` or a `# lm-eval-lens: gpu=…` directive';

export type GpuSource = 'directive' | 'sbatch' | 'settings' | 'config-file' | 'nvidia-smi' | 'default';

export interface GpuFacts {
  spec: GpuSpec;
  source: GpuSource;
  /** GPUs available to the job, when something says; undefined = as many as the config asks for. */
  count?: number;
  countSource?: 'directive' | 'sbatch' | 'CUDA_VISIBLE_DEVICES' | 'settings' | 'config-file' | 'nvidia-smi';
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
  const named: [GpuSource, string | undefined][] = [
    ['directive', directives.gpu?.value],
    ['sbatch', sbatchGpuType(sbatch)],
    ['settings', settings.gpu],
    ['config-file', config?.gpu],
  ];
  for (const [from, written] of named) {
    spec = pick(written);
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
  if (name) Object.assign(facts, sizeAmbiguity(name, facts.spec, source));
  if (rocm && source === 'default') {
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
  else if (cvd !== undefined && cvd > 0) [facts.count, facts.countSource] = [cvd, 'CUDA_VISIBLE_DEVICES'];
  else if (settings.gpuCount > 0) [facts.count, facts.countSource] = [settings.gpuCount, 'settings'];
  else if (config?.gpuCount) [facts.count, facts.countSource] = [config.gpuCount, 'config-file'];
  else if (source === 'nvidia-smi' && detected) [facts.count, facts.countSource] = [detected.length, 'nvidia-smi'];
  return facts;
}
