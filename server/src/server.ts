// LSP wiring only: every request is routed into the language service in service/.
import {
  CodeActionKind,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from './node/uri';
import { nodeFactProviders, type NodeFactProviders } from './node/providers';
import { onRuleError } from './rules';
import { analyzeDocument, type AnalyzedDocument, type ServiceContext } from './service/analyze';
import { codeActions } from './service/codeActions';
import { completion, definition, documentLinks } from './service/navigation';
import { toDiagnostics } from './service/diagnostics';
import { hover } from './service/hover';
import { inlayHints } from './service/inlayHints';
import { codeLenses, gpuTableAt, resolveCodeLens, syntheticLaunch } from './service/codeLens';
import { documentStatus, gpuCatalogNames } from './service/status';
import {
  DocumentStatusRequest,
  GpuCatalogRequest,
  GpuTableRequest,
  PythonEnvironmentsNotification,
  pythonEnvironmentsFrom,
  TrustNotification,
  type PythonEnvironment,
} from './shared/messages';
import { normalizeSettings, settingsForPath, type LmEvalLensSettings } from './shared/settings';
import { nodeTaskFileSystem } from './node/taskFileSystem';

const DEBOUNCE_MS = 150;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, { version: number; analysis: AnalyzedDocument }>();
  const timers = new Map<string, NodeJS.Timeout>();
  let settings: LmEvalLensSettings = normalizeSettings(undefined);
  /** Resource-scoped settings of each workspace folder (multi-root workspaces, folder settings). */
  let folderSettings = new Map<string, LmEvalLensSettings>();
  let trusted = false;
  let roots: string[] = [];
  let pullDiagnostics = false;
  let configurationPull = false;
  let relatedInformation = true;
  // VS Code's language client pulls diagnostics only for documents shown in a tab, never for
  // notebook cells: push those until a client is seen pulling for a cell.
  let cellsArePulled = false;
  const isCell = (uri: string) => uri.startsWith('vscode-notebook-cell:');
  let ctx: ServiceContext;
  let providers: NodeFactProviders;
  let hubCacheDir: string | undefined;
  let pythonEnvironments: PythonEnvironment[] = [];
  const taskFs = nodeTaskFileSystem();
  const rebuildContext = () => {
    providers = nodeFactProviders({
      settings,
      workspaceRoots: roots,
      trusted,
      hubCacheDir,
      pythonEnvironments,
      onModelResolved: () => revalidate(),
    });
    ctx = {
      settings,
      providers,
      taskConfig: { fs: taskFs, harnessVersion: settings.harnessVersion || undefined },
    };
    cache.clear();
  };
  /** The service context for a document: its workspace folder's settings. */
  const contextOf = (doc: TextDocument): ServiceContext => {
    const own = settingsForPath(URI.toPath(doc.uri), folderSettings);
    if (!own || own === settings) return ctx;
    return {
      ...ctx,
      settings: own,
      taskConfig: { ...ctx.taskConfig, harnessVersion: own.harnessVersion || undefined },
    };
  };
  onRuleError((code, err) => connection.console.error(`rule ${code} failed: ${String((err as Error)?.stack ?? err)}`));

  const analysisOf = (doc: TextDocument): AnalyzedDocument => {
    const hit = cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    const notebookCell = doc.uri.startsWith('vscode-notebook-cell:');
    const path = URI.toPath(doc.uri);
    const docCtx = contextOf(doc);
    const taskConfig = /\.ya?ml$/i.test(path)
      ? {
          ...docCtx.taskConfig,
          workspaceNames: providers.workspaceTaskNames(),
          builtinNames: providers.builtinTaskNames(path),
        }
      : docCtx.taskConfig;
    const analysis = analyzeDocument(
      { path, text: doc.getText(), languageId: doc.languageId, notebookCell },
      { ...docCtx, taskConfig },
    );
    cache.set(doc.uri, { version: doc.version, analysis });
    return analysis;
  };
  const diagnosticsOf = (doc: TextDocument) =>
    toDiagnostics(analysisOf(doc).findings, doc, { relatedUri: URI.fromPath, relatedInformation });
  /** Every handler returns what it can and logs instead of throwing at the client. */
  const guard = <T>(name: string, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      connection.console.error(`${name} failed: ${String((err as Error)?.stack ?? err)}`);
      return fallback;
    }
  };

  const publish = (doc: TextDocument) =>
    guard('validate', undefined, () => {
      if (pullDiagnostics && (cellsArePulled || !isCell(doc.uri))) return;
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnosticsOf(doc) });
    });
  const schedule = (doc: TextDocument) => {
    clearTimeout(timers.get(doc.uri));
    timers.set(
      doc.uri,
      setTimeout(() => {
        timers.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (current) publish(current);
      }, DEBOUNCE_MS),
    );
  };
  /** Re-check every open document (a model arrived from the Hub, task YAML changed). */
  const revalidate = () => {
    cache.clear();
    for (const doc of documents.all()) publish(doc);
    // A client without refresh support answers with an error: never let that reject unhandled.
    if (pullDiagnostics) connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
  };
  /** Settings or trust changed: new providers, then re-check. */
  const refreshAll = async () => {
    if (configurationPull) {
      // The window's settings, then each folder's (resource scope: folder settings override them).
      const scopes = [
        { section: 'lmEvalLens' },
        ...roots.map((r) => ({ section: 'lmEvalLens', scopeUri: URI.fromPath(r) })),
      ];
      const values: unknown[] = await connection.workspace.getConfiguration(scopes).catch(() => []);
      settings = normalizeSettings(values[0]);
      folderSettings = new Map(roots.map((r, i) => [r, normalizeSettings(values[i + 1] ?? values[0])]));
    }
    rebuildContext();
    revalidate();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as {
      settings?: unknown;
      trusted?: boolean;
      storagePath?: string;
      pythonEnvironments?: unknown;
    };
    settings = normalizeSettings(init.settings);
    trusted = init.trusted === true;
    if (typeof init.storagePath === 'string' && init.storagePath) hubCacheDir = `${init.storagePath}/hub`;
    pythonEnvironments = pythonEnvironmentsFrom(init.pythonEnvironments);
    roots = (params.workspaceFolders ?? []).map((f) => URI.toPath(f.uri));
    if (!roots.length && params.rootUri) roots = [URI.toPath(params.rootUri)];
    pullDiagnostics = !!params.capabilities.textDocument?.diagnostic;
    configurationPull = !!params.capabilities.workspace?.configuration;
    // Pull-diagnostic clients (VS Code) show relatedInformation; push clients say whether they do.
    relatedInformation = pullDiagnostics || !!params.capabilities.textDocument?.publishDiagnostics?.relatedInformation;
    rebuildContext();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        inlayHintProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', ',', '='] },
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: true },
        ...(pullDiagnostics
          ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } }
          : {}),
      },
      serverInfo: { name: 'lm-eval-lens' },
    };
  });
  connection.onInitialized(() => {
    if (configurationPull)
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'lmEvalLens' });
    void refreshAll();
  });
  connection.onDidChangeConfiguration((change) => {
    const s = (change.settings as { lmEvalLens?: unknown } | undefined)?.lmEvalLens;
    if (s && !configurationPull) settings = normalizeSettings(s);
    void refreshAll();
  });
  connection.onNotification(PythonEnvironmentsNotification, (p) => {
    pythonEnvironments = pythonEnvironmentsFrom(p?.environments);
    void refreshAll();
  });
  connection.onNotification(TrustNotification, (p) => {
    trusted = p?.trusted === true;
    void refreshAll();
  });

  documents.onDidChangeContent((e) => schedule(e.document));
  // Task names resolve against the workspace's YAML: re-index when it changes.
  const tasksChanged = () => {
    providers.invalidateWorkspaceTasks();
    revalidate();
  };
  documents.onDidSave((e) => {
    if (/\.ya?ml$/i.test(e.document.uri)) tasksChanged();
  });
  connection.onDidChangeWatchedFiles(() => {
    providers.invalidateProjectFiles();
    tasksChanged();
  });
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    cache.delete(e.document.uri);
    if (!pullDiagnostics || (isCell(e.document.uri) && !cellsArePulled))
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on((params) => {
    if (isCell(params.textDocument.uri) && !cellsArePulled) {
      cellsArePulled = true;
      for (const d of documents.all())
        if (isCell(d.uri)) void connection.sendDiagnostics({ uri: d.uri, diagnostics: [] });
    }
    const doc = documents.get(params.textDocument.uri);
    const items = doc ? guard('diagnostics', [], () => diagnosticsOf(doc)) : [];
    return { kind: DocumentDiagnosticReportKind.Full, items };
  });
  connection.onHover((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc
      ? guard('hover', null, () => hover(analysisOf(doc), doc, doc.offsetAt(p.position), contextOf(doc)))
      : null;
  });
  connection.onCodeAction((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? guard('codeAction', [], () => codeActions(analysisOf(doc), doc, p.range, p.context.only)) : [];
  });
  connection.languages.inlayHint.on((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc || !contextOf(doc).settings.inlayHints) return [];
    return guard('inlayHint', [], () => inlayHints(analysisOf(doc), doc, p.range));
  });
  connection.onCompletion((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc
      ? guard('completion', [], () => completion(analysisOf(doc), doc, doc.offsetAt(p.position), contextOf(doc)))
      : [];
  });
  connection.onDefinition((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc
      ? guard('definition', [], () => definition(analysisOf(doc), doc.offsetAt(p.position), contextOf(doc)))
      : [];
  });
  connection.onDocumentLinks((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? guard('documentLinks', [], () => documentLinks(analysisOf(doc), contextOf(doc))) : [];
  });
  connection.onRequest(DocumentStatusRequest, (p) => {
    const doc = p?.uri ? documents.get(p.uri) : undefined;
    return guard('documentStatus', null, () =>
      documentStatus(doc ? analysisOf(doc) : undefined, doc ? contextOf(doc).settings : settings),
    );
  });
  connection.onRequest(GpuCatalogRequest, () => gpuCatalogNames());
  connection.onCodeLens((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc && settings.codeLens ? guard('codeLens', [], () => codeLenses(analysisOf(doc), doc)) : [];
  });
  connection.onCodeLensResolve((lens) => {
    const doc = documents.get((lens.data as { uri?: string } | undefined)?.uri ?? '');
    return doc ? guard('codeLensResolve', lens, () => resolveCodeLens(lens, analysisOf(doc))) : lens;
  });
  connection.onRequest(GpuTableRequest, (p) =>
    guard('gpuTable', null, () => {
      if ('modelArgs' in p) {
        const path = `${roots[0] ?? process.cwd()}/lm-eval-lens-gpu-table.sh`;
        return gpuTableAt(analyzeDocument({ path, text: syntheticLaunch(p.modelArgs, p.tasks) }, ctx)) ?? null;
      }
      const doc = documents.get(p.uri);
      return doc ? (gpuTableAt(analysisOf(doc), p.offset) ?? null) : null;
    }),
  );

  documents.listen(connection);
  connection.listen();
}
