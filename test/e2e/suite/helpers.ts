// Helpers for the tests that run inside a real VS Code extension host: open workspace files,
// and wait on the language server's results with a deadline instead of fixed sleeps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'lm-eval-lens.lm-eval-lens';

/** A line for the run's log (the runners print only lines carrying the report tag). */
export function REPORT(line: string): void {
  console.log(`[lens-e2e] ${line}`);
}
const POLL_MS = 100;

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e runner must open a copy of examples/ as the workspace folder');
  return folder.uri.fsPath;
}

export function workspaceUri(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), ...parts));
}

/** Writes a scratch copy of a workspace file (optionally transformed), so a test can edit it freely. */
export function scratchCopy(from: string, to: string, transform: (text: string) => string = (t) => t): vscode.Uri {
  const text = fs.readFileSync(path.join(workspaceRoot(), from), 'utf8');
  const target = path.join(workspaceRoot(), to);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, transform(text));
  return vscode.Uri.file(target);
}

export async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Polls `probe` until it returns something other than undefined, or fails after `timeoutMs` naming
 * what it waited for and the last thing it saw.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last !== undefined ? ` (last error: ${String(last)})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : String(c ?? '');
}

export function lensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'lm-eval-lens');
}

export function waitForDiagnostic(uri: vscode.Uri, code: string, timeoutMs?: number): Promise<vscode.Diagnostic> {
  return waitFor(
    `a ${code} diagnostic on ${path.basename(uri.fsPath)}`,
    () => lensDiagnostics(uri).find((d) => codeOf(d) === code),
    timeoutMs,
  );
}

export function describeDiagnostics(uri: vscode.Uri): string {
  return (
    lensDiagnostics(uri)
      .map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`)
      .join(', ') || '(none)'
  );
}

/** The position of the `nth` occurrence of `needle` in the document, shifted by `delta` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = doc.getText().indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" not in ${path.basename(doc.uri.fsPath)}`);
  return doc.positionAt(offset + delta);
}

export async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const all =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      range,
      kind,
    )) ?? [];
  return all.filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

export async function resetLensSetting(key: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('lmEvalLens');
  await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
}
