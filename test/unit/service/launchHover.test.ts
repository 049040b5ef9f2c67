// Hover on launches the shell model finds (#14): an lm-eval run against a `vllm serve` of the same
// script names that server; an unknown model asks for a directive; unknown settings are listed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { hover } from '../../../server/src/service/hover';
import { inlayHints } from '../../../server/src/service/inlayHints';
import { testContext } from '../../helpers/context';

const ctx = testContext();

function hoverAt(text: string, needle: string): string {
  const doc = TextDocument.create('file:///w/run.sh', 'shellscript', 1, text);
  const a = analyzeDocument({ path: '/w/run.sh', text }, ctx);
  const h = hover(a, doc, text.indexOf(needle) + 1, ctx);
  return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
}

describe('launch hover', () => {
  const script = [
    'vllm serve Qwen/Qwen2.5-7B-Instruct --port 8001 --max-model-len 8192 &',
    'lm_eval --model local-completions --tasks gsm8k --model_args model=Qwen/Qwen2.5-7B-Instruct,base_url=http://127.0.0.1:8001/v1/completions',
  ].join('\n');

  it('a local-completions run links to the server launch on its port', () => {
    const md = hoverAt(script, 'base_url');
    assert.match(md, /Runs against the vLLM server started on line 1 \(`Qwen\/Qwen2.5-7B-Instruct`\): fits/);
  });

  it('the server launch has the memory breakdown, and an inlay hint after its flags', () => {
    assert.match(hoverAt(script, '--max-model-len'), /vLLM memory per GPU/);
    const doc = TextDocument.create('file:///w/run.sh', 'shellscript', 1, script);
    const a = analyzeDocument({ path: '/w/run.sh', text: script }, ctx);
    const hints = inlayHints(a, doc, { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } });
    assert.equal(hints.length, 1);
    assert.equal(hints[0].position.line, 0);
  });

  it('an unknown model asks for a directive; an unknown setting is listed with its default', () => {
    assert.match(
      hoverAt('lm_eval --model vllm --model_args pretrained=$MODEL --tasks gsm8k', 'pretrained'),
      /the model is `\$MODEL`, which is not known here\. Add `# lm-eval-lens: \$MODEL=VALUE`/,
    );
    const md = hoverAt(
      'NUM=$(nvidia-smi -L | wc -l)\nlm_eval --model vllm --model_args pretrained=Qwen/Qwen2.5-7B-Instruct,tensor_parallel_size=$NUM',
      'pretrained',
    );
    assert.match(
      md,
      /tensor_parallel_size is `\$\(nvidia-smi -L \| wc -l\)`, not known here: estimated with vLLM's default/,
    );
  });

  it('a $NAME= directive gives the value', () => {
    const md = hoverAt(
      '# lm-eval-lens: $MODEL=Qwen/Qwen2.5-7B-Instruct\nlm_eval --model vllm --model_args pretrained=$MODEL --tasks gsm8k',
      'pretrained',
    );
    assert.match(md, /vLLM memory per GPU/);
  });
});

describe('values the analysis is told', () => {
  it('a $NAME= directive also gives a Python name or environment variable the file never sets', () => {
    const text = [
      '# lm-eval-lens: $MODEL=Qwen/Qwen2.5-7B-Instruct $LEN=4096',
      'import os, lm_eval',
      'lm_eval.simple_evaluate(model="vllm", model_args=f"pretrained={MODEL},max_model_len={os.environ.get(\'LEN\')}")',
      'lm_eval.simple_evaluate(model="vllm", model_args="pretrained=" + os.environ["MODEL"])',
    ].join('\n');
    const a = analyzeDocument({ path: '/w/run.py', text }, ctx);
    assert.deepEqual(
      a.launches.map((l) => l.pretrained?.value),
      ['Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct'],
    );
    assert.ok(a.launches[1].estimate);
  });

  it('vllm serve --config FILE: what the file sets is unknown, so no estimate finding is an error', () => {
    const text = '# lm-eval-lens: gpu=L4\nvllm serve meta-llama/Llama-3.1-8B --config serve.yaml';
    const a = analyzeDocument({ path: '/w/serve.sh', text }, ctx);
    assert.equal(a.launches[0].unknownArgs[0]?.key, 'config');
    assert.ok(a.findings.length > 0);
    assert.ok(
      a.findings.every((f) => f.severity !== 'error'),
      a.findings.map((f) => f.message).join('\n'),
    );
    assert.match(a.findings[0].message, /whatever serve\.yaml sets/);
  });
});
