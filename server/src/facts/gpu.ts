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

export type GpuSource = 'directive' | 'sbatch' | 'settings' | 'config-file' | 'nvidia-smi' | 'default';

export interface GpuFacts {
  spec: GpuSpec;
  source: GpuSource;
  /** GPUs available to the job, when something says; undefined = as many as the config asks for. */
  count?: number;
  countSource?: 'directive' | 'sbatch' | 'CUDA_VISIBLE_DEVICES' | 'settings' | 'config-file' | 'nvidia-smi';
  /** A name that was given but is not in the catalog (reported once, then the fallback is used). */
  unknownName?: string;
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
  const named: [GpuSource, string | undefined][] = [
    ['directive', directives.gpu?.value],
    ['sbatch', sbatchGpuType(sbatch)],
    ['settings', settings.gpu],
    ['config-file', config?.gpu],
  ];
  for (const [from, name] of named) {
    spec = pick(name);
    if (spec) {
      source = from;
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
  const cvd = visibleDeviceCount(invocation?.env.CUDA_VISIBLE_DEVICES?.value);
  if (directives.gpuCount) [facts.count, facts.countSource] = [directives.gpuCount, 'directive'];
  else if (sbatch.count) [facts.count, facts.countSource] = [sbatch.count, 'sbatch'];
  else if (cvd !== undefined && cvd > 0) [facts.count, facts.countSource] = [cvd, 'CUDA_VISIBLE_DEVICES'];
  else if (settings.gpuCount > 0) [facts.count, facts.countSource] = [settings.gpuCount, 'settings'];
  else if (config?.gpuCount) [facts.count, facts.countSource] = [config.gpuCount, 'config-file'];
  else if (source === 'nvidia-smi' && detected) [facts.count, facts.countSource] = [detected.length, 'nvidia-smi'];
  return facts;
}
