import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSuppressed, parseDirectives } from '../../../server/src/parse/directives';

describe('parseDirectives', () => {
  it('reads gpu, vllm and harness with exact value ranges', () => {
    const text = '#!/bin/bash\n# lm-eval-lens: gpu=A100-80GB vllm=0.6.3 harness=0.4.9\nlm_eval\n';
    const d = parseDirectives(text);
    assert.equal(d.gpu?.value, 'A100-80GB');
    assert.equal(text.slice(d.gpu!.range.start, d.gpu!.range.end), 'A100-80GB');
    assert.equal(d.vllm?.value, '0.6.3');
    assert.equal(text.slice(d.vllm!.range.start, d.vllm!.range.end), '0.6.3');
    assert.equal(d.harness?.value, '0.4.9');
    assert.equal(d.fileDirectiveInsertOffset, '#!/bin/bash\n'.length);
  });

  it('accepts a GPU count and other comment leaders', () => {
    assert.equal(parseDirectives('// lm-eval-lens: gpu=4xH100-80GB').gpuCount, 4);
    assert.equal(parseDirectives('// lm-eval-lens: gpu=4xH100-80GB').gpu?.value, 'H100-80GB');
    assert.equal(parseDirectives('<!-- lm-eval-lens: gpu=L4 -->').gpu?.value, 'L4');
    assert.equal(parseDirectives('# lm-eval-lens: gpus=2').gpuCount, 2);
  });

  it('ignores the words outside a comment', () => {
    assert.equal(parseDirectives('echo "lm-eval-lens: gpu=L4"').gpu, undefined);
  });

  it('disables for the file at the top, for the next line in the middle, and for its own line at the end', () => {
    const text = [
      '# lm-eval-lens: disable=float32-weights',
      'lm_eval --model vllm',
      '# lm-eval-lens: disable=logprobs-spike,lmeval/kv-cache-too-small',
      'lm_eval --model vllm',
      'lm_eval --model vllm # lm-eval-lens: disable=unknown-model',
    ].join('\n');
    const d = parseDirectives(text);
    assert.ok(isSuppressed(d, 'float32-weights', 3, 3));
    assert.ok(isSuppressed(d, 'logprobs-spike', 3, 3));
    assert.ok(isSuppressed(d, 'kv-cache-too-small', 3, 3));
    assert.ok(!isSuppressed(d, 'logprobs-spike', 1, 1));
    assert.ok(isSuppressed(d, 'unknown-model', 4, 4));
    assert.ok(!isSuppressed(d, 'unknown-model', 3, 3));
  });
});

describe('directives inside JSON strings', () => {
  it('reads a notebook cell line and stops at the escaped newline', () => {
    const text = '{"source": ["# lm-eval-lens: gpu=L4 vllm=0.6.3\\n", "!lm_eval"]}';
    const d = parseDirectives(text);
    assert.equal(d.gpu?.value, 'L4');
    assert.equal(d.vllm?.value, '0.6.3');
    assert.equal(text.slice(d.vllm!.range.start, d.vllm!.range.end), '0.6.3');
    assert.equal(parseDirectives(text, '/w/eval.ipynb').gpu?.value, 'L4', 'a notebook cell is script text');
  });

  it('in other JSON a string is data: a package.json description quoting a directive configures nothing', () => {
    const text = [
      '{',
      '  "markdownDescription": "Empty: a `# lm-eval-lens: gpu=... vllm=...` directive in a file wins.",',
      '  "note": "x \\" # lm-eval-lens: vllm=9.9"',
      '}',
    ].join('\n');
    for (const p of ['/w/package.json', '/w/.vscode/settings.jsonc', '/w/x.code-workspace']) {
      const d = parseDirectives(text, p);
      assert.equal(d.gpu, undefined, p);
      assert.equal(d.vllm, undefined, p);
    }
  });

  it('in JSONC a comment still counts, after a value too', () => {
    const text = '{\n  // lm-eval-lens: gpu=L4\n  "args": ["--model", "vllm"] // lm-eval-lens: vllm=0.6.3\n}';
    const d = parseDirectives(text, '/w/.vscode/launch.json');
    assert.equal(d.gpu?.value, 'L4');
    assert.equal(d.vllm?.value, '0.6.3');
  });
});
