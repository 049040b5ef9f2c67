// Code actions: the findings' fixes and refactorings (service/codeActions.ts), and among the quick
// fixes the offer to fetch a model's config.json the estimate lacks (service/modelConfigActions.ts).
import { CodeActionKind } from 'vscode-languageserver';
import { codeActions } from '../service/codeActions';
import { modelConfigActions } from '../service/modelConfigActions';
import type { ServerSession } from './session';

export function registerCodeActions(session: ServerSession): void {
  session.connection.onCodeAction(
    session.sync.onAnalysis('codeAction', [], (a, doc, p) => {
      const quickFixes = !p.context.only || p.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k));
      return [
        ...codeActions(a, doc, p.range, p.context.only),
        ...(quickFixes
          ? modelConfigActions(a, doc, p.range, { allowNetworkCommand: session.client.allowNetworkCommand })
          : []),
      ];
    }),
  );
}
