// Diagnostics, pushed (textDocument/publishDiagnostics, by service/documentSync.ts) to clients that
// do not pull, and answered to textDocument/diagnostic for those that do. Notebook cells are pushed
// to a pulling client too until it is seen pulling for a cell (VS Code's language client never does).
import {
  DocumentDiagnosticReportKind,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import { isNotebookCell, type ServerSession } from './session';

export function registerPullDiagnostics(session: ServerSession): void {
  const pullDiagnosticsOf = session.sync.onAnalysis<DocumentDiagnosticParams, DocumentDiagnosticReport>(
    'diagnostics',
    { kind: DocumentDiagnosticReportKind.Full, items: [] },
    (a, doc) => ({ kind: DocumentDiagnosticReportKind.Full, items: session.diagnosticsOf(doc, a) }),
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
