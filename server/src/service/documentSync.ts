// Open documents and their analyses, for the LSP server: requests wait for the analysis of the
// version they were made on (RequestCancelled when the client cancels, ContentModified when the
// document changed meanwhile), pushed diagnostics go out for the current version only (an opened
// file at once, edits after a pause in typing), and re-checks of every open document run one at
// a time in the background.
import {
  CancellationTokenSource,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Diagnostic,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedDocument, LensDocument } from './analyzedDocument';
import { AnalysisCancelled, AnalysisSuperseded, type DocumentAnalyses } from './documentAnalyses';

export interface DocumentSyncOptions {
  documents: TextDocuments<TextDocument>;
  analyses: DocumentAnalyses;
  lensDocument(doc: TextDocument): LensDocument;
  /** Whether the server pushes this document's diagnostics (rather than the client pulling them). */
  pushes(uri: string): boolean;
  send(params: { uri: string; version?: number; diagnostics: Diagnostic[] }): void;
  diagnostics(doc: TextDocument, analysis: AnalyzedDocument): Diagnostic[];
  logFailure(name: string, err: unknown): void;
  debounceMs: number;
}

export function documentSync(opts: DocumentSyncOptions) {
  const { documents, analyses } = opts;
  const timers = new Map<string, NodeJS.Timeout>();
  const publishing = new Map<string, CancellationTokenSource>();
  const justOpened = new Set<string>();

  const analysisOf = (doc: TextDocument, token?: CancellationToken, background = false): Promise<AnalyzedDocument> =>
    analyses.analysis(doc.uri, doc.version, () => opts.lensDocument(doc), token, background);

  /**
   * A request handler on a document's analysis: `RequestCancelled` when the client cancels it (the
   * analysis stops if nothing else waits for it), `ContentModified` when the document changed
   * meanwhile; any other failure is logged and answered with `fallback`, never thrown at the client.
   */
  const onAnalysis =
    <P extends { textDocument: { uri: string } }, T>(
      name: string,
      fallback: T,
      answer: (a: AnalyzedDocument, doc: TextDocument, params: P) => T,
    ) =>
    async (params: P, token: CancellationToken): Promise<T> => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return fallback;
      try {
        return answer(await analysisOf(doc, token), doc, params);
      } catch (err) {
        if (err instanceof AnalysisCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, err.message);
        if (err instanceof AnalysisSuperseded) throw new ResponseError(LSPErrorCodes.ContentModified, err.message);
        opts.logFailure(name, err);
        return fallback;
      }
    };

  /**
   * Push diagnostics of the document's current version; a result for an older version is dropped.
   * `background`: a re-check of every open document, done one document at a time.
   */
  const publish = async (doc: TextDocument, background = false) => {
    if (!opts.pushes(doc.uri)) return;
    publishing.get(doc.uri)?.cancel();
    const source = new CancellationTokenSource();
    publishing.set(doc.uri, source);
    try {
      const a = await analysisOf(doc, source.token, background);
      if (documents.get(doc.uri)?.version !== doc.version) return;
      opts.send({ uri: doc.uri, version: doc.version, diagnostics: opts.diagnostics(doc, a) });
    } catch (err) {
      if (!(err instanceof AnalysisCancelled || err instanceof AnalysisSuperseded)) opts.logFailure('validate', err);
    } finally {
      if (publishing.get(doc.uri) === source) publishing.delete(doc.uri);
      source.dispose();
    }
  };

  return {
    analysisOf,
    onAnalysis,
    /** Re-check every open document (settings, a model from the Hub, a task index changed). */
    revalidateAll() {
      analyses.invalidate();
      for (const doc of documents.all()) void publish(doc, true);
    },
    /** Wire the document events: an opened file is checked at once, edits after a pause in typing. */
    listen() {
      documents.onDidOpen((e) => {
        justOpened.add(e.document.uri);
        void publish(e.document);
      });
      documents.onDidChangeContent((e) => {
        const doc = e.document;
        analyses.supersede(doc.uri, doc.version);
        if (justOpened.delete(doc.uri)) return;
        clearTimeout(timers.get(doc.uri));
        timers.set(
          doc.uri,
          setTimeout(() => {
            timers.delete(doc.uri);
            const current = documents.get(doc.uri);
            if (current) void publish(current);
          }, opts.debounceMs),
        );
      });
      documents.onDidClose((e) => {
        const uri = e.document.uri;
        clearTimeout(timers.get(uri));
        timers.delete(uri);
        justOpened.delete(uri);
        publishing.get(uri)?.cancel();
        analyses.forget(uri);
        if (opts.pushes(uri)) opts.send({ uri, diagnostics: [] });
      });
    },
  };
}
