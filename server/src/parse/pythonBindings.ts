// Which assignments of a Python name decide its value at a use: the last one on the use's own path
// (it always ran), and those after it that may not have (inside an `if`, a loop, a `try`, an
// earlier block at the same depth). Indentation decides, as in Python; a sibling `else`/`except`
// block or another function is not on the path. Read as text; never executed.
import { mappedRange, type SourceMappedText } from './mappedText';
import type { Tok } from './pythonTokens';
import type { StrValue } from './pythonExpr';
import type { DefaultValue, EmbeddingKind, Located } from './types';

export interface Binding {
  /** Token index of the bound name. */
  at: number;
  /** Token span of the value. */
  from: number;
  to: number;
  /** Indentation of the assignment statement. */
  indent: number;
  /** `NAME += value`. */
  append: boolean;
}

export interface PyCtx {
  src: SourceMappedText;
  toks: Tok[];
  /** Assignments by target: `NAME`, or `NAME["key"]` for a dict entry set after the dict. */
  bindings: Map<string, Binding[]>;
  embedding: EmbeddingKind;
  /** `os.environ["K"] = "v"` seen so far, by token index. */
  environ: Array<{ at: number; name: string; loc: Located<string>; value: SourceMappedText }>;
  /** Values already evaluated, by token span and position (each expression is read once). */
  memo?: Map<string, StrValue | undefined>;
  /** For each statement's first token: the first later statement that is less indented (-1: none). */
  nextDedent?: Int32Array;
  /** Values for names the file reads but never sets, from `# lm-eval-lens: $NAME=value` directives. */
  assumed?: Readonly<Record<string, Located<string>>>;
  /** argparse `add_argument(…, default=…)` value spans by destination (`--max-len` → `max_len`), with the flag as written. */
  argDefaults?: Map<string, { span: [number, number]; flag: string }>;
  /** Defaults the file's values were taken from (an argparse default, `os.environ.get("K", d)`). */
  defaults?: DefaultValue[];
}

/**
 * The assignments of `name` that decide its value at token `at`: the last one on the use's own path
 * (at its indentation or shallower, in no block closed since: it always ran), and those after it
 * that may or may not have run (inside an `if`, a loop, a `try`, or an earlier block at the same
 * depth). An assignment in a sibling `else`/`elif`/`except` block, or in another function, is not
 * on the path at all.
 */
export function bindingsAt(ctx: PyCtx, name: string, at: number): { chain: Binding[]; branches: Binding[] } {
  const list = ctx.bindings.get(name);
  if (!list) return { chain: [], branches: [] };
  const useIndent = ctx.toks[at]?.indent ?? 0;
  // Walk back from the use to the assignment that always ran: what is before it does not matter.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  const appends: Binding[] = [];
  const branches: Binding[] = [];
  for (let k = lo - 1, steps = 0; k >= 0; k--, steps++) {
    // A name rebound thousands of times in branches: unknown rather than slow.
    if (steps > MAX_BINDINGS_WALKED) return { chain: [], branches: [list[k]] };
    const b = list[k];
    const where = placeOf(ctx, b, at, useIndent);
    if (where === 'off-path') continue;
    if (where === 'branch') branches.unshift(b);
    else if (b.append) appends.unshift(b);
    else return { chain: [b, ...appends], branches };
  }
  return { chain: appends, branches };
}

const MAX_BINDINGS_WALKED = 64;
/** How many names a value may go through (`a = b`, `b = c`, …). */
const MAX_DEPTH = 12;

/** The first word of the block header an assignment sits under (`if`, `else`, `for`, `def`, ...). */
export function headerOf(ctx: PyCtx, b: Binding): string | undefined {
  const toks = ctx.toks;
  for (let j = b.at - 1, steps = 0; j >= 0 && steps < 100_000; j--, steps++) {
    if (toks[j].kind === 'newline' || (j > 0 && toks[j - 1].kind !== 'newline')) continue;
    if (toks[j].indent < b.indent) return toks[j].text;
  }
  return undefined;
}

const EXCLUSIVE = new Set(['else', 'elif', 'except', 'finally', 'def', 'class', 'async']);

/** Next-smaller-indentation links between statement starts, computed once per file. */
function nextDedent(ctx: PyCtx): Int32Array {
  if (ctx.nextDedent) return ctx.nextDedent;
  const toks = ctx.toks;
  const next = new Int32Array(toks.length).fill(-1);
  const stack: number[] = [];
  for (let j = 0; j < toks.length; j++) {
    if (toks[j].kind === 'newline' || (j > 0 && toks[j - 1].kind !== 'newline')) continue;
    while (stack.length && toks[stack[stack.length - 1]].indent > toks[j].indent) next[stack.pop()!] = j;
    stack.push(j);
  }
  ctx.nextDedent = next;
  return next;
}

function placeOf(ctx: PyCtx, b: Binding, at: number, useIndent: number): 'path' | 'branch' | 'off-path' {
  if (b.indent > useIndent) return 'branch';
  // The first statement after the assignment that is less indented than it: a block closed there.
  const d = nextDedent(ctx)[b.at];
  if (d < 0 || d >= at) return 'path';
  return EXCLUSIVE.has(ctx.toks[d].text) ? 'off-path' : 'branch';
}

/** A bare name → the token span of the one value it certainly holds; otherwise the span itself. */
export function resolveSpan(ctx: PyCtx, from: number, to: number, at: number, depth = 0): [number, number] {
  const toks = ctx.toks;
  if (depth > MAX_DEPTH || to - from !== 1 || toks[from].kind !== 'name') return [from, to];
  const { chain, branches } = bindingsAt(ctx, toks[from].text, at);
  if (chain.length !== 1 || branches.length) return [from, to];
  const b = chain[0];
  return resolveSpan(ctx, b.from, b.to, b.at, depth + 1);
}

/** Remember that a value came from a default whoever runs the file may override (one entry per place). */
export function noteDefault(ctx: PyCtx, value: SourceMappedText, of: string): void {
  if (!value.text || value.holes?.length) return;
  const range = mappedRange(value, 0, value.text.length);
  ctx.defaults ??= [];
  if (
    ctx.defaults.length >= 1000 ||
    ctx.defaults.some((x) => x.range.start === range.start && x.range.end === range.end)
  )
    return;
  ctx.defaults.push({ value: value.text, range, of });
}
