// A minimal real LSP client over stdio (vscode-jsonrpc), as ansible-language-server's
// validate-ls.ts does: spawn the built server, and wait on events, never on fixed sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { repoRoot } from '../helpers/paths';

export interface LspSession {
  connection: MessageConnection;
  process: ChildProcess;
  stderr: () => string;
  /** Resolves with the next diagnostics published for `uri` that satisfy `accept`. */
  nextDiagnostics(uri: string, accept?: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  close(): Promise<void>;
}

export const serverPath = path.join(repoRoot, 'server', 'out', 'server.js');

export interface StartOptions {
  workspaceFolders?: { uri: string; name: string }[];
  /** Answers workspace/configuration (default: the initializationOptions' settings for every item). */
  configuration?: (items: { scopeUri?: string; section?: string }[]) => unknown[];
}

export async function startServer(
  initializationOptions: unknown = {},
  capabilities: object = {},
  options: StartOptions = {},
): Promise<LspSession> {
  const proc = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (b) => (stderr += String(b)));
  const connection = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of waiters.splice(0)) w();
  });
  const settings = initializationOptions && (initializationOptions as { settings?: unknown }).settings;
  connection.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) =>
    options.configuration ? options.configuration(p.items) : p.items.map(() => settings),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: options.workspaceFolders ?? null,
    capabilities,
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});

  const nextDiagnostics = (uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 15000) =>
    new Promise<Diagnostic[]>((resolve, reject) => {
      let seen = 0;
      const check = () => {
        for (; seen < published.length; seen++) {
          const p = published[seen];
          if (p.uri === uri && accept(p.diagnostics)) {
            clearTimeout(timer);
            resolve(p.diagnostics);
            return;
          }
        }
        waiters.push(check);
      };
      const timer = setTimeout(
        () => reject(new Error(`no matching diagnostics for ${uri} in ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      );
      // Only diagnostics published from now on count.
      seen = published.length;
      check();
    });

  return {
    connection,
    process: proc,
    stderr: () => stderr,
    nextDiagnostics,
    async close() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await new Promise<void>((resolve) => {
        if (proc.exitCode !== null) resolve();
        else proc.on('exit', () => resolve());
      });
      connection.dispose();
    },
  };
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}
