// Which architecture `pretrained=` names, offline first: the built-in catalog, the local Hugging
// Face cache, a local model directory (config.json + safetensors headers for exact weight bytes),
// and only when allowed the Hub. All I/O goes through an injected ModelFileProvider (the real one is
// node/modelFiles.ts); nothing here imports or runs workspace code.
import * as path from 'node:path';
import { MiB } from '../shared/units';
import { lookupArchitectureDetailed, normalizeModelId } from './architectures';
import { notModelledReason } from './notModelled';
import { quantizationFromConfig } from './quantization';
import type { ModelArchitecture } from './types';

export interface FetchTextOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
}

export interface FetchTextResult {
  status: number;
  text: string;
}

/** The outside world as the resolver sees it; tests pass fixtures, the CLI and server pass `nodeModelFileProvider()`. */
export interface ModelFileProvider {
  /** UTF-8 text of a file, undefined when missing or larger than `maxBytes`. */
  readFile(filePath: string, maxBytes?: number): string | undefined;
  /** `length` bytes at `offset` (safetensors headers), undefined when unreadable. */
  readBytes?(filePath: string, offset: number, length: number): Uint8Array | undefined;
  exists(filePath: string): boolean;
  /** Entry names of a directory, undefined when it is not one. */
  listDir(dirPath: string): string[] | undefined;
  env(name: string): string | undefined;
  homeDir(): string | undefined;
  /** GET a URL; undefined on network error, timeout or a body over maxBytes. */
  fetchText?(url: string, opts: FetchTextOptions): Promise<FetchTextResult | undefined>;
  /** Write a text file, creating folders (the Hub cache); errors are swallowed. */
  writeFile?(filePath: string, text: string): void;
}

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

/** Largest config.json read (bytes); the node provider's default cap. */
export const CONFIG_MAX_BYTES = 4 * MiB;
/** Largest safetensors header read (bytes). */
export const HEADER_MAX_BYTES = 64 * MiB;
const MAX_SHARDS = 256;

// ---------------------------------------------------------------------------------------------
// config.json → ModelArchitecture
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function num(...vs: unknown[]): number | undefined {
  for (const v of vs) if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  return undefined;
}

// Models whose config omits tie_word_embeddings and whose class ties by default (transformers).
const TIED_BY_DEFAULT = new Set([
  'gemma',
  'gemma2',
  'gemma3',
  'gemma3_text',
  'gpt2',
  'opt',
  'falcon',
  'bloom',
  'gpt_bigcode',
  'phi',
]);

// Layer kinds without a per-token KV cache; any other name counts as attention (never undercount).
const STATE_LAYER_TYPES = new Set([
  'linear_attention',
  'mamba',
  'mamba2',
  'conv',
  'short_conv',
  'recurrent',
  'linear',
  'gated_deltanet',
  'deltanet',
  'kda',
]);

/**
 * How many layers of a hybrid model keep a KV cache, from whichever field its config uses:
 * `layer_types` (Qwen3.5, Granite-4: "linear_attention"/"mamba" vs "full_attention"),
 * `full_attention_interval` (Qwen3-Next), `hybrid_override_pattern` (Nemotron-H: '*' = attention),
 * `layers_block_type` or `attn_layer_period`/`attn_layer_offset` (Jamba), and
 * `linear_attn_config.full_attn_layers` (Kimi-Linear). Undefined for a plain transformer.
 */
export function hybridKvCacheLayers(c: Record<string, unknown>, numLayers: number): number | undefined {
  const within = (n: number) => (n > 0 && n < numLayers ? n : undefined);
  if (Array.isArray(c.layer_types)) {
    const names = c.layer_types.filter((t): t is string => typeof t === 'string');
    const attention = names.length - names.filter((t) => STATE_LAYER_TYPES.has(t)).length;
    return names.length === numLayers ? within(attention) : undefined;
  }
  const interval = num(c.full_attention_interval);
  if (interval && interval > 1) return within(Math.floor(numLayers / interval));
  if (typeof c.hybrid_override_pattern === 'string')
    return within([...c.hybrid_override_pattern].filter((ch) => ch === '*').length);
  if (Array.isArray(c.layers_block_type)) return within(c.layers_block_type.filter((t) => t === 'attention').length);
  const period = num(c.attn_layer_period);
  if (period && period > 0) {
    const offset = num(c.attn_layer_offset) ?? 0;
    let n = 0;
    for (let i = 0; i < numLayers; i++) if (i % period === offset) n++;
    return within(n);
  }
  const linear = c.linear_attn_config;
  if (linear && typeof linear === 'object' && Array.isArray((linear as Record<string, unknown>).full_attn_layers)) {
    return within(((linear as Record<string, unknown>).full_attn_layers as unknown[]).length);
  }
  return undefined;
}

