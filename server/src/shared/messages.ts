// The custom LSP messages between the VS Code client and the server, typed once for both sides
// (vscode-eslint's `$shared/customMessages.ts`). Method names are part of the wire protocol: other
// clients (Neovim configs, scripts) may send them, so never rename one.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { GpuFitTable } from './gpuFitTable';

/** What the client's language status item shows for the active document. */
export interface DocumentStatus {
  gpu: string;
  gpuSource: string;
  gpuCount?: number;
  vllmVersion: string;
  vllmSource: string;
  /** Where the vLLM version comes from, in words: "vLLM 0.6.3 from requirements.txt:1". */
  vllmVersionLabel?: string;
  /** The lm-eval release whose rules apply (launches and task configs), in words. */
  harnessVersionLabel?: string;
  launches: number;
  verdict?: string;
}

export interface DocumentStatusParams {
  /** The active document; absent or unknown: the status from settings alone. */
  uri?: string;
}

export interface TrustParams {
  trusted?: boolean;
}

/** `lmEvalLens/documentStatus`: the GPU, vLLM version and verdict in effect for a document. */
export const DocumentStatusRequest = new RequestType<DocumentStatusParams, DocumentStatus | null, void>(
  'lmEvalLens/documentStatus',
);

/** `lmEvalLens/gpuCatalog`: the catalog GPU names, for the "Select GPU" picker. */
export const GpuCatalogRequest = new RequestType0<string[], void>('lmEvalLens/gpuCatalog');

/**
 * `lmEvalLens/gpuTable`: "which GPU fits?" for the launch at `offset` in `uri` (else the first one),
 * or for a bare `modelArgs` string; null without an estimate. The rows are `GpuFitTable` from
 * service/gpuFit.ts.
 */
export type GpuTableParams = { uri: string; offset?: number } | { modelArgs: string; tasks?: string };
export const GpuTableRequest = new RequestType<GpuTableParams, GpuFitTable | null, void>('lmEvalLens/gpuTable');

/** `lmEvalLens/trust`: the workspace became trusted (the server may now run nvidia-smi). */
export const TrustNotification = new NotificationType<TrustParams>('lmEvalLens/trust');

/** The Python environment the Python extension selected for one workspace folder (or the window). */
export interface PythonEnvironment {
  /** The workspace folder's URI; absent for the window-wide selection. */
  folderUri?: string;
  /** The interpreter (…/bin/python, …\\python.exe) or, for a conda env without Python, its folder. */
  path: string;
  /** `sys.prefix` as the Python extension resolved it, when it did: site-packages lives under it. */
  sysPrefix?: string;
}

export interface PythonEnvironmentsParams {
  environments: PythonEnvironment[];
}

/**
 * `lmEvalLens/pythonEnvironments`: the selected interpreters changed (also sent once after start).
 * The same list may arrive in `initializationOptions.pythonEnvironments`. The server reads the
 * packages installed there as text (dist-info METADATA); it never runs the interpreter.
 */
export const PythonEnvironmentsNotification = new NotificationType<PythonEnvironmentsParams>(
  'lmEvalLens/pythonEnvironments',
);

/** Files whose change can change a version, the config file or a model (the client watches them). */
export const PROJECT_FILE_GLOB =
  '**/{requirements*.txt,*requirements*.in,pyproject.toml,uv.lock,poetry.lock,Pipfile.lock,environment.yml,environment.yaml,setup.py,setup.cfg,.lm-eval-lens.json,*compose*.yml,*compose*.yaml,Dockerfile,config.json}';

/** The well-formed entries of a client's list (anything else is dropped, never trusted). */
export function pythonEnvironmentsFrom(raw: unknown): PythonEnvironment[] {
  if (!Array.isArray(raw)) return [];
  const out: PythonEnvironment[] = [];
  for (const e of raw.slice(0, 256)) {
    if (!e || typeof e !== 'object' || typeof e.path !== 'string' || !e.path) continue;
    const env: PythonEnvironment = { path: e.path };
    if (typeof e.folderUri === 'string') env.folderUri = e.folderUri;
    if (typeof e.sysPrefix === 'string' && e.sysPrefix) env.sysPrefix = e.sysPrefix;
    out.push(env);
  }
  return out;
}

export { ALLOW_NETWORK_COMMAND, FETCH_MODEL_CONFIG_COMMAND } from './commands';
