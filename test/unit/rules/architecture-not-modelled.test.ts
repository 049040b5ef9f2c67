// A model that resolves to an architecture the memory model does not cover gets a note and no
// estimate (issue #16): never a number computed with the wrong formula.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notModelledReason } from '../../../server/src/memory/notModelled';
import { parseConfigJson } from '../../../server/src/memory/configJson';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { testContext } from '../../helpers/context';

const analyze = (pretrained: string) =>
  analyzeDocument(
    { path: '/w/run.sh', text: `lm_eval --model vllm --model_args pretrained=${pretrained} --tasks gsm8k\n` },
    testContext(),
  );

describe('architecture-not-modelled', () => {
  it('catalog models of an unmodelled architecture: one info note with the reason, no estimate-based finding', () => {
    for (const [id, type, reason] of [
      ['deepseek-ai/DeepSeek-V3.2', 'deepseek_v32', /indexer/],
      ['deepseek-ai/DeepSeek-V3.2-Exp', 'deepseek_v32', /indexer/],
      ['zai-org/GLM-5', 'glm_moe_dsa', /indexer/],
      ['deepseek-ai/DeepSeek-V4-Flash', 'deepseek_v4', /compress/],
      ['MiniMaxAI/MiniMax-M3', 'minimax_m3', /sparse/],
      ['google/gemma-4-26B-A4B-it', 'gemma4_text', /head size/],
      ['google/gemma-3n-E4B-it', 'gemma3n_text', /num_kv_shared_layers/],
    ] as const) {
      const { findings } = analyze(id);
      const notes = findings.filter((f) => f.code === 'architecture-not-modelled');
      assert.equal(notes.length, 1, `${id}: ${findings.map((f) => f.code).join(', ')}`);
      assert.equal(notes[0].severity, 'info');
      assert.match(
        notes[0].message,
        new RegExp(`a ${type} model, an architecture the memory model does not cover yet`),
      );
      assert.match(notes[0].details?.join(' ') ?? '', reason, id);
      assert.ok(!findings.some((f) => f.code === 'unknown-model' || f.code === 'kv-cache-too-small'), id);
    }
  });
  it('covered architectures never get the note', () => {
    for (const id of ['deepseek-ai/DeepSeek-V3.1', 'Qwen/Qwen3-Next-80B-A3B-Instruct', 'google/gemma-3-27b-it'])
      assert.ok(!analyze(id).findings.some((f) => f.code === 'architecture-not-modelled'), id);
  });
  it('a config.json is judged by its model_type, or by the keys that introduce the mechanism', () => {
    const base = { num_hidden_layers: 4, hidden_size: 64, num_attention_heads: 4, vocab_size: 100 };
    const parse = (c: Record<string, unknown>) => parseConfigJson(JSON.stringify({ ...base, ...c }), 'x/y');
    assert.match(parse({ model_type: 'deepseek_v32' })!.notModelled!, /DeepSeek Sparse Attention/);
    assert.match(
      parse({ model_type: 'gemma3n', text_config: { model_type: 'gemma3n_text' } })!.notModelled!,
      /Gemma 3n/,
    );
    assert.match(parse({ model_type: 'future_dsa', index_topk: 2048 })!.notModelled!, /^future_dsa: .*indexer/);
    assert.match(parse({ model_type: 'minimax', attn_type_list: [0, 0, 1, 0] })!.notModelled!, /lightning/);
    assert.match(parse({ model_type: 'kv_sharer', num_kv_shared_layers: 2 })!.notModelled!, /reuse another layer/);
    assert.equal(parse({ model_type: 'llama' })!.notModelled, undefined);
    assert.equal(parse({ model_type: 'gemma3n_like', num_kv_shared_layers: 0 })!.notModelled, undefined);
    assert.equal(notModelledReason('qwen3_next', { full_attention_interval: 4 }), undefined);
  });
});
