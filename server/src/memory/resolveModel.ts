// Which architecture `pretrained=` names, offline first: the built-in catalog, the local Hugging
// Face cache, a local model directory (config.json + safetensors headers for exact weight bytes),
// and only when allowed the Hub. All I/O goes through an injected ModelFileProvider (the real one is
// node/modelFiles.ts); nothing here imports or runs workspace code. The steps live beside it:
// configJson.ts (config.json → architecture), safetensors.ts (checkpoint bytes), modelLocations.ts
// (the caches on this machine), hubConfig.ts (the Hub).
import * as path from 'node:path';
import { lookupArchitectureDetailed, normalizeModelId } from './architectures';
import { parseConfigJson } from './configJson';
import { cachedHubConfig, fetchHubConfig } from './hubConfig';
import { CONFIG_MAX_BYTES, type ModelFileProvider } from './modelFileProvider';
import { expandHome, hfCacheSnapshot } from './modelLocations';
import { withCheckpoint } from './safetensors';
import type { ModelArchitecture } from './types';

export type ArchitectureSource = 'catalog' | 'hf-cache' | 'local' | 'hub';

export interface ResolvedArchitecture {
  architecture: ModelArchitecture;
  source: ArchitectureSource;
}

export interface ResolveOptions {
  files: ModelFileProvider;
  /** Consult the Hugging Face Hub for models found nowhere else (setting `lmEvalLens.allowNetwork`). */
  allowNetwork?: boolean;
  /** Where Hub answers are cached on disk (`lmEvalLensCacheDir`: shared by the CLI and the editor).
   * Offline resolution reads it too, so a config fetched once is found without the network. */
  cacheDir?: string;
  /** Folders a relative path is resolved against, most specific first: the script's folder, the
   * workspace root (then the current folder, as `AutoConfig.from_pretrained` would). */
  baseDirs?: string[];
  /** `revision=` from the model_args. */
  revision?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

/** An absolute, `./`, `../`, `~/` or `$HOME/` path: never a Hub id. */
export function looksLikePath(p: string): boolean {
  return /^(?:\/|\.{1,2}[\\/]|~[\\/]?|\$(?:HOME|\{HOME\})(?:[\\/]|$)|[A-Za-z]:[\\/]|\\\\)/.test(p);
}

function fromDirectory(files: ModelFileProvider, dir: string, id: string): ModelArchitecture | undefined {
  const text = files.readFile(path.join(dir, 'config.json'), CONFIG_MAX_BYTES);
  if (!text) return undefined;
  const arch = parseConfigJson(text, id);
  return arch ? withCheckpoint(arch, files, dir) : undefined;
}

/**
 * Synchronous, offline resolution for the hot path: a local directory when `pretrained` is a path;
 * else the catalog (an exact id), the local Hugging Face cache, and the catalog's variant or repack
 * match (which carries assumptions, so a cached config.json beats it).
 */
export function resolveArchitectureOffline(pretrained: string, opts: ResolveOptions): ResolvedArchitecture | undefined {
  try {
    return resolveOffline(pretrained, opts);
  } catch {
    return undefined; // a provider that throws must not take the caller down
  }
}

function resolveOffline(pretrained: string, opts: ResolveOptions): ResolvedArchitecture | undefined {
  if (typeof pretrained !== 'string') return undefined;
  const raw = pretrained.trim();
  if (!raw || raw.length > 1024) return undefined;
  const files = opts.files;
  const bases = opts.baseDirs ?? [];
  if (looksLikePath(raw)) {
    const expanded = expandHome(raw, files);
    // A relative path is relative to where lm_eval runs: the script's folder or the workspace root.
    const candidates = path.isAbsolute(expanded)
      ? [expanded]
      : [...bases.map((b) => path.resolve(b, expanded)), expanded];
    for (const dir of candidates) {
      const arch = fromDirectory(files, dir, raw);
      if (arch) return { architecture: arch, source: 'local' };
    }
    return byLastComponent(raw, expanded, 'no readable config.json there');
  }
  const id = normalizeModelId(raw);
  const catalog = lookupArchitectureDetailed(id);
  const snapshot = hfCacheSnapshot(files, id, opts.revision);
  if (catalog && catalog.assumptions.length === 0) {
    const arch = snapshot ? withCheckpoint(catalog.architecture, files, snapshot) : catalog.architecture;
    return catalogResult({ ...catalog, architecture: arch }, []);
  }
  if (snapshot) {
    const arch = fromDirectory(files, snapshot, id);
    if (arch) return { architecture: arch, source: 'hf-cache' };
  }
  const fetched = cachedHubConfig(id, opts);
  if (fetched) return { architecture: fetched, source: 'hub' };
  // `checkpoints/llama-sft` is a folder when it holds a config.json (transformers looks there
  // before the Hub), relative to the script's folder or the workspace.
  for (const base of [...bases, '']) {
    const dir = base ? path.resolve(base, raw) : raw;
    if (!files.exists(path.join(dir, 'config.json'))) continue;
    const arch = fromDirectory(files, dir, raw);
    if (arch) return { architecture: arch, source: 'local' };
  }
  if (!catalog) return undefined;
  const result = catalogResult(catalog, []);
  // A bare name (`Qwen1.5-4B`) that is neither a folder here nor a catalog id: a guess by its name.
  if (!id.includes('/') && catalog.catalogId.toLowerCase() !== id.toLowerCase())
    result.architecture.matchedByName = `"${raw}" read as ${catalog.matchedId} by its name`;
  return result;
}

/** A local path whose last component names a catalog model (`…/Meta-Llama-3.1-8B-Instruct-quantized.w4a16`). */
function byLastComponent(raw: string, expanded: string, why: string): ResolvedArchitecture | undefined {
  const name = path.basename(expanded.replace(/[\\/]+$/, ''));
  const byName = lookupArchitectureDetailed(name);
  if (!byName) return undefined;
  const result = catalogResult(byName, [`assumption: ${raw} is a local copy of ${byName.matchedId} (${why})`]);
  result.architecture.matchedByName = `${raw} read as ${byName.matchedId} by its folder name (${why})`;
  return result;
}

function catalogResult(
  c: ReturnType<typeof lookupArchitectureDetailed> & object,
  extra: string[],
): ResolvedArchitecture {
  const assumptions = [...c.assumptions, ...extra];
  const architecture: ModelArchitecture = { ...c.architecture };
  if (c.catalogId.toLowerCase() !== architecture.id.toLowerCase()) architecture.catalogId = c.catalogId;
  if (assumptions.length) architecture.assumptions = assumptions;
  return { architecture, source: 'catalog' };
}

/**
 * Offline first, then (only with `allowNetwork`) the Hugging Face Hub: `HF_ENDPOINT` (default
 * https://huggingface.co), `HF_TOKEN` as a bearer token, a timeout and a size cap; answers are
 * cached under `cacheDir`.
 */
export async function resolveArchitecture(
  pretrained: string,
  opts: ResolveOptions,
): Promise<ResolvedArchitecture | undefined> {
  const offline = resolveArchitectureOffline(pretrained, opts);
  if (offline || !opts.allowNetwork) return offline;
  try {
    const fetched = await fetchHubConfig(normalizeModelId(pretrained), opts);
    return fetched ? { architecture: fetched, source: 'hub' } : undefined;
  } catch {
    return undefined;
  }
}
