// Resolving pretrained= offline (catalog, HF cache, local directory, safetensors) and from a Hub
// served by a real http server on 127.0.0.1.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfigJson } from '../../../server/src/memory/configJson';
import type { ModelFileProvider } from '../../../server/src/memory/modelFileProvider';
import { resolveArchitecture, resolveArchitectureOffline } from '../../../server/src/memory/resolveModel';
import { safetensorsHeaderSummary } from '../../../server/src/memory/safetensors';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { kvBytesPerToken } from '../../../server/src/memory/terms/kvCache';
import { nodeModelFileProvider } from '../../../server/src/node/modelFiles';
import { resolveGpu } from '../../../server/src/memory/gpus';
import { parseVllmVersion } from '../../../server/src/memory/version';
import { fixture } from '../../helpers/paths';

/** The real file system with a chosen environment and home. */
function files(env: Record<string, string>, home = '/nonexistent-home'): ModelFileProvider {
  const real = nodeModelFileProvider(env);
  return { ...real, env: (n) => env[n], homeDir: () => home };
}

describe('resolveArchitectureOffline', () => {
  it('catalog ids come from the catalog', () => {
    const r = resolveArchitectureOffline('Qwen/Qwen1.5-4B', { files: files({}) });
    assert.equal(r?.source, 'catalog');
    assert.equal(r?.architecture.numLayers, 40);
  });
  it('a local folder named after a variant is a copy of that variant, not of its base (QA N4)', () => {
    const r = resolveArchitectureOffline('./gemma-3-27b-it-W4A16', { files: files({}) });
    const copy = r?.architecture.assumptions?.find((a) => a.includes('local copy'));
    assert.match(copy ?? '', /is a local copy of google\/gemma-3-27b-it \(/);
    assert.ok(
      !r?.architecture.assumptions?.some((a) => a.includes('gemma-3-27b-pt')),
      String(r?.architecture.assumptions),
    );
  });
  it('a name-matched local checkpoint names one model in every assumption (QA3 F6)', () => {
    for (const [raw, id] of [
      ['/mnt/m/Qwen2.5-72B-Instruct-GPTQ-Int4', 'Qwen/Qwen2.5-72B-Instruct'],
      ['/mnt/hf_models/qwen2/Qwen2-7B-Instruct', 'Qwen/Qwen2-7B-Instruct'],
    ]) {
      const a = resolveArchitectureOffline(raw, { files: files({}) })?.architecture;
      assert.match(a?.matchedByName ?? '', new RegExp(`read as ${id} by its folder name`), raw);
      const copy = a?.assumptions?.find((x) => x.includes('local copy'));
      assert.match(copy ?? '', new RegExp(`is a local copy of ${id} \\(`), raw);
      // No assumption says it is the base model.
      const base = id.replace(/-Instruct$/, '');
      assert.ok(!a?.assumptions?.some((x) => new RegExp(`${base}(?!-Instruct)\\b`).test(x)), String(a?.assumptions));
    }
  });
  it('finds a model in the HF cache (HF_HOME/hub, refs/main) with its exact checkpoint bytes', () => {
    const r = resolveArchitectureOffline('acme/tiny-llama', {
      files: files({ HF_HOME: fixture('memory', 'hf-home') }),
    });
    assert.equal(r?.source, 'hf-cache');
    assert.equal(r?.architecture.numKeyValueHeads, 2);
    assert.equal(r?.architecture.checkpointBytes, 123456789);
    assert.deepEqual(r?.architecture.ropeScaling, { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 1024 });
    // HF_HUB_CACHE wins over HF_HOME.
    const direct = resolveArchitectureOffline('acme/tiny-llama', {
      files: files({ HF_HUB_CACHE: fixture('memory', 'hf-home', 'hub'), HF_HOME: '/x' }),
    });
    assert.equal(direct?.source, 'hf-cache');
  });
  it('reads a local directory: text_config, sliding pattern, quantization_config and safetensors headers', () => {
    const dir = fixture('memory', 'local-model');
    const r = resolveArchitectureOffline(dir, { files: files({}) });
    assert.equal(r?.source, 'local');
    const a = r!.architecture;
    assert.equal(a.modelType, 'gemma3_text');
    assert.equal(a.headDim, 64);
    assert.equal(a.tieWordEmbeddings, true);
    assert.deepEqual(a.slidingWindow?.layers, [true, true, true, true, true, false]);
    assert.equal(a.checkpointQuantization?.method, 'awq');
    assert.equal(a.checkpointBytes, 76);
  });
  it('reads a safetensors header: 8-byte length, then the tensors', () => {
    const s = safetensorsHeaderSummary(files({}), fixture('memory', 'local-model', 'model.safetensors'));
    assert.deepEqual(s, { bytes: 76, params: 35 });
  });
  it('returns undefined for unknown ids and survives a throwing provider', () => {
    assert.equal(resolveArchitectureOffline('nobody/nothing-7b', { files: files({}) }), undefined);
    const throwing: ModelFileProvider = {
      ...files({}),
      exists: () => {
        throw new Error('boom');
      },
      readFile: () => {
        throw new Error('boom');
      },
    };
    assert.equal(resolveArchitectureOffline('acme/tiny-llama', { files: throwing }), undefined);
  });
  it('parseConfigJson rejects garbage', () => {
    assert.equal(parseConfigJson('{', 'x'), undefined);
    assert.equal(parseConfigJson('[]', 'x'), undefined);
    assert.equal(parseConfigJson('{"hidden_size": 4}', 'x'), undefined);
  });
});

describe('resolveArchitecture from the Hub (local http server)', () => {
  let server: http.Server;
  let endpoint = '';
  const seen: { url: string; auth?: string }[] = [];
  const config = fs.readFileSync(
    fixture('memory', 'hf-home', 'hub', 'models--acme--tiny-llama', 'snapshots', 'abc123', 'config.json'),
    'utf8',
  );
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      if (req.url?.startsWith('/org/slow/')) return void setTimeout(() => res.end(config), 2000);
      if (req.url === '/org/huge/resolve/main/config.json') return void res.end('x'.repeat(200_000));
      if (req.url === '/org/model/resolve/main/config.json') return void res.end(config);
      if (req.url === '/org/model/resolve/main/model.safetensors.index.json')
        return void res.end('{"metadata":{"total_size":4242}}');
      res.statusCode = 404;
      res.end('not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const opts = (extra: Record<string, string> = {}, cacheDir?: string) => ({
    files: files({ HF_ENDPOINT: endpoint, HF_TOKEN: 'secret-token', ...extra }),
    allowNetwork: true,
    timeoutMs: 500,
    maxBytes: 100_000,
    cacheDir,
  });

  it('fetches config.json and the safetensors index with the token as bearer, then caches it', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-hub-'));
    const r = await resolveArchitecture('org/model', opts({}, cacheDir));
    assert.equal(r?.source, 'hub');
    assert.equal(r?.architecture.numLayers, 4);
    assert.equal(r?.architecture.checkpointBytes, 4242);
    assert.ok(seen.some((s) => s.url === '/org/model/resolve/main/config.json' && s.auth === 'Bearer secret-token'));
    const before = seen.length;
    const again = await resolveArchitecture('org/model', opts({}, cacheDir));
    assert.equal(again?.source, 'hub');
    assert.equal(seen.length, before, 'served from the disk cache');
  });
  it('404, timeout and size cap give undefined; without allowNetwork nothing is fetched', async () => {
    assert.equal(await resolveArchitecture('org/missing', opts()), undefined);
    // The slow endpoint answers a valid config after 2 s: undefined means the 500 ms timeout fired.
    assert.equal(await resolveArchitecture('org/slow', opts()), undefined);
    assert.equal(await resolveArchitecture('org/huge', opts()), undefined);
    const before = seen.length;
    assert.equal(await resolveArchitecture('org/model', { ...opts(), allowNetwork: false }), undefined);
    assert.equal(seen.length, before);
  });
});

