// Task YAML: validation of examples/tasks/my_qa/my_qa.yaml and go to definition on its include.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openEditor, positionOf, waitFor, waitForDiagnostic, workspaceUri } from './helpers';

const MY_QA = ['tasks', 'my_qa', 'my_qa.yaml'];

suite('task YAML (my_qa)', () => {
  test('doc_to_txt is reported as an unknown-key', async () => {
    const editor = await openEditor(workspaceUri(...MY_QA));
    const d = await waitForDiagnostic(editor.document.uri, 'unknown-key');
    assert.equal(editor.document.getText(d.range), 'doc_to_txt');
    assert.match(d.message, /doc_to_text/, 'suggests the key lm-eval knows');
  });

  test('go to definition on the include value opens _my_qa_template_yaml', async () => {
    const editor = await openEditor(workspaceUri(...MY_QA));
    await waitForDiagnostic(editor.document.uri, 'unknown-key');
    const at = positionOf(editor.document, '_my_qa_template_yaml', 4);
    const targets =
      (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        editor.document.uri,
        at,
      )) ?? [];
    const files = targets.map((t) => path.basename(('targetUri' in t ? t.targetUri : t.uri).fsPath));
    assert.deepEqual(files, ['_my_qa_template_yaml']);

    // and through the editor command, as F12 does
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.revealDefinition');
    const opened = await waitFor('the template to open in the active editor', () => {
      const active = vscode.window.activeTextEditor?.document;
      return active && path.basename(active.uri.fsPath) === '_my_qa_template_yaml' ? active : undefined;
    });
    assert.match(opened.getText(), /^dataset_path: my-org\/my-qa$/m);
  });
});
