// A minimal real LSP client over stdio (vscode-jsonrpc), as ansible-language-server's
// validate-ls.ts does: spawn the built server, and wait on events, never on fixed sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
  /** The next `method` notification from the server (from now on) that satisfies `accept`. */
  next<T>(method: string, accept?: (params: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Every notification received so far, in order. */
  notifications: { method: string; params: unknown; at: number }[];
  close(): Promise<void>;
}

export interface StartOptions {
  workspaceFolders?: { uri: string; name: string }[];
  /** Answers workspace/configuration (default: the initializationOptions' settings for every item). */
  configuration?: (items: { scopeUri?: string; section?: string }[]) => unknown[];
  /** A single workspace folder (rootUri and workspaceFolders) sent in `initialize`. */
  rootPath?: string;
  /** The server to run (default: the built lm-eval-lens server). */
  command?: string[];
  /** Environment of the server process. */
  env?: NodeJS.ProcessEnv;
}

export const serverPath = path.join(repoRoot, 'server', 'out', 'server.js');

export async function startServer(
  initializationOptions: unknown = {},
  capabilities: object = {},
  opts: StartOptions = {},
): Promise<LspSession> {
  const [cmd, ...args] = opts.command ?? [process.execPath, serverPath, '--stdio'];
  const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
  let stderr = '';
  proc.stderr!.on('data', (b) => (stderr += String(b)));
  const connection = createMessageConnection(
    new StreamMessageReader(proc.stdout!),
    new StreamMessageWriter(proc.stdin!),
  );
  const notifications: LspSession['notifications'] = [];
  const waiters: (() => void)[] = [];
  const record = (method: string, params: unknown) => {
    notifications.push({ method, params, at: performance.now() });
    for (const w of waiters.splice(0)) w();
  };
  connection.onNotification(record);
  // vscode-jsonrpc routes `$/progress` to progress handlers, never to the catch-all above.
  connection.onUnhandledProgress((p) => record('$/progress', p));
  const settings = initializationOptions && (initializationOptions as { settings?: unknown }).settings;
  connection.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) =>
    opts.configuration ? opts.configuration(p.items) : p.items.map(() => settings),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.listen();
  // A private cache folder per session: tests never read or write the user's task-index cache.
  const init = { ...(initializationOptions as object) } as { storagePath?: string };
  if (!opts.command && init.storagePath === undefined)
    init.storagePath = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-storage-'));
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: opts.rootPath ? fileUri(opts.rootPath) : null,
    workspaceFolders:
      opts.workspaceFolders ??
      (opts.rootPath ? [{ uri: fileUri(opts.rootPath), name: path.basename(opts.rootPath) }] : null),
    capabilities,
    initializationOptions: init,
  });
  await connection.sendNotification('initialized', {});

  const next = <T>(method: string, accept: (p: T) => boolean = () => true, timeoutMs = 30000) =>
    new Promise<T>((resolve, reject) => {
      // Only notifications received from now on count.
      let seen = notifications.length;
      const check = () => {
        for (; seen < notifications.length; seen++) {
          const n = notifications[seen];
          if (n.method === method && accept(n.params as T)) {
            clearTimeout(timer);
            resolve(n.params as T);
            return;
          }
        }
        waiters.push(check);
      };
      const timer = setTimeout(
        () => reject(new Error(`no matching ${method} in ${timeoutMs} ms; stderr: ${stderr}`)),
        timeoutMs,
      );
      check();
    });
  const nextDiagnostics = (uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 15000) =>
    next<PublishDiagnosticsParams>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri && accept(p.diagnostics),
      timeoutMs,
    ).then((p) => p.diagnostics);

  return {
    connection,
    process: proc,
    stderr: () => stderr,
    nextDiagnostics,
    next,
    notifications,
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
