// The VS Code client's entry point, kept small so activation is fast: an output channel and the
// commands, registered at once (they work before any lm-eval file is open). The language client
// (languageClient.ts, a separate bundle with vscode-languageclient) is loaded and started only when
// a document that mentions lm-eval is open, or when a command needs the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GPU_CATALOG } from '../../server/src/memory/gpus';
import { registerAllowNetworkCommand } from './allowNetwork';
import { updateLensSetting } from './updateSetting';
import type * as LanguageClientModule from './languageClient';

/** The languages the server reads; JSON only for `args` in launch configurations. */
export const LANGUAGES = ['shellscript', 'python', 'yaml', 'json', 'jsonc', 'markdown'];
const SCHEMES = ['file', 'untitled', 'vscode-notebook-cell'];
export const SELECTOR: vscode.DocumentFilter[] = [
  ...LANGUAGES.flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme }))),
  // Crash logs: *.log, *.out, *.err, slurm-*.out (the server explains vLLM / lm-eval failures).
  { language: 'log', scheme: 'file' },
  { scheme: 'file', pattern: '**/*.{log,out,err}' },
];

/** Activation is by language, so the server starts only once a document mentions lm-eval (or, in a log, vLLM). */
const LM_EVAL_MARKERS =
  /lm[_-]eval|simple_evaluate|^\s*(output_type|doc_to_text|dataset_path|task|group|include)\s*:|LLM engine \(v|vLLM API server version|EngineCore/m;

export function looksLikeLmEval(doc: vscode.TextDocument): boolean {
  return (
    vscode.languages.match(SELECTOR, doc) > 0 && LM_EVAL_MARKERS.test(doc.getText(new vscode.Range(0, 0, 2000, 0)))
  );
}

/** Set by esbuild's banner when the bundle starts evaluating (absent when run unbundled). */
declare const __lensLoadStart: number | undefined;

/** What activate() returns: its own cost, from the bundle's first line to the end of activate(). */
export interface LensApi {
  activationMs: number;
}

let running: Promise<LanguageClientModule.RunningClient> | undefined;
let lazy: typeof LanguageClientModule | undefined;

export function activate(context: vscode.ExtensionContext): LensApi {
  const start = typeof __lensLoadStart === 'number' ? __lensLoadStart : performance.now();
  registerAllowNetworkCommand(context);
  const output = vscode.window.createOutputChannel('lm-eval-lens');
  context.subscriptions.push(output);

  /** Loads the language client bundle on first use and starts the server once. */
  const ensureServer = (): Promise<LanguageClientModule.RunningClient> => {
    if (!running) {
      // A runtime path, so esbuild leaves the language client in its own bundle.
      lazy ??= require(path.join(__dirname, 'languageClient.js')) as typeof LanguageClientModule;
      running = lazy.startLanguageClient(context, output, SELECTOR);
      running.catch((err) => {
        output.appendLine(`lm-eval-lens: the language server failed to start: ${String(err?.stack ?? err)}`);
        running = undefined;
      });
    }
    return running;
  };

  const watchers: vscode.Disposable[] = [];
  const maybeStart = (doc: vscode.TextDocument | undefined) => {
    if (running || !doc || !looksLikeLmEval(doc)) return;
    void ensureServer();
    for (const w of watchers.splice(0)) w.dispose();
  };
  watchers.push(
    vscode.workspace.onDidOpenTextDocument(maybeStart),
    vscode.workspace.onDidChangeTextDocument((e) => maybeStart(e.document)),
  );
  context.subscriptions.push({
    dispose: () => {
      for (const w of watchers) w.dispose();
    },
  });

  const config = () => vscode.workspace.getConfiguration('lmEvalLens');
  context.subscriptions.push(
    // An argument (a catalog name, a memory figure, '' for detect) skips the picker: keybindings and
    // the walkthrough can pass one.
    vscode.commands.registerCommand('lmEvalLens.selectGpu', async (gpu?: unknown) => {
      let pick = typeof gpu === 'string' ? gpu : undefined;
      if (pick === undefined) {
        const choice = await vscode.window.showQuickPick(['(detect / default)', ...GPU_CATALOG.map((g) => g.name)], {
          placeHolder: 'GPU for lm-eval-lens memory estimates',
        });
        if (choice === undefined) return;
        pick = choice.startsWith('(') ? '' : choice;
      }
      await updateLensSetting('gpu', pick);
    }),
    vscode.commands.registerCommand('lmEvalLens.selectVllmVersion', async (version?: unknown) => {
      const value =
        typeof version === 'string'
          ? version
          : await vscode.window.showInputBox({
              prompt: 'vLLM version for memory estimates (empty = newest)',
              value: config().get<string>('vllmVersion') ?? '',
            });
      if (value !== undefined) await updateLensSetting('vllmVersion', value.trim());
    }),
    vscode.commands.registerCommand('lmEvalLens.showOutput', () => output.show(true)),
    // A crash log's code action copies the fixed --model_args / flags when no launching script is in the workspace.
    vscode.commands.registerCommand('lmEvalLens.copyToClipboard', async (text: unknown) => {
      if (typeof text !== 'string') return;
      await vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage(`lm-eval-lens: copied ${text}`);
    }),
    vscode.commands.registerCommand('lmEvalLens.restartServer', async () => {
      if (running) {
        output.appendLine('lm-eval-lens: restarting the language server');
        await (await running).restart();
      } else await ensureServer();
    }),
    // From the code lens: { uri, offset }. From the palette: the launch under the cursor, else a
    // model_args string typed in. Returns the table it shows (for tests and other extensions).
    vscode.commands.registerCommand('lmEvalLens.showGpuTable', async (target?: unknown) =>
      (await ensureServer()).showGpuTable(target),
    ),
  );

  for (const doc of vscode.workspace.textDocuments) maybeStart(doc);
  return { activationMs: performance.now() - start };
}

export async function deactivate(): Promise<void> {
  if (running) await (await running.catch(() => undefined))?.stop();
}
