// Diagnostics, pushed (textDocument/publishDiagnostics, by service/documentSync.ts) to clients that
// do not pull, and answered to textDocument/diagnostic for those that do. Notebook cells are pushed
// to a pulling client too until it is seen pulling for a cell (VS Code's language client never does).
import {
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from '../node/uri';
import type { AnalyzedDocument } from '../service/analyze';
import { toDiagnostics } from '../service/diagnostics';
import type { ClientInfo, ServerSession } from './session';

export const isNotebookCell = (uri: string) => uri.startsWith('vscode-notebook-cell:');

/** Whether the server pushes this document's diagnostics (rather than the client pulling them). */
export function pushesDiagnostics(client: ClientInfo, uri: string): boolean {
  return !client.pullDiagnostics || (isNotebookCell(uri) && !client.cellsArePulled);
}

export function diagnosticsOf(client: ClientInfo, doc: TextDocument, a: AnalyzedDocument): Diagnostic[] {
  return toDiagnostics(a.findings, doc, { relatedUri: URI.fromPath, relatedInformation: client.relatedInformation });
}

export function registerPullDiagnostics(session: ServerSession): void {
  const pullDiagnosticsOf = session.sync.onAnalysis<DocumentDiagnosticParams, DocumentDiagnosticReport>(
    'diagnostics',
    { kind: DocumentDiagnosticReportKind.Full, items: [] },
    (a, doc) => ({ kind: DocumentDiagnosticReportKind.Full, items: diagnosticsOf(session.client, doc, a) }),
  );
  session.connection.languages.diagnostics.on((params, token) => {
    if (isNotebookCell(params.textDocument.uri) && !session.client.cellsArePulled) {
      // This client pulls for cells: the pushed ones are cleared, from now on it pulls them.
      session.client.cellsArePulled = true;
      for (const d of session.documents.all())
        if (isNotebookCell(d.uri)) void session.connection.sendDiagnostics({ uri: d.uri, diagnostics: [] });
    }
    return pullDiagnosticsOf(params, token);
  });
}
