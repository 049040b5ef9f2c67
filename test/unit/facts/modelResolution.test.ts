// Models as real projects name them: local checkpoints (relative to the script or the workspace,
// `~` and `$HOME` expanded), catalog models under another name, documentation placeholders.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { isPlaceholderModel } from '../../../server/src/facts/modelName';
import { hubConfigCachePath } from '../../../server/src/memory/modelLocations';
import { nodeFactProviders } from '../../../server/src/node/providers';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';
import { analyzeDocument, type ServiceContext } from '../../../server/src/service/analyze';
import { normalizeSettings } from '../../../server/src/shared/settings';
import { fixture } from '../../helpers/paths';

const root = fixture('projects', 'models');
const script = path.join(root, 'scripts', 'eval.sh');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-eval-lens-models-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function context(extraEnv: Record<string, string> = {}): ServiceContext {
  const settings = normalizeSettings({ gpu: 'A100-80GB' });
  const env = {
    HOME: path.join(root, 'home'),
    HF_HUB_CACHE: path.join(tmp, 'no-hf-cache'),
    LM_EVAL_LENS_CACHE: path.join(tmp, 'lens-cache'),
    ...extraEnv,
  };
  return {
    settings,
    providers: nodeFactProviders({ settings, workspaceRoots: [root], trusted: false, env }),
    taskConfig: { fs: nodeTaskFileSystem() },
  };
}

function launches(ctx = context()) {
  const text = fs.readFileSync(script, 'utf8');
  const a = analyzeDocument({ path: script, text }, ctx);
  return a.launches.map((l) => ({
    written: String(l.pretrained?.value),
    source: l.architecture?.source,
    catalogId: l.architecture?.architecture.catalogId,
    quantization: l.architecture?.architecture.checkpointQuantization?.method,
    assumptions: l.architecture?.architecture.assumptions ?? [],
    estimated: !!l.estimate,
    unknownModel: a.findings.find(
      (f) => f.code === 'unknown-model' && l.pretrained && f.range.start === l.pretrained.valueRange.start,
    ),
  }));
}

describe('model resolution from the project', () => {
  const all = launches();
  const by = (written: string) => {
    const l = all.find((x) => x.written === written);
    assert.ok(l, `a launch with pretrained=${written}: ${all.map((x) => x.written).join(', ')}`);
    return l;
  };
  it('a relative folder is looked up from the workspace root and from the script folder', () => {
    assert.equal(by('checkpoints/tiny-sft').source, 'local');
    assert.equal(by('./local/tiny-sft').source, 'local');
    assert.ok(by('checkpoints/tiny-sft').estimated);
  });
  it('~ and $HOME are expanded', () => {
    assert.equal(by('$HOME/ckpt/qwen-sft').source, 'local');
    assert.equal(by('~/ckpt/qwen-sft').source, 'local');
  });
  it('a path whose last component names a catalog model resolves to it, quantization from the name', () => {
    const q = by('/scratch/ckpts/Meta-Llama-3.1-8B-Instruct-quantized.w4a16');
    assert.equal(q.source, 'catalog');
    assert.equal(q.quantization, 'gptq');
    assert.match(q.assumptions.join(' '), /is a local copy of .*no readable config\.json there/);
    const loose = by('/scratch/ckpts/qwen2_5-72b-instruct');
    assert.equal(loose.source, 'catalog');
    assert.match(loose.assumptions.join(' '), /qwen2_5-72b-instruct is Qwen\/Qwen2\.5-72B-Instruct/);
    assert.ok(loose.estimated);
  });
  it('an unknown local path says so, without download advice', () => {
    const u = by('/scratch/ckpts/my-own-model');
    assert.ok(u.unknownModel);
    assert.match(u.unknownModel.message, /has no readable config\.json/);
    assert.doesNotMatch(u.unknownModel.message, /huggingface-cli|allowNetwork/);
  });
  it('placeholders are not models: no note, no advice', () => {
    for (const p of ['{model_name}', '...', 'path/to/your/model']) assert.equal(by(p).unknownModel, undefined, p);
    assert.equal(all.filter((x) => x.unknownModel).length, 2, 'only my-own-model and testorg/tiny-llama');
    for (const p of ['<path>', '{model_name}', '$MODEL', '...', 'MODEL_NAME', 'your-org/your-model', 'path/to/model'])
      assert.ok(isPlaceholderModel(p), p);
    for (const p of ['meta-llama/Meta-Llama-3-8B', 'Qwen/Qwen2.5-7B', './ckpt', 'gpt2'])
      assert.ok(!isPlaceholderModel(p), p);
  });
  it('a Hub id fetched earlier (editor action or --allow-network) is read from the shared cache offline', () => {
    assert.ok(by('testorg/tiny-llama').unknownModel);
    const cacheDir = path.join(tmp, 'lens-cache-2');
    const cached = hubConfigCachePath(cacheDir, 'testorg/tiny-llama');
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.copyFileSync(path.join(root, 'checkpoints', 'tiny-sft', 'config.json'), cached);
    const again = launches(context({ LM_EVAL_LENS_CACHE: cacheDir })).find((x) => x.written === 'testorg/tiny-llama');
    assert.equal(again?.source, 'hub');
    assert.ok(again?.estimated);
  });
});
