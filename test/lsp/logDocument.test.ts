// A crash log opened in the editor, through the built server over stdio: the diagnostic sits on the
// failure line, the hover shows the logged-vs-predicted table, and the quick fix edits the SLURM
// script whose --output pattern produced the log (or copies the fixed --model_args).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { fixture } from '../helpers/paths';
import { fileUri, startServer, type LspSession } from './lspClient';

const SCRIPT = `#!/bin/bash
#SBATCH --job-name=qwen-mmlu
#SBATCH --gres=gpu:a100:1
#SBATCH --output=logs/%x-%j.out
MODEL=Qwen/Qwen1.5-4B
lm_eval --model vllm \\
    --model_args pretrained=\${MODEL},dtype="float",gpu_memory_utilization=0.6,max_model_len=1024 \\
    --tasks mmlu --num_fewshot 5 --batch_size 1
`;

describe('a crash log in the editor (language server over stdio)', () => {
  let s: LspSession;
  let dir: string;
  let logPath: string;
  let logText: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-eval-lens-logs-'));
    fs.writeFileSync(path.join(dir, 'eval.slurm'), SCRIPT);
    fs.mkdirSync(path.join(dir, 'logs'));
    logText = fs.readFileSync(fixture('logs', 'v0.4-0.6', 'lm-eval-1923-qwen1.5-4b-graph-capture-oom.log'), 'utf8');
    logPath = path.join(dir, 'logs', 'qwen-mmlu-48213.out');
    fs.writeFileSync(logPath, logText);
    s = await startServer(
      { settings: { gpu: '' }, trusted: false },
      {},
      { workspaceFolders: [{ uri: fileUri(dir), name: 'w' }] },
    );
  });
  after(async () => {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('diagnoses the failure line, hovers the self-check, and fixes the launching script', async () => {
    const uri = fileUri(logPath);
    const diagnosticsP = s.nextDiagnostics(uri, (d) => d.length > 0);
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plaintext', version: 1, text: logText },
    });
    const diagnostics = await diagnosticsP;
    assert.equal(diagnostics.length, 1);
    const d = diagnostics[0];
    assert.equal(d.code, 'cuda-graph-headroom');
    assert.match(String(d.codeDescription?.href), /rules\.md#cuda-graph-headroom$/);
    const doc = TextDocument.create(uri, 'plaintext', 1, logText);
    assert.match(doc.getText(d.range), /^torch\.cuda\.OutOfMemoryError: CUDA out of memory/);
    assert.match(d.message, /enforce_eager=True/);

    const hover = (await s.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: d.range.start,
    })) as Hover;
    const md = (hover.contents as MarkupContent).value;
    assert.match(md, /Memory model vs this log/);
    assert.match(md, /\| term \| logged \| predicted \| difference \|/);
    assert.match(md, /\| Weights \(GiB\) \|/);

    const actions = (await s.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
    const scriptUri = fileUri(path.join(dir, 'eval.slurm'));
    const apply = actions.find((a) => a.edit?.changes?.[scriptUri]);
    assert.ok(apply, `an action editing eval.slurm expected, got ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(apply.isPreferred, true);
    assert.match(apply.title, /SLURM --output/);
    const script = TextDocument.create(scriptUri, 'shellscript', 1, SCRIPT);
    const fixed = TextDocument.applyEdits(script, apply.edit!.changes![scriptUri]);
    assert.match(fixed, /max_model_len=1024,enforce_eager=True \\\n/);
    const copy = actions.find((a) => a.command?.command === 'lmEvalLens.copyToClipboard');
    assert.ok(copy, 'a copy action too');
    assert.match(
      String(copy.command!.arguments![0]),
      /^--model_args pretrained=Qwen\/Qwen1\.5-4B,.*enforce_eager=True$/,
    );
  });

  it('a healthy log gets no diagnostics', async () => {
    const text = fs.readFileSync(fixture('logs', 'v0.4-0.6', 'llama-cookbook-801-lm-eval-running-healthy.log'), 'utf8');
    const uri = fileUri(path.join(dir, 'healthy.log'));
    const p = s.nextDiagnostics(uri);
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'log', version: 1, text },
    });
    assert.deepEqual(await p, []);
  });
});
