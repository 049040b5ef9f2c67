// Workspace trust, as the client tells it (lmEvalLens/trust): only a trusted workspace's
// settings may have the server run an executable (nvidia-smi; node/providers.ts).
import { TrustNotification } from '../shared/messages';
import type { ServerSession } from './session';
import { reconfigure } from './settings';

export function registerWorkspaceTrust(session: ServerSession): void {
  session.connection.onNotification(TrustNotification, (p) => {
    session.workspace.trusted = p?.trusted === true;
    void reconfigure(session);
  });
}
