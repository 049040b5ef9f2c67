// GPU catalog: total memory as PyTorch / vLLM report it (`torch.cuda.mem_get_info()[1]`, logged by
// vLLM as `total_gpu_memory`), which is less than nvidia-smi's total (the driver keeps a reserve).
import { GiB, MiB } from '../shared/units';
import type { GpuSpec } from './types';

interface CatalogEntry extends GpuSpec {
  /** Words that identify it in nvidia-smi names, SLURM gres types and user text (normalized). */
  aliases: string[];
  /** Where the total comes from. */
  source: string;
}

function gpu(name: string, totalGiB: number, cc: number, aliases: string[], source: string): CatalogEntry {
  return {
    name,
    totalBytes: Math.round(totalGiB * GiB),
    supportsBf16: cc >= 8,
    computeCapability: cc,
    aliases,
    source,
  };
}

const ENTRIES: CatalogEntry[] = [
  // Measured on the device machine (torch 2.11, driver 580): mem_get_info total 85,017,493,504 B.
  gpu(
    'H100-80GB',
    79.18,
    9.0,
    ['h100', 'h10080gb', 'h10080g', 'h100sxm', 'h100sxm580gb', 'h10080gbhbm3', 'h100pcie', 'h100pcie80gb'],
    'measured (torch.cuda.mem_get_info), = llm-d log 79.18 GiB',
  ),
  // Measured on the device machine: 150,109,880,320 B (nvidia-smi 143771 MiB).
  gpu(
    'H200',
    139.8,
    9.0,
    ['h200', 'h200141gb', 'h200sxm', 'h200sxm141gb', 'h200nvl'],
    'measured (torch.cuda.mem_get_info)',
  ),
  gpu(
    'A100-80GB',
    79.15,
    8.0,
    ['a100', 'a10080gb', 'a100sxm480gb', 'a100sxm80gb', 'a100pcie80gb', 'a10080g'],
    'PyTorch OOM reports "79.15 GiB total capacity" (A100-SXM4-80GB)',
  ),
  gpu(
    'A100-40GB',
    39.38,
    8.0,
    ['a10040gb', 'a100sxm440gb', 'a100pcie40gb', 'a10040g'],
    'vLLM log total_gpu_memory 39.38 GiB (vllm#16570)',
  ),
  gpu(
    'L4',
    22.03,
    8.9,
    ['l4', 'l424gb', 'nvidial4'],
    'estimate: nvidia-smi 23034 MiB less the ~480 MiB driver reserve seen on H100 (unverified)',
  ),
  gpu('A10G', 22.19, 8.6, ['a10g', 'a10g24gb'], 'PyTorch OOM reports for A10/A10G 22.18–22.19 GiB'),
  gpu('A10', 22.18, 8.6, ['a10', 'a1024gb'], 'PyTorch OOM report "total capacity of 22.18 GiB" (A10, MiniCPM-V#640)'),
  gpu('L40S', 44.42, 8.9, ['l40s', 'l40s48gb'], 'PyTorch OOM report "total capacity of 44.42 GiB" (8×L40S)'),
  gpu('L40', 44.4, 8.9, ['l40', 'l4048gb'], 'PyTorch OOM report "total capacity of 44.40 GiB" (L40)'),
  gpu(
    'RTX4090',
    23.64,
    8.9,
    ['rtx4090', '4090', 'geforcertx4090', 'rtx409024gb'],
    'PyTorch OOM reports 23.64 GiB (RTX 4090)',
  ),
  gpu(
    'RTX3090',
    23.58,
    8.6,
    ['rtx3090', '3090', 'geforcertx3090', 'rtx3090ti', '3090ti'],
    'vLLM log total 23.58 GiB (vllm#10517)',
  ),
  gpu(
    'RTX5090',
    31.37,
    12.0,
    ['rtx5090', '5090', 'geforcertx5090'],
    'vLLM log total_gpu_memory (31.37GiB) (vllm#14452)',
  ),
  gpu('A6000', 47.54, 8.6, ['a6000', 'rtxa6000', 'a600048gb'], 'PyTorch OOM reports 47.54 GiB (RTX A6000; unverified)'),
  gpu('T4', 14.75, 7.5, ['t4', 'teslat4', 't416gb'], 'PyTorch OOM reports "14.75 GiB total capacity" (Colab T4)'),
  gpu(
    'V100-32GB',
    31.74,
    7.0,
    ['v10032gb', 'v100sxm232gb', 'v100pcie32gb', 'teslav100sxm232gb', 'v100s', 'v100s32gb', 'v10032g'],
    'PyTorch OOM reports 31.74 GiB (V100 32GB)',
  ),
  gpu(
    'V100-16GB',
    15.77,
    7.0,
    ['v100', 'v10016gb', 'v100sxm216gb', 'v100pcie16gb', 'teslav100sxm216gb', 'v10016g'],
    'vLLM log total_gpu_memory 15.77 GiB (vllm#11251); PyTorch reports 15.75–15.77',
  ),
];

