// A model's config.json from the Hugging Face Hub: lm-eval-lens's disk cache of earlier answers
// (shared by the CLI and the editor, read offline too), then, only when the caller allows the
// network, `HF_ENDPOINT` (default https://huggingface.co) with `HF_TOKEN` as a bearer token, a
// timeout and a size cap; `model.safetensors.index.json` adds the exact checkpoint bytes.
import { firstPositive, jsonObject, parseConfigJson } from './configJson';
import { CONFIG_MAX_BYTES, type FetchTextOptions, type ModelFileProvider } from './modelFileProvider';
import { hubConfigCachePath, REPO_ID_RE } from './modelLocations';
import type { ModelArchitecture } from './types';

export interface HubConfigOptions {
  files: ModelFileProvider;
  /** Where Hub answers are cached on disk (`lmEvalLensCacheDir`). */
  cacheDir?: string;
  /** `revision=` from the model_args; anything but a plain name or hash is `main`. */
  revision?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

const hubRevision = (revision: string | undefined) => (revision && /^[\w.-]{1,64}$/.test(revision) ? revision : 'main');

/** A config.json fetched from the Hub earlier (by the editor's action or `--allow-network`). */
export function cachedHubConfig(id: string, opts: HubConfigOptions): ModelArchitecture | undefined {
  if (!opts.cacheDir || !REPO_ID_RE.test(id) || !id.includes('/')) return undefined;
  const text = opts.files.readFile(hubConfigCachePath(opts.cacheDir, id, hubRevision(opts.revision)), CONFIG_MAX_BYTES);
  return text ? parseConfigJson(text, id) : undefined;
}

/** The cached answer, else a GET from the Hub (cached for next time); undefined when neither has it. */
export async function fetchHubConfig(id: string, opts: HubConfigOptions): Promise<ModelArchitecture | undefined> {
  const files = opts.files;
  if (!REPO_ID_RE.test(id) || !id.includes('/')) return undefined;
  const revision = hubRevision(opts.revision);
  const cachePath = opts.cacheDir ? hubConfigCachePath(opts.cacheDir, id, revision) : undefined;
  const cached = cachePath ? files.readFile(cachePath, CONFIG_MAX_BYTES) : undefined;
  if (cached) {
    const arch = parseConfigJson(cached, id);
    if (arch) return arch;
  }
  if (!files.fetchText) return undefined;
  const endpoint = (files.env('HF_ENDPOINT') || 'https://huggingface.co').replace(/\/+$/, '');
  const token = files.env('HF_TOKEN') || files.env('HUGGING_FACE_HUB_TOKEN');
  const headers: Record<string, string> = { 'User-Agent': 'lm-eval-lens' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const fetchOpts: FetchTextOptions = {
    headers,
    timeoutMs: opts.timeoutMs ?? 5000,
    maxBytes: opts.maxBytes ?? 1024 * 1024,
  };
  const res = await files.fetchText(`${endpoint}/${id}/resolve/${encodeURIComponent(revision)}/config.json`, fetchOpts);
  if (res?.status !== 200) return undefined;
  const arch = parseConfigJson(res.text, id);
  if (!arch) return undefined;
  const index = await files.fetchText(
    `${endpoint}/${id}/resolve/${encodeURIComponent(revision)}/model.safetensors.index.json`,
    fetchOpts,
  );
  if (index && index.status === 200) {
    try {
      const total = firstPositive(jsonObject(jsonObject(JSON.parse(index.text))?.metadata)?.total_size);
      if (total) arch.checkpointBytes = total;
    } catch {
      // the index is optional
    }
  }
  if (cachePath && files.writeFile) files.writeFile(cachePath, res.text);
  return arch;
}
