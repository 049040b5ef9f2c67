// The lmEvalLens.fetchModelConfig command: "Fetch config.json for ORG/NAME", one fetch the user
// asked for (a quick fix offers it); open documents re-check when it lands.
import { MessageType, ShowMessageNotification } from 'vscode-languageserver';
import { FETCH_MODEL_CONFIG_COMMAND, fetchArgsFrom } from '../service/modelConfigActions';
import type { ServerSession } from './session';

export function registerFetchModelConfig(session: ServerSession): void {
  session.connection.onExecuteCommand(async (p) => {
    if (p.command !== FETCH_MODEL_CONFIG_COMMAND) return null;
    const args = fetchArgsFrom(p.arguments);
    if (!args) return { ok: false, message: 'lmEvalLens.fetchModelConfig needs [{ id: "ORG/NAME" }]' };
    const result = await session.providers.fetchModelConfig(args.id, args.revision).catch((e: Error) => ({
      ok: false,
      message: `Fetching config.json for ${args.id} failed: ${e.message}`,
    }));
    // A notification, not window/showMessageRequest: every client shows it and none has to answer.
    if (!result.ok)
      void session.connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: result.message,
      });
    return result;
  });
}
