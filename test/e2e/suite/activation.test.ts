// Runs first (files run in name order): nothing has opened an lm-eval file yet. Activation is
// timed as VS Code runs it (loading the bundle and calling activate()), the language client must
// still be unloaded, and every command works from here, before any lm-eval file is open.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, REPORT, resetLensSetting, waitFor } from './helpers';

const COMMANDS = [
  'lmEvalLens.selectGpu',
  'lmEvalLens.selectVllmVersion',
  'lmEvalLens.showGpuTable',
  'lmEvalLens.restartServer',
  'lmEvalLens.showOutput',
];
const languageClientLoaded = () =>
  Object.keys(require.cache).some((k) => /client[\\/]out[\\/]languageClient\.js$/.test(k));

suite('activation and commands before any lm-eval file is open', () => {
  test('activates without loading the language client, and says how long it took', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    if (ext.isActive) {
      REPORT(
        `activation: not measured, the extension was already active (${vscode.workspace.textDocuments.length} documents open)`,
      );
    } else {
      const t0 = performance.now();
      const api = (await ext.activate()) as { activationMs: number };
      // Two numbers: activate() as VS Code runs it (bundle load, plus any wait for an extension host
      // still busy with other extensions' startup), and the extension's own share of it.
      REPORT(
        `activation: ${(performance.now() - t0).toFixed(1)} ms (budget 300 ms); the extension's own code: ${api.activationMs.toFixed(1)} ms`,
      );
    }
    assert.equal(languageClientLoaded(), false, 'the language client loads only for an lm-eval file');
  });

  test('every command is registered at activation', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of COMMANDS) assert.ok(all.includes(c), `${c} registered`);
  });

  test('Select GPU and Show Output work without the server', async () => {
    await vscode.commands.executeCommand('lmEvalLens.selectGpu', 'L4');
    assert.equal(vscode.workspace.getConfiguration('lmEvalLens').get('gpu'), 'L4');
    await resetLensSetting('gpu');
    await vscode.commands.executeCommand('lmEvalLens.showOutput');
    assert.equal(languageClientLoaded(), false, 'neither needs the language server');
  });

  test('Which GPU fits? starts the server on demand and shows the table for a model_args string', async () => {
    const table = await vscode.commands.executeCommand<{ model: string; rows: { gpu: string; verdict: string }[] }>(
      'lmEvalLens.showGpuTable',
      { modelArgs: 'pretrained=Qwen/Qwen1.5-4B,dtype=float,max_model_len=2048', tasks: 'mmlu' },
    );
    assert.equal(table?.model, 'Qwen/Qwen1.5-4B');
    const verdicts = table.rows.map((r) => `${r.gpu}: ${r.verdict}`).join(', ');
    // float32 weights (15 GiB) and MMLU's logprob spike: the H200 fits, a T4 cannot even load it.
    assert.equal(table.rows.find((r) => r.gpu === 'H200')?.verdict, 'fits', verdicts);
    assert.equal(table.rows.find((r) => r.gpu === 'T4')?.verdict, 'will-fail', verdicts);
    await waitFor('the GPU table panel', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && /Which GPU fits\?/.test(t.label)),
    );
    REPORT(`GPU table: ${table.rows.length} GPUs, fits on ${table.rows.filter((r) => r.verdict === 'fits').length}`);
  });
});
