// GPU detection on the machine running the server, through nvidia-smi. It runs only when the
// (machine-scoped) path setting names it and the workspace is trusted; results are cached.
import { execFileSync } from 'node:child_process';
import type { DetectedGpu } from '../facts/providers';
import { MiB } from '../shared/units';

/** Parse `nvidia-smi --query-gpu=index,name,memory.total,memory.free --format=csv,noheader,nounits`. */
export function parseNvidiaSmiCsv(output: string): DetectedGpu[] {
  const gpus: DetectedGpu[] = [];
  for (const line of output.split(/\r?\n/)) {
    const parts = line.split(',').map((s) => s.trim());
    if (parts.length < 4) continue;
    const [index, name, total, free] = [Number(parts[0]), parts[1], Number(parts[2]), Number(parts[3])];
    if (!Number.isFinite(index) || !name || !Number.isFinite(total) || !Number.isFinite(free)) continue;
    gpus.push({ index, name, totalBytes: total * MiB, freeBytes: free * MiB });
  }
  return gpus;
}

export function nvidiaSmiDetector(path: string, cacheMs = 30_000): () => DetectedGpu[] | undefined {
  let cached: { at: number; gpus: DetectedGpu[] | undefined } | undefined;
  return () => {
    if (!path) return undefined;
    if (cached && Date.now() - cached.at < cacheMs) return cached.gpus;
    let gpus: DetectedGpu[] | undefined;
    try {
      const out = execFileSync(
        path,
        ['--query-gpu=index,name,memory.total,memory.free', '--format=csv,noheader,nounits'],
        {
          encoding: 'utf8',
          timeout: 3000,
          maxBuffer: 1 << 20,
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      gpus = parseNvidiaSmiCsv(out);
      if (gpus.length === 0) gpus = undefined;
    } catch {
      gpus = undefined; // not installed, no driver, or timed out: fall back to settings
    }
    cached = { at: Date.now(), gpus };
    return gpus;
  };
}
