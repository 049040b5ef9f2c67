// End to end: the built server over stdio, driven by a real JSON-RPC client.
// initialize → didOpen → diagnostics → hover → codeAction → apply → diagnostics again → shutdown.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { repoRoot } from '../helpers/paths';
import { fileUri, startServer, type LspSession } from './lspClient';

const seedPath = path.join(repoRoot, 'examples', 'seed-qwen1.5-4b.sh');

describe('language server over stdio', () => {
  let s: LspSession;
  before(async () => {
    s = await startServer({ settings: { gpu: '' }, trusted: false });
  });
  after(async () => {
    await s.close();
  });

  it('publishes float32-weights for the seed script, hovers, and fixes it', async () => {
    const text = fs.readFileSync(seedPath, 'utf8');
    const uri = fileUri(path.join(os.tmpdir(), 'lm-eval-lens-seed.sh'));
    const diagnosticsP = s.nextDiagnostics(uri, (d) => d.length > 0);
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'shellscript', version: 1, text },
    });
    const diagnostics = await diagnosticsP;
    const fp32 = diagnostics.find((d) => d.code === 'float32-weights');
    assert.ok(fp32, `float32-weights expected, got ${diagnostics.map((d) => d.code).join(', ')}`);
    assert.equal(fp32.source, 'lm-eval-lens');
    assert.match(String(fp32.codeDescription?.href), /rules\.md#float32-weights$/);
    const doc = TextDocument.create(uri, 'shellscript', 1, text);
    assert.equal(doc.getText(fp32.range), 'dtype=float');

    const hover = (await s.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: fp32.range.start,
    })) as Hover;
    const md = (hover.contents as MarkupContent).value;
    assert.match(md, /Weights/);
    assert.match(md, /GiB/);
    assert.match(md, /A100-80GB/);
    assert.match(md, /from directive/);

    const actions = (await s.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: fp32.range,
      context: { diagnostics: [fp32] },
    })) as CodeAction[];
    const eager = actions.find((a) => /enforce_eager=True/.test(a.title));
    assert.ok(eager, `an enforce_eager action expected, got ${actions.map((a) => a.title).join(' | ')}`);
    const eagerText = TextDocument.applyEdits(doc, eager.edit!.changes![uri]);
    assert.match(eagerText, /max_model_len=1024,enforce_eager=True/);

    const fix = actions.find((a) => a.isPreferred && a.diagnostics?.some((d) => d.code === 'float32-weights'));
    assert.ok(fix, 'a preferred float32-weights fix expected');
    const fixed = TextDocument.applyEdits(doc, fix.edit!.changes![uri]);
    assert.match(fixed, /dtype=auto/);
    const afterP = s.nextDiagnostics(uri);
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: fixed }],
    });
    const afterFix = await afterP;
    assert.ok(!afterFix.some((d) => d.code === 'float32-weights'), 'the fix removes the diagnostic');

    const cleared = s.nextDiagnostics(uri, (d) => d.length === 0);
    await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual(await cleared, []);
  });

  it('survives hostile documents and requests', async () => {
    const uri = fileUri(path.join(os.tmpdir(), 'lm-eval-lens-hostile.sh'));
    const text = `lm_eval --model vllm --model_args "pretrained=${'a,'.repeat(5000)}\u0000\\\n'unterminated`;
    const p = s.nextDiagnostics(uri);
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'shellscript', version: 1, text },
    });
    await p;
    await s.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 999, character: 999 },
    });
    await s.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 50, character: 0 } },
      context: { diagnostics: [] },
    });
    // A burst of edits is debounced; the last text wins.
    let last: Promise<unknown> = Promise.resolve();
    for (let v = 2; v <= 200; v++) {
      const t =
        v === 200
          ? 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float32\n'
          : `lm_eval --model_args a=${v},,\n`;
      if (v === 200) last = s.nextDiagnostics(uri, (d) => d.some((x) => x.code === 'float32-weights'));
      await s.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ text: t }],
      });
    }
    const final = (await last) as { code?: unknown }[];
    assert.ok(
      final.every((d) => d.code !== 'model-args-syntax'),
      'diagnostics of the final text only',
    );
    assert.equal(s.process.exitCode, null, 'server still running');
  });
});
