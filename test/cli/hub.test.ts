// `--allow-network` against a real HTTP server on loopback standing in for the Hugging Face Hub
// (HF_ENDPOINT), with the token header; without the flag nothing is fetched.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
const config = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 2048,
  intermediate_size: 5632,
  num_attention_heads: 32,
  num_key_value_heads: 4,
  num_hidden_layers: 22,
  vocab_size: 32000,
  max_position_embeddings: 2048,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
};

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => (stdout += b));
    p.stderr.on('data', (b) => (stderr += b));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('Hugging Face Hub lookups from the CLI', () => {
  let server: http.Server;
  let endpoint = '';
  const requests: { url?: string; auth?: string }[] = [];
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-home-'));
  before(async () => {
    server = http.createServer((req, res) => {
      requests.push({ url: req.url, auth: req.headers.authorization });
      if (req.url === '/tiny-org/tiny-llama-1b/resolve/main/config.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(config));
      } else {
        res.writeHead(404);
        res.end('not found');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const env = () => ({ HF_ENDPOINT: endpoint, HF_TOKEN: 'hf_test', HOME: home, HF_HOME: path.join(home, 'hf') });
  const args = [
    'estimate',
    '--model-args',
    'pretrained=tiny-org/tiny-llama-1b',
    '--gpu',
    'L4',
    '--format',
    'json',
    '--no-detect',
  ];

  it('does not touch the network without --allow-network', async () => {
    const r = await run(args, env());
    assert.equal(r.code, 2);
    assert.equal(requests.length, 0);
  });

  it('fetches config.json with the token and estimates from it', async () => {
    const r = await run([...args, '--allow-network'], env());
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.model.source, 'hub');
    assert.equal(j.model.numLayers, 22);
    assert.equal(j.maxModelLen, 2048);
    assert.ok(
      requests.some((q) => q.url === '/tiny-org/tiny-llama-1b/resolve/main/config.json' && q.auth === 'Bearer hf_test'),
    );
  });
});
