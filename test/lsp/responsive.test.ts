// The built server over stdio under load: the opened file's diagnostics come before the workspace
// task index, which arrives with `$/progress` and is reused from the disk cache by the next run;
// `$/cancelRequest` answers RequestCancelled and stops the work; diagnostics of an edited version
// are dropped. Everything waits on events (notifications, replies), never on a sleep.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { fileUri, startServer, type LspSession } from './lspClient';

const task = (name: string) =>
  `task: ${name}\ndataset_path: x\noutput_type: multiple_choice\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\ndoc_to_choice: [a, b]\n`;

/** A workspace of `n` task folders, plus two files that define the same task name. */
function taskWorkspace(n: number): { root: string; b: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-ws-'));
  for (let i = 0; i < n; i++) {
    fs.mkdirSync(path.join(root, `t${i}`));
    fs.writeFileSync(path.join(root, `t${i}`, `t${i}.yaml`), task(`task_${i}`));
  }
  fs.mkdirSync(path.join(root, 'dup'));
  fs.writeFileSync(path.join(root, 'dup', 'a.yaml'), task('dup_task'));
  fs.writeFileSync(path.join(root, 'dup', 'b.yaml'), task('dup_task'));
  return { root, b: path.join(root, 'dup', 'b.yaml') };
}

/** `n` vLLM launches: over the size at which launches are parsed in the worker. */
function bigScript(n: number): string {
  const lines = ['#!/bin/bash'];
  for (let i = 0; i < n; i++)
    lines.push(
      `lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float32,max_model_len=${1024 + i} --tasks gsm8k`,
    );
  return `${lines.join('\n')}\n`;
}

const indexOf = (s: LspSession, params: unknown) => s.notifications.findIndex((n) => n.params === params);
const hasDuplicate = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === 'duplicate-task-name');

describe('language server under load', () => {
  it('publishes the opened file first; duplicate names follow the background index, cached for the next run', async () => {
    const { root, b } = taskWorkspace(1500);
    const storagePath = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-storage-'));
    const uri = fileUri(b);
    const open = async () => {
      const s = await startServer(
        { settings: {}, storagePath },
        { window: { workDoneProgress: true } },
        { rootPath: root },
      );
      const published = (accept: (p: PublishDiagnosticsParams) => boolean) =>
        s.next<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && accept(p));
      const first = published(() => true);
      const withDuplicate = published(hasDuplicate);
      const end = s.next<{ value: { kind: string } }>('$/progress', (p) => p.value.kind === 'end');
      const ready = s.next<{ message: string }>('window/logMessage', (p) =>
        p.message.includes(`task index of ${root}`),
      );
      await s.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: 1, text: fs.readFileSync(b, 'utf8') },
      });
      return { s, first: await first, withDuplicate: await withDuplicate, end: await end, ready: await ready };
    };

    const cold = await open();
    try {
      assert.ok(!hasDuplicate(cold.first), 'the first diagnostics do not wait for the index');
      assert.ok(indexOf(cold.s, cold.first) < indexOf(cold.s, cold.end), 'published before indexing ended');
      // The index's "ready" line is logged before the open documents are re-checked. (Progress `end`
      // waits for the client's answer to window/workDoneProgress/create, so under load it may come
      // after the re-check: its order against the duplicate is not a contract.)
      assert.ok(
        indexOf(cold.s, cold.ready) < indexOf(cold.s, cold.withDuplicate),
        'the duplicate arrives with the index',
      );
      assert.match(cold.withDuplicate.diagnostics.find((d) => d.code === 'duplicate-task-name')!.message, /a\.yaml/);
      assert.ok(
        cold.s.notifications.some(
          (n) => n.method === '$/progress' && (n.params as { value: { kind: string } }).value.kind === 'begin',
        ),
        'progress began',
      );
      assert.match(cold.ready.message, /looked at 1502 files, 0 unchanged/);
    } finally {
      await cold.s.close();
    }

    // A second run on the same workspace reuses every file's entry from the disk cache.
    const warm = await open();
    try {
      assert.ok(!hasDuplicate(warm.first));
      assert.match(warm.ready.message, /looked at 1502 files, 1502 unchanged/);
      assert.ok(hasDuplicate(warm.withDuplicate));
    } finally {
      await warm.s.close();
    }
  });

  it('answers a cancelled request with RequestCancelled and stops the analysis nobody waits for', async () => {
    // Pull diagnostics: nothing but the hover asks for the script's analysis.
    const s = await startServer({ settings: { gpu: 'A100-80GB' } }, { textDocument: { diagnostic: {} } });
    try {
      const uri = fileUri(path.join(os.tmpdir(), 'lens-cancel.sh'));
      const other = fileUri(path.join(os.tmpdir(), 'lens-other.sh'));
      await s.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'shellscript', version: 1, text: bigScript(600) },
      });
      await s.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: other, languageId: 'shellscript', version: 1, text: bigScript(1) },
      });
      const stopped = s.next<{ message: string }>('window/logMessage', (p) => /analysis cancelled/.test(p.message));
      const source = new CancellationTokenSource();
      const hover = s.connection.sendRequest(
        'textDocument/hover',
        { textDocument: { uri }, position: { line: 1, character: 50 } },
        source.token,
      );
      // Requests are handled in order: once the other file's hover is answered, the big one is under
      // way (its launches being parsed), and the server answered in the meantime.
      const answer = (await s.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: other },
        position: { line: 1, character: 50 },
      })) as { contents: { value: string } } | null;
      assert.match(answer?.contents.value ?? '', /GiB/);
      source.cancel();
      await assert.rejects(hover, (e: { code?: number }) => e.code === -32800);
      assert.match((await stopped).message, /lens-cancel\.sh version 1/);
    } finally {
      await s.close();
    }
  });

  it('drops the diagnostics of a version that was edited before its analysis ended', async () => {
    const s = await startServer({ settings: { gpu: 'A100-80GB' } });
    try {
      const uri = fileUri(path.join(os.tmpdir(), 'lens-stale.sh'));
      const first = s.next<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri);
      await s.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'shellscript', version: 1, text: bigScript(600) },
      });
      await s.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float32\n' }],
      });
      const published = await first;
      assert.equal(published.version, 2, 'the first diagnostics published are those of the edited text');
      assert.deepEqual(
        published.diagnostics.map((d) => d.range.start.line),
        published.diagnostics.map(() => 0),
      );
      assert.ok(
        !s.notifications.some(
          (n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishDiagnosticsParams).version === 1,
        ),
      );
    } finally {
      await s.close();
    }
  });
});
