// "Which GPU fits?" from a file: the code lens over the launch names the GPUs that fit, and its
// command opens the table for that launch.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { REPORT, openEditor, waitFor, workspaceUri } from './helpers';

suite('GPU table', () => {
  test('the code lens "Fits on: …" opens the table for its launch', async () => {
    const editor = await openEditor(workspaceUri('long-context-on-l4.sh'));
    const lens = await waitFor('a resolved "Fits on" code lens', async () => {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          editor.document.uri,
          10,
        )) ?? [];
      return lenses.find((l) => l.command && /^Fits on: /.test(l.command.title));
    });
    REPORT(`code lens: ${lens.command!.title}`);
    assert.equal(lens.command!.command, 'lmEvalLens.showGpuTable');
    const table = await vscode.commands.executeCommand<{
      currentGpu: string;
      rows: { gpu: string; tensorParallelSize?: number }[];
    }>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(table?.currentGpu, 'L4', 'the script says gpu=L4');
    // 131072 tokens of KV cache do not fit one L4: the table finds the tensor-parallel size that does.
    const l4 = table.rows.find((r) => r.gpu === 'L4');
    assert.ok(l4?.tensorParallelSize && l4.tensorParallelSize > 1, JSON.stringify(l4));
  });
});
