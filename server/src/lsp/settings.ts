// Settings: the window's and each workspace folder's (resource scope), pulled with
// workspace/configuration from clients that answer it, else taken from didChangeConfiguration.
// A document is analysed with its folder's settings (ServerSession.contextOf); every change
// rebuilds the providers and re-checks the open documents.
import { DidChangeConfigurationNotification } from 'vscode-languageserver';
import { nodeFactProviders } from '../node/providers';
import { URI } from '../node/uri';
import { nodeWorkspaceScripts } from '../node/workspaceScripts';
import { normalizeSettings } from '../shared/settings';
import type { ServerSession } from './session';

/** New providers and service context from the workspace state; analyses made under the old ones are dropped. */
export function rebuildServiceContext(session: ServerSession): void {
  const { settings, roots, trusted, pythonEnvironments } = session.workspace;
  session.providers = nodeFactProviders({
    settings,
    workspaceRoots: roots,
    trusted,
    pythonEnvironments,
    onModelResolved: () => session.revalidate(),
    taskIndex: session.taskIndex?.taskIndex,
  });
  session.context = {
    settings,
    providers: session.providers,
    taskConfig: { fs: session.taskFiles, harnessVersion: settings.harnessVersion || undefined },
    workspaceScripts: nodeWorkspaceScripts(roots),
    fileUri: URI.fromPath,
  };
  session.analyses.invalidate();
}

/** Settings, trust or Python environments changed: pull the settings, new providers, then re-check. */
export async function reconfigure(session: ServerSession): Promise<void> {
  if (session.client.configurationPull) {
    // The window's settings, then each folder's (resource scope: folder settings override them).
    const { roots } = session.workspace;
    const scopes = [
      { section: 'lmEvalLens' },
      ...roots.map((r) => ({ section: 'lmEvalLens', scopeUri: URI.fromPath(r) })),
    ];
    const values: unknown[] = await session.connection.workspace.getConfiguration(scopes).catch(() => []);
    session.workspace.settings = normalizeSettings(values[0]);
    session.workspace.folderSettings = new Map(roots.map((r, i) => [r, normalizeSettings(values[i + 1] ?? values[0])]));
  }
  rebuildServiceContext(session);
  session.revalidate();
}

/** Once initialized: ask a pulling client to say when settings change. */
export function watchSettings(session: ServerSession): void {
  if (session.client.configurationPull)
    void session.connection.client.register(DidChangeConfigurationNotification.type, { section: 'lmEvalLens' });
}

export function registerSettings(session: ServerSession): void {
  session.connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as { lmEvalLens?: unknown } | undefined)?.lmEvalLens;
    if (settings && !session.client.configurationPull) session.workspace.settings = normalizeSettings(settings);
    void reconfigure(session);
  });
}
