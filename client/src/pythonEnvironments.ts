// The interpreter the Python extension (ms-python.python) selected, per workspace folder, sent to
// the server so it can read the vLLM and lm-eval versions installed there (as text, never by running
// Python). Uses the extension's public `environments` API; without that extension this does nothing.
import * as vscode from 'vscode';
import type { PythonEnvironment, PythonEnvironmentsParams } from '../../server/src/shared/messages';

/** The part of ms-python.python's exported API used here (its `environments` API, 2023+). */
interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri | vscode.WorkspaceFolder): { id: string; path: string };
  resolveEnvironment(
    env: { id: string; path: string } | string,
  ): Promise<{ executable?: { sysPrefix?: string } } | undefined>;
  onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
}

async function pythonApi(): Promise<PythonEnvironmentsApi | undefined> {
  const ext = vscode.extensions.getExtension<{ environments?: PythonEnvironmentsApi }>('ms-python.python');
  if (!ext) return undefined;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    return api?.environments;
  } catch {
    return undefined;
  }
}

async function selected(api: PythonEnvironmentsApi): Promise<PythonEnvironment[]> {
  const scopes: (vscode.WorkspaceFolder | undefined)[] = [...(vscode.workspace.workspaceFolders ?? []), undefined];
  const out: PythonEnvironment[] = [];
  for (const folder of scopes) {
    try {
      const active = api.getActiveEnvironmentPath(folder);
      if (!active?.path) continue;
      const env: PythonEnvironment = { path: active.path };
      if (folder) env.folderUri = folder.uri.toString();
      const sysPrefix = (await api.resolveEnvironment(active).catch(() => undefined))?.executable?.sysPrefix;
      if (sysPrefix) env.sysPrefix = sysPrefix;
      out.push(env);
    } catch {
      // a folder the Python extension cannot answer for keeps the server's other sources
    }
  }
  return out;
}

/** Send the selection now and whenever it changes. */
export async function watchPythonEnvironments(
  send: (params: PythonEnvironmentsParams) => Promise<void>,
): Promise<vscode.Disposable | undefined> {
  const api = await pythonApi();
  if (!api) return undefined;
  const push = async () => {
    await send({ environments: await selected(api) }).catch(() => undefined);
  };
  await push();
  return api.onDidChangeActiveEnvironmentPath(() => void push());
}