/** Parse a Hugging Face config.json (text_config for multimodal models). Undefined when the shapes are missing. */
export function parseConfigJson(text: string, id: string): ModelArchitecture | undefined {
  if (typeof text !== 'string' || text.length > CONFIG_MAX_BYTES) return undefined;
  let root: Json | undefined;
  try {
    root = obj(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!root) return undefined;
  const inner = obj(root.text_config) ?? obj(root.llm_config) ?? obj(root.language_config);
  const c: Json = inner ? { ...root, ...inner } : root;
  const modelType = String(inner?.model_type ?? root.model_type ?? 'unknown');
  const numLayers = num(c.num_hidden_layers, c.n_layer, c.num_layers, c.n_layers);
  const hiddenSize = num(c.hidden_size, c.n_embd, c.d_model, c.dim);
  const heads = num(c.num_attention_heads, c.n_head, c.num_heads, c.n_heads);
  const vocab = num(c.vocab_size, c.padded_vocab_size);
  if (!numLayers || !hiddenSize || !heads || !vocab) return undefined;
  const kvHeads =
    num(c.num_key_value_heads, c.n_head_kv, c.num_kv_heads, c.multi_query === true ? 1 : undefined) ?? heads;
  const headDim = num(c.head_dim) ?? Math.floor(hiddenSize / heads);
  const positionKeys = [
    'max_position_embeddings',
    'n_positions',
    'max_seq_len',
    'seq_length',
    'max_sequence_length',
    'max_seq_length',
    'seq_len',
  ];
  const positions = positionKeys.map((k) => num(c[k])).filter((v): v is number => v !== undefined);
  const arch: ModelArchitecture = {
    id,
    modelType,
    numLayers,
    hiddenSize,
    intermediateSize: num(c.intermediate_size, c.n_inner, c.ffn_dim, c.ffn_hidden_size) ?? 4 * hiddenSize,
    numAttentionHeads: heads,
    numKeyValueHeads: kvHeads,
    headDim,
    vocabSize: vocab,
    maxPositionEmbeddings: positions.length ? Math.min(...positions) : 2048,
    tieWordEmbeddings:
      typeof c.tie_word_embeddings === 'boolean' ? c.tie_word_embeddings : TIED_BY_DEFAULT.has(modelType),
  };
  const dtype = typeof c.torch_dtype === 'string' ? c.torch_dtype : typeof c.dtype === 'string' ? c.dtype : undefined;
  if (dtype) arch.torchDtype = dtype;
  const rs = obj(c.rope_scaling) ?? obj(c.rope_parameters);
  if (rs) {
    const type = String(rs.rope_type ?? rs.type ?? 'default');
    const scaling: NonNullable<ModelArchitecture['ropeScaling']> = { type };
    const factor = num(rs.factor);
    if (factor) scaling.factor = factor;
    const orig = num(rs.original_max_position_embeddings, c.original_max_position_embeddings);
    if (orig) scaling.originalMaxPositionEmbeddings = orig;
    if (type !== 'default' || factor) arch.ropeScaling = scaling;
  }
  const kvLayers = hybridKvCacheLayers(c, numLayers);
  if (kvLayers !== undefined) arch.kvCacheLayers = kvLayers;
  const window = num(c.sliding_window);
  if (window && c.use_sliding_window !== false) {
    // Sliding flags of the layers that hold a KV cache (a hybrid model's attention layers).
    const attentionTypes = Array.isArray(c.layer_types)
      ? c.layer_types.filter((t) => typeof t === 'string' && !STATE_LAYER_TYPES.has(t))
      : undefined;
    const types = attentionTypes?.map((t) => t === 'sliding_attention');
    const flagLayers = kvLayers ?? arch.numLayers;
    const pattern = num(c.sliding_window_pattern);
    if (types && types.length === flagLayers) arch.slidingWindow = { window, layers: types };
    else if (modelType === 'gemma2')
      arch.slidingWindow = { window, layers: Array.from({ length: flagLayers }, (_, i) => i % 2 === 0) };
    else if (pattern && pattern > 1)
      arch.slidingWindow = { window, layers: Array.from({ length: flagLayers }, (_, i) => (i + 1) % pattern !== 0) };
    else if (modelType !== 'qwen2' && modelType !== 'qwen2_moe') arch.slidingWindow = { window, layers: 'all' };
  }
  const experts = num(c.num_local_experts, c.num_experts, c.n_routed_experts);
  const perToken = num(c.num_experts_per_tok, c.moe_top_k);
  if (experts && perToken) {
    const moe: NonNullable<ModelArchitecture['moe']> = {
      numExperts: experts,
      expertsPerToken: perToken,
      moeIntermediateSize: num(c.moe_intermediate_size, c.expert_intermediate_size) ?? arch.intermediateSize,
    };
    const shared = num(c.n_shared_experts, c.num_shared_experts);
    if (shared) moe.numSharedExperts = shared;
    const firstK = num(c.first_k_dense_replace);
    if (firstK) moe.firstKDenseLayers = firstK;
    arch.moe = moe;
  }
  const kvLora = num(c.kv_lora_rank);
  const rope = num(c.qk_rope_head_dim);
  if (kvLora && rope) {
    const mla: NonNullable<ModelArchitecture['mla']> = { kvLoraRank: kvLora, qkRopeHeadDim: rope };
    const nope = num(c.qk_nope_head_dim);
    if (nope) mla.qkNopeHeadDim = nope;
    const v = num(c.v_head_dim);
    if (v) mla.vHeadDim = v;
    const q = num(c.q_lora_rank);
    if (q) mla.qLoraRank = q;
    arch.mla = mla;
  }
  const notModelled = notModelledReason(modelType, c);
  if (notModelled) arch.notModelled = notModelled;
  const quant = quantizationFromConfig(root.quantization_config ?? c.quantization_config);
  if (quant) arch.checkpointQuantization = quant;
  return arch;
}

// ---------------------------------------------------------------------------------------------
// safetensors: exact checkpoint bytes (and parameter count when unquantized)
// ---------------------------------------------------------------------------------------------

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
    parsed = obj(JSON.parse(Buffer.from(header).toString('utf8')));
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  let bytes = 0;
  let params = 0;
  for (const [name, t] of Object.entries(parsed)) {
    if (name === '__metadata__') continue;
    const info = obj(t);
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
      const total = num(obj(obj(JSON.parse(index))?.metadata)?.total_size);
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

function withCheckpoint(arch: ModelArchitecture, files: ModelFileProvider, dir: string): ModelArchitecture {
  const s = checkpointSummary(files, dir);
  if (!s || !(s.bytes > 0)) return arch;
  const out: ModelArchitecture = { ...arch, checkpointBytes: s.bytes };
  // An unquantized checkpoint's element count is the exact parameter count.
  if (s.params && !arch.checkpointQuantization && !arch.params) out.params = s.params;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Where things live
// ---------------------------------------------------------------------------------------------

/** The Hugging Face hub cache folder: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub. */
export function hfHubCacheDir(files: ModelFileProvider): string | undefined {
  const direct = files.env('HF_HUB_CACHE') || files.env('HUGGINGFACE_HUB_CACHE');
  if (direct) return expandHome(direct, files);
  const hfHome = files.env('HF_HOME');
  if (hfHome) return path.join(expandHome(hfHome, files), 'hub');
  const xdg = files.env('XDG_CACHE_HOME');
  if (xdg) return path.join(expandHome(xdg, files), 'huggingface', 'hub');
  const home = files.homeDir();
  return home ? path.join(home, '.cache', 'huggingface', 'hub') : undefined;
}

/** `~/x`, `$HOME/x`, `${HOME}/x` → the home folder's `x`. */
export function expandHome(p: string, files: ModelFileProvider): string {
  const m = /^(~|\$HOME|\$\{HOME\})(?=$|[\\/])/.exec(p);
  if (m) {
    // the shell expands both from $HOME
    const home = files.env('HOME') || files.homeDir();
    if (home) return path.join(home, p.slice(m[1].length));
  }
  return p;
}

/**
 * Where lm-eval-lens caches what it fetched from the Hub, for the CLI and the editor alike:
 * `$LM_EVAL_LENS_CACHE`, else `$XDG_CACHE_HOME/lm-eval-lens/hub`, else `~/.cache/lm-eval-lens/hub`.
 */
export function lmEvalLensCacheDir(files: Pick<ModelFileProvider, 'env' | 'homeDir'>): string | undefined {
  const own = files.env('LM_EVAL_LENS_CACHE');
  if (own) return own;
  const xdg = files.env('XDG_CACHE_HOME');
  if (xdg) return path.join(xdg, 'lm-eval-lens', 'hub');
  const home = files.homeDir();
  return home ? path.join(home, '.cache', 'lm-eval-lens', 'hub') : undefined;
}

/** The cached Hub answer for a model id and revision. */
export function hubConfigCachePath(cacheDir: string, id: string, revision = 'main'): string {
  return path.join(cacheDir, 'hub-configs', `${id.replace(/\//g, '--')}@${revision}.json`);
}

const REPO_ID_RE = /^[A-Za-z0-9][\w.-]{0,95}(?:\/[A-Za-z0-9][\w.-]{0,95})?$/;

/** The snapshot folder of a cached model: the one refs/<revision> points at, else any with a config.json. */
export function hfCacheSnapshot(files: ModelFileProvider, repoId: string, revision = 'main'): string | undefined {
  const cache = hfHubCacheDir(files);
  if (!cache || !REPO_ID_RE.test(repoId)) return undefined;
  const repoDir = path.join(cache, `models--${repoId.replace(/\//g, '--')}`);
  const snapshots = path.join(repoDir, 'snapshots');
  const ref = files.readFile(path.join(repoDir, 'refs', revision), 256)?.trim();
  if (ref && /^[0-9a-f]{7,64}$/i.test(ref) && files.exists(path.join(snapshots, ref, 'config.json')))
    return path.join(snapshots, ref);
  if (/^[0-9a-f]{40}$/i.test(revision) && files.exists(path.join(snapshots, revision, 'config.json')))
    return path.join(snapshots, revision);
  for (const s of (files.listDir(snapshots) ?? []).slice(0, 64)) {
    if (files.exists(path.join(snapshots, s, 'config.json'))) return path.join(snapshots, s);
  }
  return undefined;
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
  if (fetched) return fetched;
  // `checkpoints/llama-sft` is a folder when it holds a config.json (transformers looks there
  // before the Hub), relative to the script's folder or the workspace.
  for (const base of [...bases, '']) {
    const dir = base ? path.resolve(base, raw) : raw;
    if (!files.exists(path.join(dir, 'config.json'))) continue;
    const arch = fromDirectory(files, dir, raw);
    if (arch) return { architecture: arch, source: 'local' };
  }
  return catalog ? catalogResult(catalog, []) : undefined;
}

/** A config.json fetched from the Hub earlier (by the editor's action or `--allow-network`). */
function cachedHubConfig(id: string, opts: ResolveOptions): ResolvedArchitecture | undefined {
  if (!opts.cacheDir || !REPO_ID_RE.test(id) || !id.includes('/')) return undefined;
  const revision = opts.revision && /^[\w.-]{1,64}$/.test(opts.revision) ? opts.revision : 'main';
  const text = opts.files.readFile(hubConfigCachePath(opts.cacheDir, id, revision), CONFIG_MAX_BYTES);
  const arch = text ? parseConfigJson(text, id) : undefined;
  return arch ? { architecture: arch, source: 'hub' } : undefined;
}

/** A local path whose last component names a catalog model (`…/Meta-Llama-3.1-8B-Instruct-quantized.w4a16`). */
function byLastComponent(raw: string, expanded: string, why: string): ResolvedArchitecture | undefined {
  const name = path.basename(expanded.replace(/[\\/]+$/, ''));
  const byName = lookupArchitectureDetailed(name);
  return byName
    ? catalogResult(byName, [`assumption: ${raw} is a local copy of ${byName.catalogId} (${why})`])
    : undefined;
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
    return await resolveFromHub(pretrained, opts);
  } catch {
    return undefined;
  }
}

async function resolveFromHub(pretrained: string, opts: ResolveOptions): Promise<ResolvedArchitecture | undefined> {
  const files = opts.files;
  const id = normalizeModelId(pretrained);
  if (!REPO_ID_RE.test(id) || !id.includes('/')) return undefined;
  const revision = opts.revision && /^[\w.-]{1,64}$/.test(opts.revision) ? opts.revision : 'main';
  const cachePath = opts.cacheDir ? hubConfigCachePath(opts.cacheDir, id, revision) : undefined;
  const cached = cachePath ? files.readFile(cachePath, CONFIG_MAX_BYTES) : undefined;
  if (cached) {
    const arch = parseConfigJson(cached, id);
    if (arch) return { architecture: arch, source: 'hub' };
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
      const total = num(obj(obj(JSON.parse(index.text))?.metadata)?.total_size);
      if (total) arch.checkpointBytes = total;
    } catch {
      // the index is optional
    }
  }
  if (cachePath && files.writeFile) files.writeFile(cachePath, res.text);
  return { architecture: arch, source: 'hub' };
}
