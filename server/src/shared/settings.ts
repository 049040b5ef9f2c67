// Settings shared by the VS Code client and the language server (vscode-eslint's $shared/settings).
// The CLI fills the same shape from its flags.

export interface LmEvalLensSettings {
  /** GPU catalog name (`A100-80GB`) or total memory (`79.15GiB`); empty = detect, else A100-80GB. */
  gpu: string;
  /** GPUs available; 0 = as many as the configuration asks for (TP × PP × DP). */
  gpuCount: number;
  /** vLLM version the estimate follows (`0.6.3`); empty = read from the project, else the newest modelled. */
  vllmVersion: string;
  /** lm-eval version whose task-config rules apply (`0.4.9`, `0.4.12`); empty = read from the project, else newest. */
  harnessVersion: string;
  /** Show `≈ used / budget GiB · verdict` after model_args. */
  inlayHints: boolean;
  /** Show the code lens "Fits on: …" above each vLLM launch (opens the GPU table). */
  codeLens: boolean;
  /** Path to nvidia-smi for GPU detection (machine-scoped; never run in an untrusted workspace); empty = off. */
  nvidiaSmiPath: string;
  /** Allow fetching config.json from the Hugging Face Hub for models not in the catalog or local cache. */
  allowNetwork: boolean;
  /** Extra globs of files to treat as lm-eval task configs. */
  taskConfigGlobs: string[];
  /** An lm-eval `lm_eval/tasks` folder for task knowledge and duplicate-name checks; empty = search. */
  lmEvalTasksDir: string;
}

export const DEFAULT_SETTINGS: LmEvalLensSettings = {
  gpu: '',
  gpuCount: 0,
  vllmVersion: '',
  harnessVersion: '',
  inlayHints: true,
  codeLens: true,
  nvidiaSmiPath: '',
  allowNetwork: false,
  taskConfigGlobs: [],
  lmEvalTasksDir: '',
};

/** The GPU assumed when nothing says which one: the commonest lm-eval research GPU. */
export const FALLBACK_GPU = 'A100-80GB';

/** Merge a partial, possibly malformed settings object (from a client) over the defaults. */
export function normalizeSettings(raw: unknown): LmEvalLensSettings {
  const s: LmEvalLensSettings = { ...DEFAULT_SETTINGS, taskConfigGlobs: [] };
  if (!raw || typeof raw !== 'object') return s;
  const r = raw as Record<string, unknown>;
  const str = (k: keyof LmEvalLensSettings) => (typeof r[k] === 'string' ? (r[k] as string).trim() : '');
  s.gpu = str('gpu');
  s.vllmVersion = str('vllmVersion');
  s.harnessVersion = str('harnessVersion');
  s.nvidiaSmiPath = str('nvidiaSmiPath');
  s.lmEvalTasksDir = str('lmEvalTasksDir');
  if (typeof r.gpuCount === 'number' && Number.isInteger(r.gpuCount) && r.gpuCount >= 0) s.gpuCount = r.gpuCount;
  if (typeof r.inlayHints === 'boolean') s.inlayHints = r.inlayHints;
  if (typeof r.codeLens === 'boolean') s.codeLens = r.codeLens;
  if (typeof r.allowNetwork === 'boolean') s.allowNetwork = r.allowNetwork;
  if (Array.isArray(r.taskConfigGlobs))
    s.taskConfigGlobs = r.taskConfigGlobs.filter((g): g is string => typeof g === 'string');
  return s;
}

/** The settings of the innermost workspace folder holding `filePath` (resource scope), if any. */
export function settingsForPath(
  filePath: string,
  byFolder: ReadonlyMap<string, LmEvalLensSettings>,
): LmEvalLensSettings | undefined {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const file = norm(filePath);
  let best: { length: number; settings: LmEvalLensSettings } | undefined;
  for (const [folder, s] of byFolder) {
    const f = norm(folder);
    if ((file === f || file.startsWith(`${f}/`)) && (!best || f.length > best.length))
      best = { length: f.length, settings: s };
  }
  return best?.settings;
}
