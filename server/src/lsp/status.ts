// The client's language status item (service/status.ts): lmEvalLens/documentStatus, the GPU, vLLM
// version and verdict in effect for the active document (from the analysis of its current version),
// and lmEvalLens/gpuCatalog, the GPU names the "Select GPU" picker offers.
import { documentStatus, gpuCatalogNames } from '../service/status';
import { DocumentStatusRequest, GpuCatalogRequest } from '../shared/messages';
import type { ServerSession } from './session';

export function registerStatus(session: ServerSession): void {
  session.connection.onRequest(DocumentStatusRequest, async (p, token) => {
    const doc = p?.uri ? session.documents.get(p.uri) : undefined;
    if (!doc) return documentStatus(undefined, session.workspace.settings);
    return session.sync.onAnalysis('documentStatus', null, (a) => documentStatus(a, session.contextOf(doc).settings))(
      { textDocument: { uri: doc.uri } },
      token,
    );
  });
  session.connection.onRequest(GpuCatalogRequest, () => gpuCatalogNames());
}
