// A default whoever runs the file may override (`${1:-X}`, `${MODEL:-X}`, an argparse default,
// `os.environ.get("K", X)`) is estimated with, but is not a certain value: findings that rest on it
// are at most warnings and say which default they assumed. A value the file assigns stays certain.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { hover } from '../../../server/src/service/hover';
import { testContext } from '../../helpers/context';

const ctx = testContext({ gpu: 'A100-80GB' });
const big = 'meta-llama/Meta-Llama-3-70B';

function weights(path: string, text: string) {
  const found = analyzeDocument({ path, text }, ctx).findings.filter((f) => f.code === 'weights-exceed-budget');
  assert.equal(found.length, 1, `${path}: one weights-exceed-budget finding in\n${text}`);
  return found[0];
}

describe('default values', () => {
  it("`M=${1:-…}` then `pretrained=$M`: a warning naming the script's argument", () => {
    const f = weights('/w/run.sh', `M=\${1:-${big}}\nlm_eval --model vllm --model_args pretrained=$M --tasks gsm8k\n`);
    assert.equal(f.severity, 'warning');
    assert.match(
      f.message,
      /Judged assuming the default `meta-llama\/Meta-Llama-3-70B` of `\$\{1:-…\}`, the script's argument 1 \(pretrained\)/,
    );
  });

  it('the hover lists the default among what the estimate assumed', () => {
    const text = `M=\${1:-Qwen/Qwen2.5-7B-Instruct}\nlm_eval --model vllm --model_args pretrained=$M --tasks gsm8k\n`;
    const a = analyzeDocument({ path: '/w/run.sh', text }, ctx);
    const doc = TextDocument.create('file:///w/run.sh', 'shellscript', 1, text);
    const h = hover(a, doc, text.indexOf('pretrained') + 1, ctx);
    const md = h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    assert.match(
      md,
      /- Assuming the default `Qwen\/Qwen2\.5-7B-Instruct` of `\$\{1:-…\}`, the script's argument 1 \(pretrained\)/,
    );
  });

  it('`${MODEL:-…}` / `${MODEL:=…}` with MODEL not set in the file: the environment may set it', () => {
    for (const op of [':-', ':=']) {
      const f = weights(
        '/w/run.sh',
        `lm_eval --model vllm --model_args "pretrained=\${MODEL${op}${big}}" --tasks gsm8k\n`,
      );
      assert.equal(f.severity, 'warning', op);
      assert.match(f.message, new RegExp(`of \`\\$\\{MODEL${op}…\\}\`, which the environment may set`), op);
    }
  });

  it('a value the file assigns stays certain: an error', () => {
    for (const text of [
      `M=${big}\nlm_eval --model vllm --model_args pretrained=$M --tasks gsm8k\n`,
      `MODEL=${big}\nlm_eval --model vllm --model_args "pretrained=\${MODEL:-Qwen/Qwen2.5-0.5B}" --tasks gsm8k\n`,
      // a function called with no argument: the default is what runs
      `run() { lm_eval --model vllm --model_args "pretrained=\${1:-${big}}" --tasks gsm8k; }\nrun\n`,
    ]) {
      const f = weights('/w/run.sh', text);
      assert.equal(f.severity, 'error', text);
      assert.doesNotMatch(f.message, /default/, text);
    }
  });

  it('Python: an argparse default and os.environ.get(…, default) are warnings naming them', () => {
    const argparse = weights(
      '/w/run.py',
      [
        'import argparse, lm_eval',
        'p = argparse.ArgumentParser()',
        `p.add_argument("--model_args", default="pretrained=${big}")`,
        'args = p.parse_args()',
        'lm_eval.simple_evaluate(model="vllm", model_args=args.model_args, tasks=["gsm8k"])',
      ].join('\n'),
    );
    assert.equal(argparse.severity, 'warning');
    assert.match(
      argparse.message,
      /Judged assuming the default `pretrained=meta-llama\/Meta-Llama-3-70B` of `--model_args` \(an argparse default\)/,
    );
    const environ = weights(
      '/w/run.py',
      [
        'import os, lm_eval',
        `model = os.environ.get("MODEL", "${big}")`,
        'lm_eval.simple_evaluate(model="vllm", model_args=f"pretrained={model}", tasks=["gsm8k"])',
      ].join('\n'),
    );
    assert.equal(environ.severity, 'warning');
    assert.match(environ.message, /the default `meta-llama\/Meta-Llama-3-70B` of `os\.environ\.get\("MODEL", …\)`/);
    // set in the file before it is read: certain
    const set = weights(
      '/w/run.py',
      [
        'import os, lm_eval',
        `os.environ["MODEL"] = "${big}"`,
        'model = os.environ.get("MODEL", "Qwen/Qwen2.5-0.5B")',
        'lm_eval.simple_evaluate(model="vllm", model_args=f"pretrained={model}", tasks=["gsm8k"])',
      ].join('\n'),
    );
    assert.equal(set.severity, 'error');
  });
});
