// The language-service features over the seed script: code actions (fixes, suppression,
// refactoring), hover, inlay hints and the status the client shows.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { codeActions } from '../../../server/src/service/codeActions';
import { hover } from '../../../server/src/service/hover';
import { inlayHints } from '../../../server/src/service/inlayHints';
import { documentStatus } from '../../../server/src/service/status';
import { normalizeSettings } from '../../../server/src/shared/settings';
import { testContext } from '../../helpers/context';
import { repoRoot } from '../../helpers/paths';
import { caret } from '../../helpers/caret';

const ctx = testContext();
const seedPath = path.join(repoRoot, 'examples', 'seed-qwen1.5-4b.sh');
const seed = fs.readFileSync(seedPath, 'utf8');

/** The seed's header comment quotes the command; edits and offsets target the command itself. */
function replaceLast(text: string, from: string, to: string): string {
  const i = text.lastIndexOf(from);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

function setup(text: string, file = seedPath) {
  const doc = TextDocument.create(`file://${file}`, 'shellscript', 1, text);
  return { doc, analysis: analyzeDocument({ path: file, text }, ctx) };
}

describe('code actions', () => {
  it('offers the preferred fix, suppressions and the enforce_eager refactoring on dtype=float', () => {
    const { doc, analysis } = setup(seed);
    const at = seed.lastIndexOf('dtype=float');
    const range = { start: doc.positionAt(at), end: doc.positionAt(at) };
    const actions = codeActions(analysis, doc, range);
    const titles = actions.map((a) => a.title);
    assert.ok(
      actions.find((a) => a.isPreferred && a.title === 'Set dtype=auto'),
      titles.join(' | '),
    );
    assert.ok(titles.includes('Disable float32-weights here'));
    assert.ok(titles.includes('Disable float32-weights for this file'));
    const eager = actions.find((a) => a.kind === 'refactor.rewrite');
    assert.ok(eager, titles.join(' | '));
    const out = TextDocument.applyEdits(doc, eager.edit!.changes![doc.uri]);
    assert.match(out, /max_model_len=1024,enforce_eager=True \\/);
    assert.deepEqual(
      codeActions(analysis, doc, range, ['quickfix']).filter((a) => a.kind !== 'quickfix'),
      [],
    );
  });

  it('a suppression fix really suppresses', () => {
    const { doc, analysis } = setup(seed);
    const at = seed.lastIndexOf('dtype=float');
    for (const title of ['Disable float32-weights here', 'Disable float32-weights for this file']) {
      const action = codeActions(analysis, doc, { start: doc.positionAt(at), end: doc.positionAt(at) }).find(
        (a) => a.title === title,
      )!;
      const out = TextDocument.applyEdits(doc, action.edit!.changes![doc.uri]);
      const again = analyzeDocument({ path: seedPath, text: out }, ctx);
      assert.ok(!again.findings.some((f) => f.code === 'float32-weights'), `${title}:\n${out}`);
    }
  });

  it('offers no refactoring when enforce_eager is already set', () => {
    const text = replaceLast(seed, 'max_model_len=1024', 'max_model_len=1024,enforce_eager=True');
    const { doc, analysis } = setup(text);
    const at = text.lastIndexOf('pretrained');
    assert.equal(
      codeActions(analysis, doc, { start: doc.positionAt(at), end: doc.positionAt(at) }, ['refactor']).length,
      0,
    );
  });
});

describe('hover', () => {
  it('shows the breakdown, the key docs and the sources of the assumptions', () => {
    const { text, offset } = caret(replaceLast(seed, 'gpu_memory_utilization=0.6', 'gpu_memory_util|ization=0.6'));
    const { doc, analysis } = setup(text);
    const h = hover(analysis, doc, offset, ctx);
    const md = (h!.contents as { value: string }).value;
    for (const s of [
      'gpu_memory_utilization',
      'Weights',
      'KV cache',
      'CUDA graphs',
      'Prompt-logprob spike',
      'Budget',
      'A100-80GB',
      'from directive',
      'the newest modelled',
      'multiple_choice',
      'builtin',
      '±',
    ]) {
      assert.ok(md.includes(s), `hover has ${s}:\n${md}`);
    }
    assert.equal(doc.getText(h!.range!), 'gpu_memory_utilization=0.6');
  });

  it('is empty away from a launch', () => {
    const { doc, analysis } = setup(seed);
    assert.equal(hover(analysis, doc, 3, ctx), null);
  });

  it('says why there is no estimate for an unknown model', () => {
    const text = 'lm_eval --model vllm --model_args pretrained=nobody/model-x,dtype=float\n';
    const { doc, analysis } = setup(text);
    const md = (hover(analysis, doc, text.indexOf('nobody'), ctx)!.contents as { value: string }).value;
    assert.match(md, /not in the catalog/);
  });
});

describe('inlay hints and status', () => {
  it('puts `≈ used / budget GiB · verdict` after the model_args', () => {
    const { doc, analysis } = setup(seed);
    const hints = inlayHints(analysis, doc, { start: { line: 0, character: 0 }, end: doc.positionAt(seed.length) });
    assert.equal(hints.length, 1);
    assert.match(String(hints[0].label), /^≈ \d+\.\d \/ \d+\.\d GiB · (fits|at risk of OOM|will fail)$/);
    assert.equal(doc.offsetAt(hints[0].position), seed.lastIndexOf('max_model_len=1024') + 'max_model_len=1024'.length);
  });

  it('reports the GPU and version in use and where they come from', () => {
    const { analysis } = setup(seed);
    const s = documentStatus(analysis, normalizeSettings({}));
    assert.equal(s.gpu, 'A100-80GB');
    assert.equal(s.gpuSource, 'directive');
    assert.equal(s.vllmSource, 'default');
    const none = documentStatus(undefined, normalizeSettings({ gpu: 'L4', vllmVersion: '0.6.3' }));
    assert.deepEqual([none.gpu, none.gpuSource, none.vllmVersion], ['L4', 'settings', '0.6.3']);
  });
});

describe('task configs through the service', () => {
  it('routes task YAML to the validator and run-config YAML to the launch rules', () => {
    const task = analyzeDocument(
      {
        path: path.join(repoRoot, 'examples/tasks/my_qa/my_qa.yaml'),
        text: readFileRel('examples/tasks/my_qa/my_qa.yaml'),
      },
      ctx,
    );
    assert.equal(task.role, 'task-config');
    assert.ok(task.findings.some((f) => f.code === 'unknown-key'));
    const run = analyzeDocument(
      {
        path: path.join(repoRoot, 'examples/seed-run-config.yaml'),
        text: readFileRel('examples/seed-run-config.yaml'),
      },
      ctx,
    );
    assert.equal(run.role, 'launches');
    assert.ok(run.findings.some((f) => f.code === 'float32-weights'));
  });
});

function readFileRel(p: string): string {
  return fs.readFileSync(path.join(repoRoot, p), 'utf8');
}
