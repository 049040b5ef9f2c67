// Notebook cells: VS Code's language client never pulls diagnostics for cells, so the server pushes
// them. Open examples/seed.ipynb as a notebook and wait for the float32-weights warning on its cell.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, waitFor, workspaceUri } from './helpers';

suite('notebook', () => {
  test('a !lm_eval cell gets the float32-weights diagnostic', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(workspaceUri('seed.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.getCells().find((c) => /lm_eval/.test(c.document.getText()));
    assert.ok(cell, 'the notebook has an lm_eval cell');
    assert.equal(cell.document.uri.scheme, 'vscode-notebook-cell');
    const d = await waitFor('a float32-weights diagnostic on the notebook cell', () =>
      vscode.languages
        .getDiagnostics(cell.document.uri)
        .find((x) => x.source === 'lm-eval-lens' && codeOf(x) === 'float32-weights'),
    );
    assert.match(cell.document.getText(d.range), /float/);
  });
});
