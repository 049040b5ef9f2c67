// The VS Code client: start the language server over IPC, pass settings and workspace trust, and
// show the GPU and vLLM version in a language status item. Everything else lives in the server.
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
  GpuCatalogRequest,
  PROJECT_FILE_GLOB,
  PythonEnvironmentsNotification,
  TrustNotification,
} from '../../server/src/shared/messages';
import { watchPythonEnvironments } from './pythonEnvironments';

const SELECTOR: { language: string; scheme: string }[] = [
  'shellscript',
  'python',
  'yaml',
  'json',
  'jsonc',
  'markdown',
].flatMap((language) => ['file', 'untitled', 'vscode-notebook-cell'].map((scheme) => ({ language, scheme })));

/** Activation is by language, so the server starts only once a document mentions lm-eval. */
const LM_EVAL_MARKERS = /lm[_-]eval|simple_evaluate|^\s*(output_type|doc_to_text|dataset_path|task|group|include)\s*:/m;

export function looksLikeLmEval(doc: vscode.TextDocument): boolean {
  return (
    vscode.languages.match(SELECTOR, doc) > 0 && LM_EVAL_MARKERS.test(doc.getText(new vscode.Range(0, 0, 2000, 0)))
  );
}

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const maybeStart = (doc: vscode.TextDocument | undefined): Promise<void> | undefined => {
    if (starting || !doc || !looksLikeLmEval(doc)) return starting;
    starting = startClient(context);
    return starting;
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => void maybeStart(d)),
    vscode.workspace.onDidChangeTextDocument((e) => void maybeStart(e.document)),
  );
  for (const doc of vscode.workspace.textDocuments) await maybeStart(doc);
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
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
    },
  };
  client = new LanguageClient('lmEvalLens', 'lm-eval-lens', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  void watchPythonEnvironments((params) => client!.sendNotification(PythonEnvironmentsNotification, params)).then(
    (d) => d && context.subscriptions.push(d),
  );

  const status = vscode.languages.createLanguageStatusItem('lmEvalLens.status', SELECTOR);
  status.name = 'lm-eval-lens';
  status.command = { title: 'Select GPU', command: 'lmEvalLens.selectGpu' };
  const refresh = async () => {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const s = await client?.sendRequest(DocumentStatusRequest, { uri }).catch(() => null);
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
    vscode.workspace.onDidGrantWorkspaceTrust(
      () => void client?.sendNotification(TrustNotification, { trusted: true }),
    ),
    vscode.commands.registerCommand('lmEvalLens.selectGpu', async () => {
      const names = (await client?.sendRequest(GpuCatalogRequest)) ?? [];
      const pick = await vscode.window.showQuickPick(['(detect / default)', ...names], {
        placeHolder: 'GPU for lm-eval-lens memory estimates',
      });
      if (pick === undefined) return;
      await vscode.workspace
        .getConfiguration('lmEvalLens')
        .update('gpu', pick.startsWith('(') ? '' : pick, vscode.ConfigurationTarget.Workspace);
    }),
    vscode.commands.registerCommand('lmEvalLens.selectVllmVersion', async () => {
      const current = vscode.workspace.getConfiguration('lmEvalLens').get<string>('vllmVersion') ?? '';
      const value = await vscode.window.showInputBox({
        prompt: 'vLLM version for memory estimates (empty = newest)',
        value: current,
      });
      if (value !== undefined)
        await vscode.workspace
          .getConfiguration('lmEvalLens')
          .update('vllmVersion', value.trim(), vscode.ConfigurationTarget.Workspace);
    }),
  );
  await refresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
