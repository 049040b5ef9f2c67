// The language server: one session (open documents, their analyses, settings, providers) and the
// LSP features, each registered by its file in lsp/, which routes requests into the language
// service in service/.
import type { Connection } from 'vscode-languageserver';
import { registerCodeActions } from './lsp/codeActions';
import { registerPullDiagnostics } from './lsp/diagnostics';
import { registerFetchModelConfig } from './lsp/fetchModelConfig';
import { registerGpuTable } from './lsp/gpuTable';
import { registerLanguageFeatures } from './lsp/languageFeatures';
import { registerLifecycle } from './lsp/lifecycle';
import { registerPythonEnvironments } from './lsp/pythonEnvironments';
import { ServerSession } from './lsp/session';
import { registerSettings } from './lsp/settings';
import { registerStatus } from './lsp/status';
import { registerWorkspaceFiles } from './lsp/workspaceFiles';
import { registerWorkspaceTrust } from './lsp/workspaceTrust';
import { onRuleError } from './rules';

export function startServer(connection: Connection): void {
  const session = new ServerSession(connection);
  onRuleError((code, err) => connection.console.error(`rule ${code} failed: ${String((err as Error)?.stack ?? err)}`));

  registerLifecycle(session); // initialize (capabilities), initialized, shutdown; the task index starts and stops there
  registerSettings(session); // window and folder settings
  registerWorkspaceTrust(session);
  registerPythonEnvironments(session);
  session.sync.listen(); // open, edit, close: analyses and pushed diagnostics (service/documentSync.ts)
  registerWorkspaceFiles(session); // saved and watched files: project facts and the task index
  registerPullDiagnostics(session); // textDocument/diagnostic, notebook cells
  registerLanguageFeatures(session); // hover, completion, definition, links, inlay hints
  registerCodeActions(session);
  registerFetchModelConfig(session); // the lmEvalLens.fetchModelConfig command
  registerGpuTable(session); // code lens and lmEvalLens/gpuTable
  registerStatus(session); // lmEvalLens/documentStatus and lmEvalLens/gpuCatalog

  session.documents.listen(connection);
  connection.listen();
}
