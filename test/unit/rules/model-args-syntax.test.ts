// model-args-syntax on the command line follows the lm-eval release in force (QA D3): checked
// against lm_eval/utils.py simple_parse_args_string and the CLI at v0.4.3, v0.4.8, v0.4.9.1 and
// v0.4.10. A release nothing names is either side: a failure only one side has is a warning.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { testContext } from '../../helpers/context';

const findings = (text: string, harness?: string) =>
  analyzeDocument(
    { path: '/w/run.sh', text: `${harness ? `# lm-eval-lens: harness=${harness}\n` : ''}${text}\n` },
    testContext(),
  )
    .findings.filter((x) => x.code === 'model-args-syntax')
    .map((x) => `${x.severity}: ${x.message}`);

const doubled = 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen2.5-7B-Instruct,,dtype=auto --tasks gsm8k';
const spaced = 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen2.5-7B-Instruct, dtype=auto --tasks gsm8k';
const json = `lm_eval --model vllm --model_args '{"pretrained": "Qwen/Qwen2.5-7B-Instruct"}' --tasks gsm8k`;
const bare = 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen2.5-7B-Instruct,trust_remote_code --tasks gsm8k';

describe('model-args-syntax by lm-eval release', () => {
  it('an empty pair: dropped by simple_parse_args_string before 0.4.10, an error from 0.4.10', () => {
    assert.deepEqual(findings(doubled, '0.4.3'), []);
    assert.deepEqual(findings(doubled, '0.4.9.1'), []);
    const [strict] = findings(doubled, '0.4.10');
    assert.match(
      strict,
      /^error: Empty key=value pair \(two commas in a row\): lm-eval's CLI parser raises "ValueError: not enough values to unpack/,
    );
  });

  it('an empty pair with no release named: a warning that names the releases that fail', () => {
    const [unknown] = findings(doubled);
    assert.match(
      unknown,
      /^warning: Empty key=value pair .*lm-eval 0\.4\.10 and later raise .*0\.4\.9\.x and older drop the empty item/,
    );
  });

  it('a blank after the comma: one value before 0.4.10 (argparse stops), a trailing comma from 0.4.10', () => {
    const old = findings(spaced, '0.4.3');
    assert.equal(old.length, 2);
    assert.match(
      old[0],
      /^error: lm-eval 0\.4\.3 takes one --model_args value: argparse stops with "unrecognized arguments"/,
    );
    assert.match(old[1], /^error: Empty key=value pair \(trailing comma\)/);
    assert.deepEqual(
      findings(spaced, '0.4.10').map((x) => x.slice(0, 40)),
      ['error: Empty key=value pair (trailing co'],
    );
    const unknown = findings(spaced);
    assert.match(unknown[0], /^warning: lm-eval before 0\.4\.10 takes one --model_args value/);
    assert.match(unknown[1], /^error: Empty key=value pair/); // every release fails: one way or the other
  });

  it('JSON on the command line: read from 0.4.9, split on commas before', () => {
    assert.deepEqual(findings(json, '0.4.9'), []);
    assert.deepEqual(findings(json), []);
    const [old] = findings(json, '0.4.8');
    assert.match(old, /^error: lm-eval 0\.4\.8 reads --model_args as a key=value string \(JSON from 0\.4\.9\)/);
  });

  it('a bare key: an error where lm-eval raises, a warning where 0.4.8–0.4.9.x pass an empty string', () => {
    assert.match(findings(bare, '0.4.3')[0], /^error: 'trust_remote_code' has no '='/);
    assert.match(
      findings(bare, '0.4.9')[0],
      /^warning: 'trust_remote_code' has no '=': lm-eval 0\.4\.9 passes it as trust_remote_code=""/,
    );
    assert.match(findings(bare, '0.4.10')[0], /^error: 'trust_remote_code' has no '='/);
  });

  it('the Python API is unchanged by the release (simple_parse_args_string in every one)', () => {
    const py = analyzeDocument(
      {
        path: '/w/run.py',
        text: 'import lm_eval\nlm_eval.simple_evaluate(model="vllm", model_args="pretrained=Qwen/Qwen2.5-7B-Instruct,,dtype=auto", tasks=["gsm8k"])\n',
      },
      testContext(),
    ).findings.filter((x) => x.code === 'model-args-syntax');
    assert.deepEqual(py, []);
  });
});
