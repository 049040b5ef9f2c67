// Shared checks for the seed configuration (lm-eval #1923) in every embedding.
import assert from 'node:assert/strict';
import type { OffsetEdit } from '../../../server/src/shared/findings';
import type { LmEvalInvocation, ModelArg } from '../../../server/src/parse/types';

export const SEED_ARGS: Array<[string, string | number]> = [
  ['pretrained', 'Qwen/Qwen1.5-4B'],
  ['dtype', 'float'],
  ['gpu_memory_utilization', 0.6],
  ['max_model_len', 1024],
];

/** The seed's four pairs with their values, and every range slicing to what the source writes. */
export function assertSeedArgs(text: string, inv: LmEvalInvocation, opts: { quotedValues?: boolean } = {}): void {
  const block = inv.modelArgs;
  assert.ok(block, 'model_args block');
  assert.deepEqual(
    block.args.map((a) => [a.key, a.value]),
    SEED_ARGS,
  );
  assert.deepEqual(block.problems, []);
  for (const a of block.args) {
    assert.equal(unquote(text.slice(a.keyRange.start, a.keyRange.end)), a.key, `key range of ${a.key}`);
    const written = text.slice(a.valueRange.start, a.valueRange.end);
    assert.equal(opts.quotedValues ? unquote(written) : written, String(a.value), `value range of ${a.key}`);
    assert.ok(a.range.start <= a.keyRange.start && a.range.end >= a.valueRange.end, `pair range of ${a.key}`);
  }
  assert.equal(inv.model?.value, 'vllm');
  assert.equal(unquote(text.slice(inv.model!.range.start, inv.model!.range.end)), 'vllm');
  assert.deepEqual(
    inv.tasks?.map((t) => t.name),
    ['mmlu'],
  );
  assert.equal(text.slice(inv.tasks![0].range.start, inv.tasks![0].range.end), 'mmlu');
  assert.equal(inv.batchSize?.value, 'auto');
}

/** A literal's text without its quotes (also JSON-escaped ones, for code inside a notebook). */
export function unquote(s: string): string {
  return s.replace(/^\\?['"]|\\?['"]$/g, '');
}

export function applyEdit(text: string, e: OffsetEdit): string {
  return text.slice(0, e.range.start) + e.newText + text.slice(e.range.end);
}

export function argMap(inv: LmEvalInvocation | undefined): Map<string, ModelArg> {
  return new Map((inv?.modelArgs?.args ?? []).map((a) => [a.key, a]));
}