describe('parseConfigJson: hybrid models keep a KV cache only in their attention layers', () => {
  const base = {
    num_hidden_layers: 48,
    hidden_size: 2048,
    num_attention_heads: 16,
    num_key_value_heads: 2,
    head_dim: 256,
    vocab_size: 151936,
    max_position_embeddings: 262144,
  };
  const parse = (extra: Record<string, unknown>) => parseConfigJson(JSON.stringify({ ...base, ...extra }), 'x/hybrid')!;
  it('reads each config style', () => {
    const every4th = Array.from({ length: 48 }, (_, i) => ((i + 1) % 4 === 0 ? 'full_attention' : 'linear_attention'));
    assert.equal(parse({ model_type: 'qwen3_5', layer_types: every4th }).kvCacheLayers, 12);
    assert.equal(parse({ model_type: 'qwen3_next', full_attention_interval: 4 }).kvCacheLayers, 12);
    assert.equal(
      parse({ model_type: 'nemotron_h', hybrid_override_pattern: `${'M-M-M*-'.repeat(6)}M-M-M-` }).kvCacheLayers,
      6,
    );
    assert.equal(parse({ model_type: 'jamba', attn_layer_period: 8, attn_layer_offset: 4 }).kvCacheLayers, 6);
    assert.equal(
      parse({ model_type: 'kimi_linear', linear_attn_config: { full_attn_layers: [4, 8, 12, 16] } }).kvCacheLayers,
      4,
    );
    // A plain transformer, and gpt-oss-style sliding/full layer_types, are not hybrid.
    assert.equal(parse({ model_type: 'llama' }).kvCacheLayers, undefined);
    const swa = Array.from({ length: 48 }, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention'));
    const oss = parse({ model_type: 'gpt_oss', layer_types: swa, sliding_window: 128 });
    assert.equal(oss.kvCacheLayers, undefined);
    assert.equal((oss.slidingWindow!.layers as boolean[]).filter(Boolean).length, 24);
  });
  it('sizes the KV cache from those layers and says so', () => {
    const hybrid = parse({ model_type: 'qwen3_next', full_attention_interval: 4, torch_dtype: 'bfloat16' });
    const dense = parse({ model_type: 'qwen3', torch_dtype: 'bfloat16' });
    assert.equal(kvBytesPerToken(hybrid, 2) * 4, kvBytesPerToken(dense, 2));
    const e = estimateVllmMemory({
      architecture: hybrid,
      gpu: resolveGpu('H100-80GB')!,
      settings: { maxModelLen: 32768 },
      workload: { outputTypes: [] },
      version: parseVllmVersion('0.11.0')!,
    });
    assert.equal(e.kvBytesPerToken, 12 * 2 * 2 * 256 * 2);
    assert.match(e.assumptions.join('\n'), /hybrid model: 12 of 48 layers/);
  });
});
