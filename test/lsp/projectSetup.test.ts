// The built server reading the user's setup: versions pinned in the project, per-folder
// (resource-scoped) settings of a multi-root workspace, settings diagnostics.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import type { DocumentStatus } from '../../server/src/shared/messages';
import { fixture } from '../helpers/paths';
import { fileUri, startServer, type LspSession } from './lspClient';

const layered = fixture('projects', 'layered');
const empty = fixture('projects', 'empty');

describe('language server: the project setup', () => {
  let s: LspSession;
  before(async () => {
    s = await startServer(
      { settings: {}, trusted: false },
      { workspace: { configuration: true } },
      {
        workspaceFolders: [
          { uri: fileUri(layered), name: 'layered' },
          { uri: fileUri(empty), name: 'empty' },
        ],
        // Window: no GPU; the `empty` folder says L4 and an unreadable vLLM version.
        configuration: (items) =>
          items.map((i) => (i.scopeUri === fileUri(empty) ? { gpu: 'L4', vllmVersion: 'banana' } : {})),
      },
    );
  });
  after(async () => {
    await s.close();
  });

  const open = async (file: string) => {
    const uri = fileUri(file);
    const diagnostics = s.nextDiagnostics(uri);
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'shellscript', version: 1, text: fs.readFileSync(file, 'utf8') },
    });
    return { uri, diagnostics: await diagnostics };
  };

  it('judges a launch with the vLLM pinned in requirements.txt, and says so in the hover and status', async () => {
    const { uri } = await open(path.join(layered, 'scripts', 'run.sh'));
    const status = (await s.connection.sendRequest('lmEvalLens/documentStatus', { uri })) as DocumentStatus;
    assert.equal(status.vllmVersion, '0.6.3');
    assert.equal(status.vllmSource, 'project');
    assert.equal(status.vllmVersionLabel, 'vLLM 0.6.3 from requirements.txt:1');
    assert.equal(status.harnessVersionLabel, 'lm-eval 0.4.4 from requirements.txt:2');
    assert.equal(status.gpu, 'A100-80GB');
    const text = fs.readFileSync(path.join(layered, 'scripts', 'run.sh'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('pretrained='));
    const hover = (await s.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line, character: text.split('\n')[line].indexOf('pretrained=') + 2 },
    })) as Hover;
    assert.match((hover.contents as MarkupContent).value, /vLLM 0\.6\.3 from requirements\.txt:1; V0 engine/);
  });

  it("honours each folder's own settings, and reports one that cannot be used", async () => {
    const { uri, diagnostics } = await open(path.join(empty, 'run.sh'));
    const status = (await s.connection.sendRequest('lmEvalLens/documentStatus', { uri })) as DocumentStatus;
    assert.equal(status.gpu, 'L4');
    assert.equal(status.gpuSource, 'settings');
    assert.equal(status.vllmSource, 'default');
    const bad = diagnostics.find((d) => d.code === 'invalid-setting');
    assert.ok(bad, diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
    assert.match(bad.message, /lmEvalLens\.vllmVersion = "banana" is not a vLLM version/);
  });
});
