// Hover, completion, go to definition, document links and inlay hints: each request waits for the
// analysis of the document's version (service/documentSync.ts: cancellation, stale results) and is
// answered by the language service with the document's folder settings.
import { hover } from '../service/hover';
import { inlayHints } from '../service/inlayHints';
import { completion, definition, documentLinks } from '../service/navigation';
import type { ServerSession } from './session';

export function registerLanguageFeatures(session: ServerSession): void {
  const { connection, documents } = session;
  const { onAnalysis } = session.sync;
  connection.onHover(
    onAnalysis('hover', null, (a, doc, p) => hover(a, doc, doc.offsetAt(p.position), session.contextOf(doc))),
  );
  connection.onCompletion(
    onAnalysis('completion', [], (a, doc, p) => completion(a, doc, doc.offsetAt(p.position), session.contextOf(doc))),
  );
  connection.onDefinition(
    onAnalysis('definition', [], (a, doc, p) => definition(a, doc.offsetAt(p.position), session.contextOf(doc))),
  );
  connection.onDocumentLinks(onAnalysis('documentLinks', [], (a, doc) => documentLinks(a, session.contextOf(doc))));
  connection.languages.inlayHint.on((p, token) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc || !session.contextOf(doc).settings.inlayHints) return [];
    return onAnalysis('inlayHint', [], (a) => inlayHints(a, doc, p.range))(p, token);
  });
}
