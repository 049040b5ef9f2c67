// dstack's `resources: gpu:` (QA3 F3), read as dstack reads it (dstack
// src/dstack/_internal/core/models/resources.py, `GPUSpec.parse`): a string of `:`-separated
// tokens in any order — a vendor (`nvidia`, `amd`, `tpu`, `intel`, `tenstorrent`), names (a token
// that starts with a letter: `A100`, `A10G,A100` for either), a memory size (a token with a unit:
// `24GB`, `24GB..80GB`, `..80GB`), a count (digits: `4`, `2..8`) — or a number (the count), or a
// mapping with `name`, `memory`, `count`, `vendor`. Without a count dstack asks for one GPU.

/** A `min..max` range; an end that is not written is absent. */
export interface SpecRange {
  min?: number;
  max?: number;
}

export interface DstackGpuRequest {
  /** The spec as written (`H100:4`, `24GB`). */
  written: string;
  vendor?: string;
  /** GPU names, any of which dstack may provision. */
  names?: string[];
  /** Memory per GPU in GB as dstack reads it (`24GB` → 24, `512MB` → 0.5). */
  memoryGB?: SpecRange;
  /** GPUs per node: 1 when the spec gives none. */
  count: SpecRange;
}

const VENDORS = new Set(['nvidia', 'amd', 'tpu', 'google', 'intel', 'tenstorrent']);

/** `24GB` → 24; MB and TB as dstack converts them (1024). Undefined when it is not a size. */
function memoryGB(token: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(tb|gb|mb)?$/i.exec(token.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'gb').toLowerCase();
  return unit === 'tb' ? n * 1024 : unit === 'mb' ? n / 1024 : n;
}

function range(text: string, read: (s: string) => number | undefined): SpecRange | undefined {
  const t = text.replace(/\s+/g, '');
  if (t.includes('..')) {
    const [lo, hi] = t.split('..');
    const out: SpecRange = {};
    if (lo) out.min = read(lo);
    if (hi) out.max = read(hi);
    if ((lo && out.min === undefined) || (hi && out.max === undefined) || (!lo && !hi)) return undefined;
    return out;
  }
  const v = read(t);
  return v === undefined ? undefined : { min: v, max: v };
}

const countOf = (s: string) => (/^\d+$/.test(s) ? Number(s) : undefined);

/** A string spec; undefined when dstack would reject it (an empty token, two names). */
export function parseDstackGpuString(written: string): DstackGpuRequest | undefined {
  const req: DstackGpuRequest = { written, count: { min: 1, max: 1 } };
  let countSeen = false;
  for (const token of written.replace(/\s+/g, '').split(':')) {
    if (!token) return undefined;
    if (VENDORS.has(token.toLowerCase())) {
      if (req.vendor) return undefined;
      req.vendor = token.toLowerCase();
    } else if (/^[A-Za-z]/.test(token)) {
      if (req.names) return undefined;
      req.names = token.split(',');
      if (req.names.some((n) => !n)) return undefined;
    } else if (/[A-Za-z]/.test(token)) {
      if (req.memoryGB) return undefined;
      const m = range(token, memoryGB);
      if (!m) return undefined;
      req.memoryGB = m;
    } else {
      const c = countSeen ? undefined : range(token, countOf);
      if (!c) return undefined;
      req.count = c;
      countSeen = true;
    }
  }
  return req;
}

/** The mapping form: `{ name: [H100, A100], memory: 80GB, count: 2..4, vendor: nvidia }`. */
export function dstackGpuFromMapping(m: Record<string, unknown>, written: string): DstackGpuRequest | undefined {
  const req: DstackGpuRequest = { written, count: { min: 1, max: 1 } };
  const name = m.name;
  if (typeof name === 'string') req.names = [name];
  else if (Array.isArray(name) && name.every((n) => typeof n === 'string')) req.names = name as string[];
  if (typeof m.vendor === 'string') req.vendor = m.vendor.toLowerCase();
  if (m.memory !== undefined && m.memory !== null) {
    const r = range(String(m.memory), memoryGB);
    if (!r) return undefined;
    req.memoryGB = r;
  }
  if (m.count !== undefined && m.count !== null) {
    const r = range(String(m.count), countOf);
    if (!r) return undefined;
    req.count = r;
  }
  return req;
}

/** The number of GPUs when the spec fixes it (`H100:4` → 4; `2..8` → undefined). */
export function exactCount(req: DstackGpuRequest): number | undefined {
  const { min, max } = req.count;
  return min !== undefined && min === max ? min : undefined;
}
