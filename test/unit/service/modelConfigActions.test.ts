import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../../server/src/service/analyze';
import {
  ALLOW_NETWORK_COMMAND,
  FETCH_MODEL_CONFIG_COMMAND,
  fetchArgsFrom,
  hubIdOf,
  modelConfigActions,
} from '../../../server/src/service/modelConfigActions';
import { testContext } from '../../helpers/context';

function actionsFor(text: string, allowNetworkCommand = false) {
  const doc = TextDocument.create('file:///x/run.sh', 'shellscript', 1, text);
  const analysis = analyzeDocument({ path: '/x/run.sh', text }, testContext());
  const range = { start: doc.positionAt(0), end: doc.positionAt(text.length) };
  return modelConfigActions(analysis, doc, range, { allowNetworkCommand });
}

describe('fetch-config code actions', () => {
  it('offers the fetch for an unknown Hub id, with its revision', () => {
    const a = actionsFor('lm_eval --model vllm --model_args pretrained=my-org/my-model,revision=v2 --tasks gsm8k\n');
    assert.deepEqual(
      a.map((x) => [x.title, x.command?.command, x.command?.arguments]),
      [
        [
          'Fetch config.json for my-org/my-model from the Hugging Face Hub',
          FETCH_MODEL_CONFIG_COMMAND,
          [{ id: 'my-org/my-model', revision: 'v2' }],
        ],
      ],
    );
  });
  it('adds "always" only when the client runs the allow-network command', () => {
    const a = actionsFor('lm_eval --model vllm --model_args pretrained=my-org/my-model --tasks gsm8k\n', true);
    assert.deepEqual(
      a.map((x) => x.command?.command),
      [FETCH_MODEL_CONFIG_COMMAND, ALLOW_NETWORK_COMMAND],
    );
  });
  it('nothing for a catalog model, a local path or a placeholder', () => {
    for (const m of ['meta-llama/Meta-Llama-3-8B', '/scratch/ckpt/x', '{model_name}', '$MODEL'])
      assert.deepEqual(actionsFor(`lm_eval --model vllm --model_args pretrained=${m} --tasks gsm8k\n`), [], m);
  });
  it('hub ids and command arguments are checked', () => {
    assert.equal(hubIdOf('https://huggingface.co/my-org/my-model'), 'my-org/my-model');
    assert.equal(hubIdOf('./my-org/my-model'), undefined);
    assert.equal(hubIdOf('gpt2'), undefined);
    assert.deepEqual(fetchArgsFrom([{ id: 'a/b', revision: 'main' }]), { id: 'a/b', revision: 'main' });
    assert.equal(fetchArgsFrom([{ id: 'a/b', revision: '../x' }]), undefined);
    assert.equal(fetchArgsFrom([{ id: '../../etc' }]), undefined);
    assert.equal(fetchArgsFrom('a/b'), undefined);
  });
});