/** The catalog, in the order the GPU picker lists it. */
export const GPU_CATALOG: readonly GpuSpec[] = ENTRIES.map(({ aliases: _a, source: _s, ...spec }) => spec);

/** Where a catalog total comes from (shown in hovers and the docs). */
export function gpuTotalSource(name: string): string | undefined {
  return ENTRIES.find((e) => e.name === name)?.source;
}

function normalize(s: string): string {
  return s
    .toLowerCase()
    .replace(/^nvidia\s+|^tesla\s+/g, '')
    .replace(/[^a-z0-9]/g, '');
}

const BY_ALIAS = new Map<string, CatalogEntry>();
for (const e of ENTRIES) {
  BY_ALIAS.set(normalize(e.name), e);
  for (const a of e.aliases) if (!BY_ALIAS.has(a)) BY_ALIAS.set(a, e);
}

// `79.15GiB`, `80GB`, `81920MiB`, `80 G`, `24576 M`: a bare memory figure. GB as users write it
// means the marketing size, which we read as GiB of device memory (`80GB` → 80 GiB).
const MEMORY_RE = /^\s*(\d{1,7}(?:\.\d{1,4})?)\s*(gib|gb|g|mib|mb|m|tib|tb)?\s*$/i;

function fromMemoryFigure(spec: string): GpuSpec | undefined {
  const m = MEMORY_RE.exec(spec);
  if (!m?.[2]) return undefined;
  const value = Number(m[1]);
  const unit = m[2].toLowerCase();
  const bytes = unit.startsWith('t') ? value * 1024 * GiB : unit.startsWith('m') ? value * MiB : value * GiB;
  if (!(bytes >= 256 * MiB) || bytes > 4096 * GiB) return undefined;
  return { name: 'custom', totalBytes: Math.round(bytes), supportsBf16: true };
}

/**
 * A catalog GPU from a name as people write it (`A100-80GB`, `a100_80gb`, `A100`,
 * `NVIDIA A100-SXM4-80GB`, `NVIDIA H100 80GB HBM3`, SLURM `a100`), or a memory figure
 * (`79.15GiB`, `80GB`, `81920MiB`). Undefined when it names nothing we know.
 */
export function resolveGpu(spec: string): GpuSpec | undefined {
  if (typeof spec !== 'string' || spec.length === 0 || spec.length > 200) return undefined;
  const figure = fromMemoryFigure(spec);
  if (figure) return figure;
  const key = normalize(spec);
  if (!key) return undefined;
  const exact = BY_ALIAS.get(key);
  if (exact) return toSpec(exact);
  // nvidia-smi names carry form factors (SXM4, PCIe, HBM3): strip them. The H100 NVL (94 GB) is
  // not in the catalog, so it must not fall back to the 80 GB part.
  if (/nvl/.test(key) && !/h200/.test(key)) return undefined;
  const stripped = key.replace(/(sxm\d?|pcie|hbm\d?e?|geforce|quadro)/g, '');
  const e = BY_ALIAS.get(stripped);
  if (e) return toSpec(e);
  return undefined;
}

function toSpec(e: CatalogEntry): GpuSpec {
  const { aliases: _a, source: _s, ...spec } = e;
  return { ...spec };
}
