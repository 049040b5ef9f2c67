// "Fetch config.json for ORG/NAME from the Hugging Face Hub": the built server, a real LSP client,
// and a Hub stand-in on loopback (HF_ENDPOINT). The unknown-model note turns into an estimate, the
// token is sent, and the answer lands in the cache the CLI reads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { fixture, repoRoot } from '../helpers/paths';
import { fileUri, startServer, type LspSession } from './lspClient';

const config = fs.readFileSync(fixture('projects', 'models', 'checkpoints', 'tiny-sft', 'config.json'), 'utf8');

describe('language server: fetch a model config from the Hub', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-eval-lens-fetch-'));
  const requests: { url: string; auth?: string }[] = [];
  let hub: http.Server;
  let s: LspSession;
  let env: Record<string, string>;
  before(async () => {
    hub = http.createServer((req, res) => {
      requests.push({ url: req.url ?? '', auth: req.headers.authorization });
      if (req.url === '/testorg/tiny-llama/resolve/main/config.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(config);
      } else {
        res.writeHead(404);
        res.end('not found');
      }
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const port = (hub.address() as AddressInfo).port;
    env = {
      HF_ENDPOINT: `http://127.0.0.1:${port}`,
      HF_TOKEN: 'hf_test_token',
      LM_EVAL_LENS_CACHE: path.join(tmp, 'cache'),
      HF_HUB_CACHE: path.join(tmp, 'no-hf-cache'),
    };
    s = await startServer({ settings: { gpu: 'A100-80GB' }, trusted: false }, {}, { env: { ...process.env, ...env } });
  });
  after(async () => {
    await s.close();
    await new Promise<void>((resolve) => hub.close(() => resolve()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('offers the fetch on unknown-model, fetches once, and the diagnostic becomes an estimate', async () => {
    const file = path.join(tmp, 'run.sh');
    const text = 'lm_eval --model vllm --model_args pretrained=testorg/tiny-llama,max_model_len=2048 --tasks gsm8k\n';
    fs.writeFileSync(file, text);
    const uri = fileUri(file);
    const first = s.nextDiagnostics(uri, (d) => d.some((x) => x.code === 'unknown-model'));
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'shellscript', version: 1, text },
    });
    const unknown = (await first).find((d) => d.code === 'unknown-model')!;
    assert.equal(requests.length, 0, 'offline until asked');

    const actions = (await s.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: unknown.range,
      context: { diagnostics: [unknown] },
    })) as CodeAction[];
    const fetch = actions.find((a) => a.title === 'Fetch config.json for testorg/tiny-llama from the Hugging Face Hub');
    assert.ok(fetch?.command, actions.map((a) => a.title).join(' | '));
    assert.ok(
      !actions.some((a) => /Always fetch/.test(a.title)),
      'no client command announced: no allow-always action',
    );

    const estimated = s.nextDiagnostics(uri, (d) => !d.some((x) => x.code === 'unknown-model'));
    const result = (await s.connection.sendRequest('workspace/executeCommand', {
      command: fetch.command.command,
      arguments: fetch.command.arguments,
    })) as { ok: boolean; message: string };
    assert.equal(result.ok, true, result.message);
    await estimated;
    assert.deepEqual(
      requests.find((r) => r.url.endsWith('/config.json')),
      { url: '/testorg/tiny-llama/resolve/main/config.json', auth: 'Bearer hf_test_token' },
    );

    const hover = (await s.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: unknown.range.start,
    })) as Hover;
    assert.match((hover.contents as MarkupContent).value, /vLLM memory per GPU/);
    assert.match((hover.contents as MarkupContent).value, /model testorg\/tiny-llama from hub/);

    // The CLI finds the same answer, offline.
    const cli = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bin', 'lm-eval-lens.js'), 'check', '--no-detect', file],
      {
        encoding: 'utf8',
        env: { ...process.env, ...env, HF_ENDPOINT: 'http://127.0.0.1:9' },
        timeout: 60_000,
      },
    );
    assert.doesNotMatch(cli.stdout, /unknown-model/, cli.stdout + cli.stderr);
  });

  it('says why when the Hub has no such model', async () => {
    const result = (await s.connection.sendRequest('workspace/executeCommand', {
      command: 'lmEvalLens.fetchModelConfig',
      arguments: [{ id: 'testorg/missing' }],
    })) as { ok: boolean; message: string };
    assert.equal(result.ok, false);
    assert.match(result.message, /No config\.json for testorg\/missing/);
    const refused = (await s.connection.sendRequest('workspace/executeCommand', {
      command: 'lmEvalLens.fetchModelConfig',
      arguments: [{ id: '../../etc/passwd' }],
    })) as { ok: boolean };
    assert.equal(refused.ok, false);
  });
});
