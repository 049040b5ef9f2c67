// What the server's features share: the open documents and their analyses, what the client said
// at initialize, what it says about the workspace (settings, trust, Python environments), and the
// providers and service context built from that (a document's: its folder's settings). One session
// per server process; the feature files in lsp/ import it, it imports none of them.
import { DiagnosticRefreshRequest, TextDocuments, type Connection, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { NodeFactProviders } from '../node/providers';
import type { serverTaskIndex } from '../node/serverTaskIndex';
import { nodeTaskFileSystem } from '../node/taskFileSystem';
import { URI } from '../node/uri';
import { isYamlDocument, type AnalyzedDocument, type LensDocument, type ServiceContext } from '../service/analyze';
import { AnalysisCancelled, DocumentAnalyses } from '../service/documentAnalyses';
import { toDiagnostics } from '../service/diagnostics';
import { documentSync } from '../service/documentSync';
import { LaunchParser } from '../node/launchParser';
import type { PythonEnvironment } from '../shared/messages';
import { normalizeSettings, settingsForPath, type LmEvalLensSettings } from '../shared/settings';

const DEBOUNCE_MS = 150;

export const isNotebookCell = (uri: string) => uri.startsWith('vscode-notebook-cell:');

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
  /** The window's service context; a document gets its folder's (`contextOf`). */
  context!: ServiceContext;
  readonly analyses: DocumentAnalyses;
  readonly sync: ReturnType<typeof documentSync>;

  constructor(readonly connection: Connection) {
    this.analyses = new DocumentAnalyses({
      contextFor: (doc) => this.analysisContextOf(doc),
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
      pushes: (uri) => this.pushesDiagnostics(uri),
      send: (params) => void connection.sendDiagnostics(params),
      diagnostics: (doc, a) => this.diagnosticsOf(doc, a),
      logFailure: (name, err) => this.logFailure(name, err),
      debounceMs: DEBOUNCE_MS,
    });
  }

  /** The service context for a document: its workspace folder's settings. */
  contextOf(doc: { uri: string } | { path: string }): ServiceContext {
    const own = settingsForPath('path' in doc ? doc.path : URI.toPath(doc.uri), this.workspace.folderSettings);
    if (!own || own === this.workspace.settings) return this.context;
    return {
      ...this.context,
      settings: own,
      taskConfig: { ...this.context.taskConfig, harnessVersion: own.harnessVersion || undefined },
    };
  }

  /** Task YAML is checked against the workspace's and the installed lm-eval's names: views, not copies. */
  private analysisContextOf(doc: LensDocument): ServiceContext {
    const docCtx = this.contextOf(doc);
    if (!isYamlDocument(doc)) return docCtx;
    const taskConfig = {
      ...docCtx.taskConfig,
      workspaceNames: this.providers.workspaceTaskNames(),
      builtinNames: this.providers.builtinTaskNames(doc.path),
    };
    return { ...docCtx, taskConfig };
  }

  /**
   * Whether the server pushes this document's diagnostics (rather than the client pulling them):
   * to a pulling client, notebook cells until it is seen pulling for one (lsp/diagnostics.ts).
   */
  private pushesDiagnostics(uri: string): boolean {
    return !this.client.pullDiagnostics || (isNotebookCell(uri) && !this.client.cellsArePulled);
  }

  diagnosticsOf(doc: TextDocument, a: AnalyzedDocument): Diagnostic[] {
    const { relatedInformation } = this.client;
    return toDiagnostics(a.findings, doc, { relatedUri: URI.fromPath, relatedInformation });
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
