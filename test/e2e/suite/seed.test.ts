// The seed script (lm-eval issue #1923, Qwen1.5-4B OOM at dtype=float): diagnostics, hover, the
// preferred quick fix and the enforce_eager refactoring, through the real vscode-languageclient.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  codeActions,
  codeOf,
  describeDiagnostics,
  hoverText,
  lensDiagnostics,
  openEditor,
  positionOf,
  scratchCopy,
  waitFor,
  waitForDiagnostic,
  workspaceUri,
} from './helpers';

const SEED = 'seed-qwen1.5-4b.sh';

suite('seed script (Qwen1.5-4B, dtype=float)', () => {
  test('opening it activates the extension and publishes a float32-weights warning on dtype=float', async () => {
    const editor = await openEditor(workspaceUri(SEED));
    const d = await waitForDiagnostic(editor.document.uri, 'float32-weights');
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true, 'extension active');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(editor.document.getText(d.range), /float/);
    assert.match(d.message, /float32/);
    // the code links to its documentation section
    const code = d.code as { value: string; target: vscode.Uri };
    assert.match(code.target.toString(), /rules\.md#float32-weights$/);
  });

  test('hover on the model_args shows the GiB breakdown for the A100-80GB', async () => {
    const editor = await openEditor(workspaceUri(SEED));
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'float32-weights');
    const text = await hoverText(uri, positionOf(editor.document, 'pretrained=', 3));
    assert.match(text, /Weights/);
    assert.match(text, /GiB/);
    assert.match(text, /A100-80GB/);
  });

  test('the preferred quick fix is "Set dtype=auto"; applying it edits the text and the warning goes away', async () => {
    const uri = scratchCopy(SEED, 'scratch/quickfix.sh');
    const editor = await openEditor(uri);
    const d = await waitForDiagnostic(uri, 'float32-weights');
    // A request that races a document sync comes back empty (the client drops it): ask until the
    // server has answered for the current text.
    const actions = await waitFor('quick fixes for float32-weights', async () => {
      const found = await codeActions(uri, d.range, vscode.CodeActionKind.QuickFix.value);
      return found.some((a) => a.isPreferred) ? found : undefined;
    });
    const preferred = actions.filter((a) => a.isPreferred);
    assert.deepEqual(
      preferred.map((a) => a.title),
      ['Set dtype=auto'],
      `actions: ${actions.map((a) => a.title).join(' | ')}`,
    );
    assert.ok(preferred[0].edit, 'the fix carries an edit');
    assert.equal(await vscode.workspace.applyEdit(preferred[0].edit), true);
    assert.match(editor.document.getText(), /pretrained=Qwen\/Qwen1\.5-4B,dtype=auto,gpu_memory_utilization=0\.6/);
    await waitFor(`float32-weights to disappear (now: ${describeDiagnostics(uri)})`, () =>
      lensDiagnostics(uri).some((x) => codeOf(x) === 'float32-weights') ? undefined : true,
    );
  });

  test('the refactoring "Add enforce_eager=True (run without CUDA graphs)" appends the argument', async () => {
    const uri = scratchCopy(SEED, 'scratch/refactor.sh');
    const editor = await openEditor(uri);
    await waitForDiagnostic(uri, 'float32-weights');
    // ',max_model_len=' is in the command; the comment above it also says max_model_len=1024
    const at = positionOf(editor.document, ',max_model_len=', 3);
    const actions = await waitFor('the enforce_eager refactoring', async () => {
      const found = await codeActions(uri, new vscode.Range(at, at));
      return found.some((a) => a.title === 'Add enforce_eager=True (run without CUDA graphs)') ? found : undefined;
    });
    const eager = actions.find((a) => a.title === 'Add enforce_eager=True (run without CUDA graphs)');
    assert.ok(eager?.edit, `actions: ${actions.map((a) => `${a.title} [${a.kind?.value}]`).join(' | ')}`);
    assert.equal(eager.kind?.value, 'refactor.rewrite');
    assert.equal(await vscode.workspace.applyEdit(eager.edit), true);
    assert.match(editor.document.getText(), /--model_args \S*max_model_len=1024,enforce_eager=True\b/);
  });
});
