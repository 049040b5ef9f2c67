// The server's side of "Which GPU fits?" and of notebook diagnostics, over stdio with a real client:
// the code lens over a vLLM launch (resolved lazily), the lmEvalLens/gpuTable request for a launch
// and for a bare model_args string, and diagnostics pushed for notebook cells to a client that
// otherwise pulls (VS Code's language client never pulls for cells).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { GpuFitTable } from '../../server/src/shared/gpuFitTable';
import { repoRoot } from '../helpers/paths';
import { fileUri, startServer, type LspSession } from './lspClient';

const l4Path = path.join(repoRoot, 'examples', 'long-context-on-l4.sh');

describe('GPU table and code lens over stdio', () => {
  let s: LspSession;
  const uri = fileUri(l4Path);
  before(async () => {
    s = await startServer({ settings: {}, trusted: false });
    const opened = s.nextDiagnostics(uri, (d) => d.length > 0);
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'shellscript', version: 1, text: fs.readFileSync(l4Path, 'utf8') },
    });
    await opened;
  });
  after(async () => {
    await s.close();
  });

  it('lists a lens per vLLM launch, resolved to "Fits on: …" with the table command', async () => {
    const lenses = (await s.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].command, undefined, 'resolved only when shown');
    const resolved = (await s.connection.sendRequest('codeLens/resolve', lenses[0])) as CodeLens;
    assert.match(resolved.command?.title ?? '', /^Fits on: /);
    assert.equal(resolved.command?.command, 'lmEvalLens.showGpuTable');
    const [target] = resolved.command?.arguments ?? [];
    assert.equal(target.uri, uri);
  });

  it('answers lmEvalLens/gpuTable for the launch and for a bare model_args string', async () => {
    const table = (await s.connection.sendRequest('lmEvalLens/gpuTable', { uri })) as GpuFitTable;
    assert.equal(table.currentGpu, 'L4');
    const l4 = table.rows.find((r) => r.gpu === 'L4');
    assert.ok(l4, 'an L4 row');
    // The script's max_model_len=131072 does not fit one L4 (the kv-cache-too-small error); the
    // smallest tensor-parallel size that fits beyond the estimate's band is chosen (2 or 4).
    assert.ok([2, 4].includes(l4.tensorParallelSize!), JSON.stringify(l4));
    assert.equal(l4.maxModelLenThatFits, 131072);
    const bare = (await s.connection.sendRequest('lmEvalLens/gpuTable', {
      modelArgs: "pretrained=Qwen/Qwen1.5-4B,dtype=float,max_model_len=1024,note='it''s'",
      tasks: 'mmlu',
    })) as GpuFitTable;
    assert.equal(bare.model, 'Qwen/Qwen1.5-4B');
    assert.equal(bare.maxModelLen, 1024);
    assert.ok(bare.rows.length >= 10);
    assert.equal(
      await s.connection.sendRequest('lmEvalLens/gpuTable', { modelArgs: 'pretrained=nobody/nothing' }),
      null,
    );
    assert.equal(await s.connection.sendRequest('lmEvalLens/gpuTable', { uri: 'file:///not/open.sh' }), null);
  });
});

describe('notebook cells with a pull-diagnostics client', () => {
  let s: LspSession;
  before(async () => {
    s = await startServer({ settings: {}, trusted: false }, { textDocument: { diagnostic: {} } });
  });
  after(async () => {
    await s.close();
  });

  it('pushes diagnostics for cells; ordinary files are pulled', async () => {
    const cell = 'vscode-notebook-cell:/w/seed.ipynb#W1sZmlsZQ%3D%3D';
    const text =
      '!lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float,gpu_memory_utilization=0.6 --tasks mmlu\n';
    const pushed = s.nextDiagnostics(cell, (d) => d.some((x) => x.code === 'float32-weights'));
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: cell, languageId: 'python', version: 1, text },
    });
    await pushed;
    // An ordinary file in pull mode is pulled, not pushed: its pull answer carries the finding.
    const file = fileUri(path.join(repoRoot, 'examples', 'seed-qwen1.5-4b.sh'));
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: file, languageId: 'shellscript', version: 1, text: text.slice(1) },
    });
    const pulled = (await s.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: file } })) as {
      items: { code: string }[];
    };
    assert.ok(pulled.items.some((d) => d.code === 'float32-weights'));
  });
});
