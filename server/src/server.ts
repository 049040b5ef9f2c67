// LSP wiring only: every request is routed into the language service in service/.
import {
  CodeActionKind,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from './node/uri';
import { nodeWorkspaceScripts } from './node/workspaceScripts';
import { nodeFactProviders, type NodeFactProviders } from './node/providers';
import { onRuleError } from './rules';
import { analyzeDocument, isYamlDocument, type LensDocument, type ServiceContext } from './service/analyze';
import { AnalysisCancelled, DocumentAnalyses } from './service/documentAnalyses';
import { documentSync } from './service/documentSync';
import { LaunchParser } from './service/launchParser';
import { serverTaskIndex } from './node/serverTaskIndex';
import { builtinTaskIndex, type IndexPass } from './tasks';
import { codeActions } from './service/codeActions';
import {
  ALLOW_NETWORK_COMMAND,
  FETCH_MODEL_CONFIG_COMMAND,
  fetchArgsFrom,
  modelConfigActions,
} from './service/modelConfigActions';
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
/** The task index resumes once no document has been analysed for this long (a burst of opened files goes first). */
const INDEX_QUIET_MS = 50;
const WARM_UP_DELAY_MS = 500;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
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
  /** The client runs lmEvalLens.allowNetwork (VS Code's client does; it says so at initialize). */
  let allowNetworkCommand = false;
  let ctx: ServiceContext;
  let providers: NodeFactProviders;
  let pythonEnvironments: PythonEnvironment[] = [];
  let taskIndex: ReturnType<typeof serverTaskIndex> | undefined;
  const taskFs = nodeTaskFileSystem();
  const analyses = new DocumentAnalyses({
    contextFor: (doc) => analysisContext(doc),
    parser: new LaunchParser(),
    // The task index's worker waits while a document is analysed: the opened file goes first.
    onBusy: (busy) => taskIndex?.pause(busy),
    onStopped: (uri, version, why) => {
      if (why === new AnalysisCancelled().message) connection.console.log(`${why}: ${uri} version ${version}`);
    },
  });
  const rebuildContext = () => {
    providers = nodeFactProviders({
      settings,
      workspaceRoots: roots,
      trusted,
      pythonEnvironments,
      onModelResolved: () => revalidate(),
      taskIndex: taskIndex?.taskIndex,
    });
    ctx = {
      settings,
      providers,
      taskConfig: { fs: taskFs, harnessVersion: settings.harnessVersion || undefined },
      workspaceScripts: nodeWorkspaceScripts(roots),
      fileUri: URI.fromPath,
    };
    analyses.invalidate();
  };
  /** The service context for a document: its workspace folder's settings. */
  const contextOf = (doc: { uri: string } | { path: string }): ServiceContext => {
    const own = settingsForPath('path' in doc ? doc.path : URI.toPath(doc.uri), folderSettings);
    if (!own || own === settings) return ctx;
    return {
      ...ctx,
      settings: own,
      taskConfig: { ...ctx.taskConfig, harnessVersion: own.harnessVersion || undefined },
    };
  };
  onRuleError((code, err) => connection.console.error(`rule ${code} failed: ${String((err as Error)?.stack ?? err)}`));

  /** Task YAML is checked against the workspace's and the installed lm-eval's names: views, not copies. */
  const analysisContext = (doc: LensDocument): ServiceContext => {
    const docCtx = contextOf(doc);
    if (!isYamlDocument(doc)) return docCtx;
    const taskConfig = {
      ...docCtx.taskConfig,
      workspaceNames: providers.workspaceTaskNames(),
      builtinNames: providers.builtinTaskNames(doc.path),
    };
    return { ...docCtx, taskConfig };
  };
  const logFailure = (name: string, err: unknown) =>
    connection.console.error(`${name} failed: ${String((err as Error)?.stack ?? err)}`);
  /** Every handler returns what it can and logs instead of throwing at the client. */
  const guard = <T>(name: string, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      logFailure(name, err);
      return fallback;
    }
  };
  const sync = documentSync({
    documents,
    analyses,
    lensDocument: (doc) => ({
      path: URI.toPath(doc.uri),
      text: doc.getText(),
      languageId: doc.languageId,
      notebookCell: isCell(doc.uri),
    }),
    pushes: (uri) => !pullDiagnostics || (isCell(uri) && !cellsArePulled),
    send: (params) => void connection.sendDiagnostics(params),
    diagnostics: (doc, a) => toDiagnostics(a.findings, doc, { relatedUri: URI.fromPath, relatedInformation }),
    logFailure,
    debounceMs: DEBOUNCE_MS,
  });
  const { onAnalysis } = sync;
  /** Re-check every open document (a model arrived from the Hub, task YAML or a task index changed). */
  const revalidate = () => {
    sync.revalidateAll();
    // A client without refresh support answers with an error: never let that reject unhandled.
    if (pullDiagnostics) connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
  };
  let revalidateSoon: NodeJS.Timeout | undefined;
  const indexUpdated = (root: string, pass: IndexPass) => {
    connection.console.log(
      `task index of ${root} ready: ${pass.names} names; this pass looked at ${pass.files} files, ${pass.reused} unchanged since they were last indexed`,
    );
    clearTimeout(revalidateSoon);
    revalidateSoon = setTimeout(revalidate, 0);
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
      clientCommands?: unknown;
    };
    settings = normalizeSettings(init.settings);
    trusted = init.trusted === true;
    allowNetworkCommand = Array.isArray(init.clientCommands) && init.clientCommands.includes(ALLOW_NETWORK_COMMAND);
    taskIndex = serverTaskIndex({
      storagePath: typeof init.storagePath === 'string' ? init.storagePath : undefined,
      idle: () => analyses.whenIdle(INDEX_QUIET_MS),
      createProgress: () => connection.window.createWorkDoneProgress(),
      onUpdated: indexUpdated,
    });
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
        executeCommandProvider: { commands: [FETCH_MODEL_CONFIG_COMMAND] },
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
    // Decode the built-in task index (~50 ms) once the files opened with the editor are checked,
    // rather than in the middle of a big script's analysis later.
    setTimeout(() => {
      void analyses.whenIdle(INDEX_QUIET_MS).then(() => guard('warm-up', undefined, () => builtinTaskIndex()));
    }, WARM_UP_DELAY_MS);
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

  sync.listen();
  // Task names resolve against the workspace's YAML: re-index what changed (in the background).
  const tasksChanged = (files: string[]) => {
    providers.invalidateWorkspaceTasks(files);
    revalidate();
  };
  documents.onDidSave((e) => tasksChanged([URI.toPath(e.document.uri)]));
  connection.onDidChangeWatchedFiles((p) => {
    providers.invalidateProjectFiles();
    tasksChanged(p.changes.map((c) => URI.toPath(c.uri)));
  });

  const pullDiagnosticsOf = onAnalysis<DocumentDiagnosticParams, DocumentDiagnosticReport>(
    'diagnostics',
    { kind: DocumentDiagnosticReportKind.Full, items: [] },
    (a, doc) => ({
      kind: DocumentDiagnosticReportKind.Full,
      items: toDiagnostics(a.findings, doc, { relatedUri: URI.fromPath, relatedInformation }),
    }),
  );
  connection.languages.diagnostics.on((params, token) => {
    if (isCell(params.textDocument.uri) && !cellsArePulled) {
      cellsArePulled = true;
      for (const d of documents.all())
        if (isCell(d.uri)) void connection.sendDiagnostics({ uri: d.uri, diagnostics: [] });
    }
    return pullDiagnosticsOf(params, token);
  });
  connection.onHover(onAnalysis('hover', null, (a, doc, p) => hover(a, doc, doc.offsetAt(p.position), contextOf(doc))));
  connection.onCodeAction(
    onAnalysis('codeAction', [], (a, doc, p) => {
      const quickFixes = !p.context.only || p.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k));
      return [
        ...codeActions(a, doc, p.range, p.context.only),
        ...(quickFixes ? modelConfigActions(a, doc, p.range, { allowNetworkCommand }) : []),
      ];
    }),
  );
  // "Fetch config.json for ORG/NAME": one fetch the user asked for; open documents re-check when it lands.
  connection.onExecuteCommand(async (p) => {
    if (p.command !== FETCH_MODEL_CONFIG_COMMAND) return null;
    const args = fetchArgsFrom(p.arguments);
    if (!args) return { ok: false, message: 'lmEvalLens.fetchModelConfig needs [{ id: "ORG/NAME" }]' };
    const result = await providers.fetchModelConfig(args.id, args.revision).catch((e: Error) => ({
      ok: false,
      message: `Fetching config.json for ${args.id} failed: ${e.message}`,
    }));
    // A notification, not window/showMessageRequest: every client shows it and none has to answer.
    if (!result.ok)
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: result.message,
      });
    return result;
  });
  connection.languages.inlayHint.on((p, token) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc || !contextOf(doc).settings.inlayHints) return [];
    return onAnalysis('inlayHint', [], (a) => inlayHints(a, doc, p.range))(p, token);
  });
  connection.onCompletion(
    onAnalysis('completion', [], (a, doc, p) => completion(a, doc, doc.offsetAt(p.position), contextOf(doc))),
  );
  connection.onDefinition(
    onAnalysis('definition', [], (a, doc, p) => definition(a, doc.offsetAt(p.position), contextOf(doc))),
  );
  connection.onDocumentLinks(onAnalysis('documentLinks', [], (a, doc) => documentLinks(a, contextOf(doc))));
  connection.onRequest(DocumentStatusRequest, async (p, token) => {
    const doc = p?.uri ? documents.get(p.uri) : undefined;
    if (!doc) return documentStatus(undefined, settings);
    return onAnalysis('documentStatus', null, (a) => documentStatus(a, contextOf(doc).settings))(
      { textDocument: { uri: doc.uri } },
      token,
    );
  });
  connection.onRequest(GpuCatalogRequest, () => gpuCatalogNames());
  connection.onCodeLens((p, token) =>
    settings.codeLens ? onAnalysis('codeLens', [], (a, doc) => codeLenses(a, doc))(p, token) : [],
  );
  connection.onCodeLensResolve((lens, token) => {
    const uri = (lens.data as { uri?: string } | undefined)?.uri ?? '';
    return onAnalysis('codeLensResolve', lens, (a) => resolveCodeLens(lens, a))({ textDocument: { uri } }, token);
  });
  connection.onRequest(GpuTableRequest, (p, token) => {
    if ('modelArgs' in p)
      return guard('gpuTable', null, () => {
        const file = `${roots[0] ?? process.cwd()}/lm-eval-lens-gpu-table.sh`;
        const text = syntheticLaunch(p.modelArgs, p.tasks);
        return gpuTableAt(analyzeDocument({ path: file, text }, ctx)) ?? null;
      });
    return onAnalysis(
      'gpuTable',
      null,
      (a) => gpuTableAt(a, p.offset) ?? null,
    )({ textDocument: { uri: p.uri } }, token);
  });

  // The task index's disk cache is written in the background: finish before the process exits.
  connection.onShutdown(() => taskIndex?.taskIndex.dispose());

  documents.listen(connection);
  connection.listen();
}
