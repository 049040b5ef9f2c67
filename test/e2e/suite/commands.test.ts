// Commands once the language client runs (activation.test.ts covers them before any lm-eval file
// is open; the Playwright smoke test checks the language status item, which the API cannot read).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  lensDiagnostics,
  openEditor,
  scratchCopy,
  waitFor,
  waitForDiagnostic,
  workspaceUri,
} from './helpers';

suite('commands', () => {
  test('Restart Server: a new server answers, with the same findings', async () => {
    const editor = await openEditor(workspaceUri('seed-qwen1.5-4b.sh'));
    await waitForDiagnostic(editor.document.uri, 'float32-weights');
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    await vscode.commands.executeCommand('lmEvalLens.restartServer');
    // A file opened after the restart can only get its diagnostics from the new server.
    const copy = scratchCopy('seed-qwen1.5-4b.sh', 'after-restart.sh');
    const reopened = await openEditor(copy);
    await waitForDiagnostic(reopened.document.uri, 'float32-weights');
    await waitFor('the seed script checked again', () =>
      lensDiagnostics(editor.document.uri).length ? true : undefined,
    );
  });
});
