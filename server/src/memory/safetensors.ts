// safetensors: a checkpoint's exact bytes, from model.safetensors.index.json or the shards' headers,
// and its parameter count when it is unquantized (the element count of every tensor).
import * as path from 'node:path';
import { firstPositive, type Json, jsonObject } from './configJson';
import { CONFIG_MAX_BYTES, HEADER_MAX_BYTES, type ModelFileProvider } from './modelFileProvider';
import type { ModelArchitecture } from './types';

const MAX_SHARDS = 256;

const SAFETENSORS_DTYPE_BYTES: Record<string, number> = {
  F64: 8,
  I64: 8,
  U64: 8,
  F32: 4,
  I32: 4,
  U32: 4,
  F16: 2,
  BF16: 2,
  I16: 2,
  U16: 2,
  F8_E4M3: 1,
  F8_E5M2: 1,
  F8_E8M0: 1,
  I8: 1,
  U8: 1,
  BOOL: 1,
  F4: 0.5,
};

export interface SafetensorsSummary {
  bytes: number;
  params: number;
}

/** Sum of the tensors one safetensors file declares in its header (first 8 bytes: little-endian header length). */
export function safetensorsHeaderSummary(files: ModelFileProvider, filePath: string): SafetensorsSummary | undefined {
  if (!files.readBytes) return undefined;
  const lenBytes = files.readBytes(filePath, 0, 8);
  if (!lenBytes || lenBytes.length < 8) return undefined;
  let len = 0;
  for (let i = 7; i >= 0; i--) len = len * 256 + lenBytes[i];
  if (!(len > 1) || len > HEADER_MAX_BYTES) return undefined;
  const header = files.readBytes(filePath, 8, len);
  if (!header || header.length < len) return undefined;
  let parsed: Json | undefined;
  try {
    parsed = jsonObject(JSON.parse(Buffer.from(header).toString('utf8')));
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  let bytes = 0;
  let params = 0;
  for (const [name, t] of Object.entries(parsed)) {
    if (name === '__metadata__') continue;
    const info = jsonObject(t);
    const shape = Array.isArray(info?.shape) ? (info!.shape as unknown[]) : undefined;
    const offsets = Array.isArray(info?.data_offsets) ? (info!.data_offsets as unknown[]) : undefined;
    if (!shape) continue;
    const n = shape.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 0), 1);
    params += n;
    if (offsets && typeof offsets[0] === 'number' && typeof offsets[1] === 'number') bytes += offsets[1] - offsets[0];
    else bytes += n * (SAFETENSORS_DTYPE_BYTES[String(info?.dtype)] ?? 2);
  }
  return { bytes, params };
}

/** Exact checkpoint bytes of a model directory: the index's metadata.total_size, else the shards' headers. */
export function checkpointSummary(
  files: ModelFileProvider,
  dir: string,
): SafetensorsSummary | { bytes: number; params?: undefined } | undefined {
  const index = files.readFile(path.join(dir, 'model.safetensors.index.json'), CONFIG_MAX_BYTES * 4);
  if (index) {
    try {
      const total = firstPositive(jsonObject(jsonObject(JSON.parse(index))?.metadata)?.total_size);
      if (total) return { bytes: total };
    } catch {
      // fall through to the headers
    }
  }
  const names = (files.listDir(dir) ?? []).filter((n) => n.endsWith('.safetensors')).slice(0, MAX_SHARDS);
  if (!names.length) return undefined;
  let bytes = 0;
  let params = 0;
  for (const n of names) {
    const s = safetensorsHeaderSummary(files, path.join(dir, n));
    if (!s) return undefined;
    bytes += s.bytes;
    params += s.params;
  }
  return { bytes, params };
}

/** The architecture with the checkpoint's exact bytes (and parameters) from the folder's safetensors, when readable. */
export function withCheckpoint(arch: ModelArchitecture, files: ModelFileProvider, dir: string): ModelArchitecture {
  const s = checkpointSummary(files, dir);
  if (!s || !(s.bytes > 0)) return arch;
  const out: ModelArchitecture = { ...arch, checkpointBytes: s.bytes };
  // An unquantized checkpoint's element count is the exact parameter count.
  if (s.params && !arch.checkpointQuantization && !arch.params) out.params = s.params;
  return out;
}
