// The language client proper, in its own bundle so that activation does not load it: starts the
// server over IPC, passes settings and workspace trust, shows the GPU and vLLM version in a
// language status item, and opens the GPU table.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  DocumentStatusRequest,
  GpuTableRequest,
  ALLOW_NETWORK_COMMAND,
  PROJECT_FILE_GLOB,
  PythonEnvironmentsNotification,
  TrustNotification,
  type GpuTableParams,
} from '../../server/src/shared/messages';
import type { GpuFitTable } from '../../server/src/shared/gpuFitTable';
import { showGpuTablePanel } from './gpuTablePanel';
import { watchPythonEnvironments } from './pythonEnvironments';

export interface RunningClient {
  restart(): Promise<void>;
  stop(): Promise<void>;
  showGpuTable(target?: unknown): Promise<GpuFitTable | undefined>;
}

export async function startLanguageClient(
  context: vscode.ExtensionContext,
  outputChannel: vscode.OutputChannel,
  documentSelector: vscode.DocumentFilter[],
): Promise<RunningClient> {
  const module = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector as LanguageClientOptions['documentSelector'],
    // Server log and, with lmEvalLens.trace.server, the LSP messages: "lm-eval-lens: Show Output".
    outputChannel,
    synchronize: {
      configurationSection: 'lmEvalLens',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
        vscode.workspace.createFileSystemWatcher(PROJECT_FILE_GLOB),
      ],
    },
    initializationOptions: {
      settings: vscode.workspace.getConfiguration('lmEvalLens'),
      trusted: vscode.workspace.isTrusted,
      storagePath: context.globalStorageUri.fsPath,
      // Client-side commands the server may put in code actions.
      clientCommands: [ALLOW_NETWORK_COMMAND],
    },
  };
  // The id 'lmEvalLens' makes the client read the `lmEvalLens.trace.server` setting.
  const client = new LanguageClient('lmEvalLens', 'lm-eval-lens', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  void watchPythonEnvironments((params) => client.sendNotification(PythonEnvironmentsNotification, params)).then(
    (d) => d && context.subscriptions.push(d),
  );

  const status = vscode.languages.createLanguageStatusItem('lmEvalLens.status', documentSelector);
  status.name = 'lm-eval-lens';
  status.command = { title: 'Select GPU', command: 'lmEvalLens.selectGpu' };
  const refresh = async () => {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const s = await client.sendRequest(DocumentStatusRequest, { uri }).catch(() => null);
    if (!s) return;
    const count = s.gpuCount ? `${s.gpuCount}× ` : '';
    status.text = `$(chip) ${count}${s.gpu} · vLLM ${s.vllmVersion}`;
    const versions = [s.vllmVersionLabel ?? `vLLM version from ${s.vllmSource}`, s.harnessVersionLabel].filter(Boolean);
    status.detail = `GPU from ${s.gpuSource}; ${versions.join('; ')}${s.verdict ? ` · ${s.verdict}` : ''}`;
    status.severity =
      s.verdict === 'will-fail'
        ? vscode.LanguageStatusSeverity.Error
        : s.verdict === 'at-risk'
          ? vscode.LanguageStatusSeverity.Warning
          : vscode.LanguageStatusSeverity.Information;
  };
  context.subscriptions.push(
    status,
    vscode.window.onDidChangeActiveTextEditor(() => void refresh()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) setTimeout(() => void refresh(), 300);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lmEvalLens')) setTimeout(() => void refresh(), 300);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification(TrustNotification, { trusted: true })),
  );
  await refresh();

  return {
    restart: () => client.restart(),
    stop: () => client.stop(),
    async showGpuTable(target) {
      const params = await gpuTableParams(target);
      if (!params) return undefined;
      const table = await client.sendRequest(GpuTableRequest, params);
      if (!table) {
        void vscode.window.showWarningMessage(
          'lm-eval-lens: no memory estimate for that configuration (a vLLM launch with a known model is needed).',
        );
        return undefined;
      }
      showGpuTablePanel(context, table);
      return table;
    },
  };
}

/** What the table is for: the code lens's launch, a model_args string, the cursor's launch, or one typed in. */
async function gpuTableParams(target: unknown): Promise<GpuTableParams | undefined> {
  const t = (target ?? {}) as { uri?: unknown; offset?: unknown; modelArgs?: unknown; tasks?: unknown };
  if (typeof t.modelArgs === 'string')
    return { modelArgs: t.modelArgs, ...(typeof t.tasks === 'string' ? { tasks: t.tasks } : {}) };
  if (typeof t.uri === 'string') return { uri: t.uri, ...(typeof t.offset === 'number' ? { offset: t.offset } : {}) };
  const editor = vscode.window.activeTextEditor;
  if (editor && /lm[_-]eval|simple_evaluate|vllm/.test(editor.document.getText()))
    return { uri: editor.document.uri.toString(), offset: editor.document.offsetAt(editor.selection.active) };
  const modelArgs = await vscode.window.showInputBox({
    title: 'Which GPU fits?',
    prompt: 'The model_args of lm_eval --model vllm',
    value: 'pretrained=meta-llama/Meta-Llama-3-8B-Instruct,max_model_len=8192',
  });
  return modelArgs ? { modelArgs } : undefined;
}
