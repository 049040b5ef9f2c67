// The contributed commands exist once the client has started (the language status item's command
// opens the GPU picker; the Playwright smoke test checks the item itself, which the API cannot read).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, openEditor, waitForDiagnostic, workspaceUri } from './helpers';

suite('commands', () => {
  test('lmEvalLens.selectGpu and lmEvalLens.selectVllmVersion are registered after activation', async () => {
    const editor = await openEditor(workspaceUri('seed-qwen1.5-4b.sh'));
    await waitForDiagnostic(editor.document.uri, 'float32-weights');
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('lmEvalLens.selectGpu'), 'selectGpu');
    assert.ok(commands.includes('lmEvalLens.selectVllmVersion'), 'selectVllmVersion');
  });
});
