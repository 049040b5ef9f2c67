// What the server's features share: the open documents and their analyses, what the client said
// at initialize, what it says about the workspace (settings, trust, Python environments), and the
// providers and service context built from that. One session per server process.
import { DiagnosticRefreshRequest, TextDocuments, type Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { NodeFactProviders } from '../node/providers';
import type { serverTaskIndex } from '../node/serverTaskIndex';
import { nodeTaskFileSystem } from '../node/taskFileSystem';
import { URI } from '../node/uri';
import type { ServiceContext } from '../service/analyze';
import { AnalysisCancelled, DocumentAnalyses } from '../service/documentAnalyses';
import { documentSync } from '../service/documentSync';
import { LaunchParser } from '../service/launchParser';
import type { PythonEnvironment } from '../shared/messages';
import { normalizeSettings, type LmEvalLensSettings } from '../shared/settings';
import { diagnosticsOf, isNotebookCell, pushesDiagnostics } from './diagnostics';
import { analysisContextOf } from './settings';

const DEBOUNCE_MS = 150;

/** What the client said at initialize, or was seen doing since. */
export interface ClientInfo {
  /** The client pulls diagnostics (textDocument/diagnostic); otherwise the server pushes them. */
  pullDiagnostics: boolean;
  /** The client answers workspace/configuration, for the window and for each folder. */
  configurationPull: boolean;
  /** Diagnostics carry relatedInformation (the client shows it). */
  relatedInformation: boolean;
  /** The client runs lmEvalLens.allowNetwork (VS Code's client does; it says so at initialize). */
  allowNetworkCommand: boolean;
  /**
   * VS Code's language client pulls diagnostics only for documents shown in a tab, never for
   * notebook cells: cells are pushed until a client is seen pulling for one.
   */
  cellsArePulled: boolean;
}

/** What the client says about the workspace; every change rebuilds the providers (lsp/settings.ts). */
export interface WorkspaceState {
  /** The window's settings. */
  settings: LmEvalLensSettings;
  /** Resource-scoped settings of each workspace folder (multi-root workspaces, folder settings). */
  folderSettings: Map<string, LmEvalLensSettings>;
  trusted: boolean;
  roots: string[];
  pythonEnvironments: PythonEnvironment[];
}

export class ServerSession {
  readonly documents = new TextDocuments(TextDocument);
  readonly client: ClientInfo = {
    pullDiagnostics: false,
    configurationPull: false,
    relatedInformation: true,
    allowNetworkCommand: false,
    cellsArePulled: false,
  };
  readonly workspace: WorkspaceState = {
    settings: normalizeSettings(undefined),
    folderSettings: new Map(),
    trusted: false,
    roots: [],
    pythonEnvironments: [],
  };
  /** Task YAML as the analyses read it (cached by modification time). */
  readonly taskFiles = nodeTaskFileSystem();
  /** Started at initialize (lsp/taskIndex.ts). */
  taskIndex: ReturnType<typeof serverTaskIndex> | undefined;
  /** Built at initialize and after every change of the workspace state (lsp/settings.ts). */
  providers!: NodeFactProviders;
  /** The window's service context; a document gets its folder's (`contextOf` in lsp/settings.ts). */
  context!: ServiceContext;
  readonly analyses: DocumentAnalyses;
  readonly sync: ReturnType<typeof documentSync>;

  constructor(readonly connection: Connection) {
    this.analyses = new DocumentAnalyses({
      contextFor: (doc) => analysisContextOf(this, doc),
      parser: new LaunchParser(),
      // The task index's worker waits while a document is analysed: the opened file goes first.
      onBusy: (busy) => this.taskIndex?.pause(busy),
      onStopped: (uri, version, why) => {
        if (why === new AnalysisCancelled().message) connection.console.log(`${why}: ${uri} version ${version}`);
      },
    });
    this.sync = documentSync({
      documents: this.documents,
      analyses: this.analyses,
      lensDocument: (doc) => ({
        path: URI.toPath(doc.uri),
        text: doc.getText(),
        languageId: doc.languageId,
        notebookCell: isNotebookCell(doc.uri),
      }),
      pushes: (uri) => pushesDiagnostics(this.client, uri),
      send: (params) => void connection.sendDiagnostics(params),
      diagnostics: (doc, a) => diagnosticsOf(this.client, doc, a),
      logFailure: (name, err) => this.logFailure(name, err),
      debounceMs: DEBOUNCE_MS,
    });
  }

  /** Re-check every open document (a model arrived from the Hub, task YAML or a task index changed). */
  revalidate(): void {
    this.sync.revalidateAll();
    // A client without refresh support answers with an error: never let that reject unhandled.
    if (this.client.pullDiagnostics) this.connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
  }

  logFailure(name: string, err: unknown): void {
    this.connection.console.error(`${name} failed: ${String((err as Error)?.stack ?? err)}`);
  }

  /** Every handler returns what it can and logs instead of throwing at the client. */
  guard<T>(name: string, fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      this.logFailure(name, err);
      return fallback;
    }
  }
}
