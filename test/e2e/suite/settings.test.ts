// A settings change reaches the server (workspace/configuration pull + didChangeConfiguration) and
// re-validates open documents: Llama-3.1-8B with its 131,072-token default context fits an
// A100-80GB (the fallback GPU) but not a 24 GB L4.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  codeOf,
  describeDiagnostics,
  hoverText,
  lensDiagnostics,
  openEditor,
  positionOf,
  resetLensSetting,
  scratchCopy,
  waitFor,
} from './helpers';

// Without its `# lm-eval-lens: gpu=L4` directive (which wins over settings) the GPU comes from settings.
const withoutDirective = (text: string) => text.replace(/^# lm-eval-lens:.*\n/m, '');

suite('settings', () => {
  teardown(() => resetLensSetting('gpu'));

  test('lmEvalLens.gpu = L4 re-validates an open script: the hover and the diagnostics follow the GPU', async () => {
    const uri = scratchCopy('long-context-on-l4.sh', 'scratch/gpu-from-settings.sh', withoutDirective);
    const editor = await openEditor(uri);
    const at = positionOf(editor.document, 'pretrained=', 3);
    const before = await waitFor('a hover with the default A100-80GB', async () => {
      const t = await hoverText(uri, at);
      return /A100-80GB/.test(t) ? t : undefined;
    });
    assert.doesNotMatch(before, /\bL4\b/);
    const errorsBefore = lensDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errorsBefore.map(codeOf), [], 'no errors on the A100-80GB');

    await vscode.workspace.getConfiguration('lmEvalLens').update('gpu', 'L4', vscode.ConfigurationTarget.Global);

    const after = await waitFor('a hover naming the L4', async () => {
      const t = await hoverText(uri, at);
      return /\bL4\b/.test(t) ? t : undefined;
    });
    assert.doesNotMatch(after, /A100-80GB/);
    const error = await waitFor(`an error diagnostic on the L4 (now: ${describeDiagnostics(uri)})`, () =>
      lensDiagnostics(uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error),
    );
    assert.match(codeOf(error), /^(max-model-len-too-long|kv-cache-too-small|weights-exceed-budget)$/);
  });
});
