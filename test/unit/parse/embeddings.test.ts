// Run configs, JSON, notebooks, Markdown and the dispatcher: the details beyond the seed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findInvocations, readerFor } from '../../../server/src/parse/invocations';
import { findJsonInvocations } from '../../../server/src/parse/json';
import { findMarkdownInvocations } from '../../../server/src/parse/markdown';
import { findNotebookInvocations } from '../../../server/src/parse/notebook';
import { findRunConfigInvocation, isRunConfigYaml } from '../../../server/src/parse/runConfig';

const slice = (s: string, r: { start: number; end: number }) => s.slice(r.start, r.end);

describe('run configs', () => {
  it('tells run configs from task configs', () => {
    assert.ok(isRunConfigYaml('model: vllm\ntasks: [mmlu]\n'));
    assert.ok(isRunConfigYaml('model_args:\n  pretrained: x\n'));
    assert.ok(!isRunConfigYaml('task: my_task\ndataset_path: x\nmodel: foo\n'));
    assert.ok(!isRunConfigYaml('foo: [1, 2\n'));
    assert.equal(findRunConfigInvocation('task: x\n'), undefined);
  });
  it('a service spec with a model: mapping or mostly foreign keys is not a run config (QA N5)', () => {
    assert.ok(!isRunConfigYaml('type: service\ncommands:\n  - vllm serve m\nmodel:\n  format: openai\n'));
    assert.ok(!isRunConfigYaml('type: service\nport: 8000\nresources: {gpu: 24GB}\nmodel: m\n'));
    assert.ok(isRunConfigYaml('model: vllm\nmodel_args: pretrained=x\ntasks: [mmlu]\nnote: mine\n'));
  });

  it('a folded model_args broken after a comma puts a space into the next key', () => {
    const text = 'model: vllm\nmodel_args: >-\n  pretrained=a,\n  dtype=float\n';
    const inv = findRunConfigInvocation(text)!;
    assert.deepEqual(
      inv.modelArgs!.args.map((a) => a.key),
      ['pretrained', ' dtype'],
    );
    const p = inv.modelArgs!.problems[0];
    assert.equal(p.kind, 'whitespace-in-key');
    assert.equal(slice(text, p.range), '\n  dtype');
  });

  it('double-quoted YAML escapes map back exactly; YAML 1.1 booleans as PyYAML reads them', () => {
    const text = 'model_args: "pretrained=a\\u002Cb,dtype=float"\ngen_kwargs:\n  do_sample: yes\n';
    const inv = findRunConfigInvocation(text)!;
    // The escaped comma is a real comma once YAML decodes it: lm-eval splits there.
    assert.deepEqual(
      inv.modelArgs!.args.map((a) => a.key),
      ['pretrained', 'b', 'dtype'],
    );
    assert.equal(slice(text, inv.modelArgs!.args[1].keyRange), 'b');
    assert.deepEqual(
      inv.genKwargs!.args.map((a) => [a.key, a.value]),
      [['do_sample', true]],
    );
  });
});

describe('JSON', () => {
  it('a tasks.json command string and a bare argv array', () => {
    const text =
      '{"tasks": [{"label": "eval", "command": "lm_eval --model vllm --model_args \\"pretrained=a,dtype=float\\""}],\n "x": ["--model_args", "pretrained=b"]}';
    const invs = findJsonInvocations(text);
    assert.equal(invs.length, 2);
    assert.deepEqual(
      invs[0].modelArgs!.args.map((a) => slice(text, a.range)),
      ['pretrained=a', 'dtype=float'],
    );
    assert.deepEqual(invs[0].modelArgs!.hostEscaping, 'shell-double');
    assert.deepEqual(
      invs[1].modelArgs!.args.map((a) => a.value),
      ['b'],
    );
  });
});

describe('notebooks', () => {
  it('IPython {expr} in a ! line is unresolved; magics are not Python', () => {
    const nb = JSON.stringify({
      cells: [
        {
          cell_type: 'code',
          source: ['%pip install lm_eval\n', '!lm_eval --model vllm --model_args pretrained={model},dtype=float\n'],
        },
      ],
    });
    const invs = findNotebookInvocations(nb);
    assert.equal(invs.length, 1);
    assert.equal(invs[0].modelArgs!.args[0].unresolved, true);
    assert.equal(invs[0].modelArgs!.args[1].unresolved, undefined);
  });
});

describe('Markdown', () => {
  it('python and yaml fences; other languages are ignored; fences may be indented', () => {
    const text = [
      '```python',
      'simple_evaluate(model="vllm", model_args="pretrained=a")',
      '```',
      '   ~~~yaml',
      '   model: vllm',
      '   model_args: {pretrained: b}',
      '   ~~~',
      '```js',
      'lm_eval --model vllm --model_args pretrained=c',
      '```',
    ].join('\n');
    const invs = findMarkdownInvocations(text);
    assert.deepEqual(
      invs.map((i) => [i.embedding, i.modelArgs!.args[0].value, slice(text, i.modelArgs!.args[0].valueRange)]),
      [
        ['markdown', 'a', 'a'],
        ['markdown', 'b', 'b'],
      ],
    );
  });
});

describe('findInvocations dispatch', () => {
  it('by extension, language id, shebang and content', () => {
    assert.equal(readerFor('', { path: 'x/run.sbatch' }), 'shell');
    assert.equal(readerFor('', { path: 'x/run', languageId: 'shellscript' }), 'shell');
    assert.equal(readerFor('#!/usr/bin/env bash\n', { path: 'x/run' }), 'shell');
    assert.equal(readerFor('', { path: 'x/settings.jsonc' }), 'json');
    assert.equal(readerFor('', { path: 'x/nb.ipynb' }), 'notebook');
    assert.equal(readerFor('', { path: 'x/README' }), 'unknown');
    assert.equal(findInvocations('lm_eval --model vllm --model_args pretrained=a', { path: 'x/README' }).length, 1);
    assert.equal(findInvocations('no launch here', { path: 'x/README' }).length, 0);
    assert.equal(findInvocations('task: x\nmodel: y\n', { path: 'x/t.yaml' }).length, 0);
  });
});
