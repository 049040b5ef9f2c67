// initialize (what the client says it is and can do; what the server offers), initialized, shutdown.
import {
  CodeActionKind,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { URI } from '../node/uri';
import { ALLOW_NETWORK_COMMAND, FETCH_MODEL_CONFIG_COMMAND } from '../service/modelConfigActions';
import { pythonEnvironmentsFrom } from '../shared/messages';
import { normalizeSettings } from '../shared/settings';
import type { ClientInfo, ServerSession } from './session';
import { rebuildServiceContext, reconfigure, watchSettings } from './settings';
import { startTaskIndex, stopTaskIndex, warmUpBuiltinTaskIndex } from './taskIndex';

/** What the extension's client sends in initializationOptions (any other client may send none). */
interface InitializationOptions {
  settings?: unknown;
  trusted?: boolean;
  storagePath?: string;
  pythonEnvironments?: unknown;
  clientCommands?: unknown;
}

export function registerLifecycle(session: ServerSession): void {
  session.connection.onInitialize((params) => initialize(session, params));
  session.connection.onInitialized(() => {
    warmUpBuiltinTaskIndex(session);
    watchSettings(session);
    void reconfigure(session);
  });
  session.connection.onShutdown(() => stopTaskIndex(session));
}

function initialize(session: ServerSession, params: InitializeParams): InitializeResult {
  const init = (params.initializationOptions ?? {}) as InitializationOptions;
  const { client, workspace } = session;
  workspace.settings = normalizeSettings(init.settings);
  workspace.trusted = init.trusted === true;
  client.allowNetworkCommand =
    Array.isArray(init.clientCommands) && init.clientCommands.includes(ALLOW_NETWORK_COMMAND);
  startTaskIndex(session, typeof init.storagePath === 'string' ? init.storagePath : undefined);
  workspace.pythonEnvironments = pythonEnvironmentsFrom(init.pythonEnvironments);
  workspace.roots = (params.workspaceFolders ?? []).map((f) => URI.toPath(f.uri));
  if (!workspace.roots.length && params.rootUri) workspace.roots = [URI.toPath(params.rootUri)];
  client.pullDiagnostics = !!params.capabilities.textDocument?.diagnostic;
  client.configurationPull = !!params.capabilities.workspace?.configuration;
  // Pull-diagnostic clients (VS Code) show relatedInformation; push clients say whether they do.
  client.relatedInformation =
    client.pullDiagnostics || !!params.capabilities.textDocument?.publishDiagnostics?.relatedInformation;
  rebuildServiceContext(session);
  return { capabilities: serverCapabilities(client), serverInfo: { name: 'lm-eval-lens' } };
}

/** Every feature the server offers, each registered in its file in lsp/. */
function serverCapabilities(client: ClientInfo): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    hoverProvider: true,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
    executeCommandProvider: { commands: [FETCH_MODEL_CONFIG_COMMAND] },
    inlayHintProvider: true,
    completionProvider: { triggerCharacters: [':', ' ', ',', '='] },
    definitionProvider: true,
    documentLinkProvider: { resolveProvider: false },
    codeLensProvider: { resolveProvider: true },
    ...(client.pullDiagnostics
      ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } }
      : {}),
  };
}
