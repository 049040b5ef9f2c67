// The "Which GPU fits?" webview: one panel, reused and brought to the front on every request.
import * as vscode from 'vscode';
import type { GpuFitTable } from '../../server/src/shared/gpuFitTable';
import { gpuTableHtml } from './gpuTableHtml';

let panel: vscode.WebviewPanel | undefined;

export function showGpuTablePanel(context: vscode.ExtensionContext, table: GpuFitTable): void {
  const title = `Which GPU fits? ${table.model}`;
  if (!panel) {
    // No scripts: the page is static HTML and SVG.
    panel = vscode.window.createWebviewPanel('lmEvalLens.gpuTable', title, vscode.ViewColumn.Beside, {
      enableScripts: false,
      localResourceRoots: [],
    });
    panel.onDidDispose(() => (panel = undefined), undefined, context.subscriptions);
  }
  panel.title = title;
  panel.webview.html = gpuTableHtml(table, panel.webview.cspSource);
  panel.reveal(undefined, true);
}
