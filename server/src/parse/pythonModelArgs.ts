// model_args (and gen_kwargs) of a Python call as a block the rules can read and fix: a `k=v`
// string (through simple_parse_args_string, one block per branch value of a name), a dict literal
// or `dict(...)` whose values are read as Python literals, never executed.
import { attachSequentialRemoveRanges } from './hints';
import { pythonLiteralEval } from './literals';
import { quotingAt, type HostQuoting } from './mappedText';
import { parseModelArgs } from './modelArgs';
import {
  evalString,
  nameAlternatives,
  resolveSpan,
  sourceText,
  tokRange,
  type PyCtx,
  type StrValue,
} from './pythonExpr';
import { closingIndex, items, type Tok } from './pythonTokens';
import { hostEscapingOf } from './lmEvalFlags';
import type { ArgValue, ModelArg, ModelArgsBlock, ModelArgsProblem } from './types';

export function colonAt(toks: Tok[], from: number, to: number, depth: number): number {
  for (let j = from; j < to; j++) if (toks[j].text === ':' && toks[j].depth === depth) return j;
  return -1;
}

type BlockWithLayers = ModelArgsBlock & { hostLayers?: HostQuoting[]; kwargsCall?: boolean };

/** The model_args block(s) of a value: one per branch value when a name differs by branch. */
export function argsBlocks(ctx: PyCtx, span: [number, number], at: number): ModelArgsBlock[] {
  const toks = ctx.toks;
  if (span[1] - span[0] === 1 && toks[span[0]].kind === 'name') {
    const alts = nameAlternatives(ctx, toks[span[0]].text, at);
    if (alts && alts.length > 1) return alts.map((v) => stringBlock(v));
  }
  const s = evalString(ctx, span[0], span[1], at);
  if (s) return [stringBlock(s)];
  const [a, b] = resolveSpan(ctx, span[0], span[1], at);
  if (toks[a]?.text === '{' && closingIndex(toks, a) === b - 1) return [dictBlock(ctx, a, b - 1, at)];
  if (
    toks[a]?.kind === 'name' &&
    toks[a].text === 'dict' &&
    toks[a + 1]?.text === '(' &&
    closingIndex(toks, a + 1) === b - 1
  )
    return [dictCallBlock(ctx, a + 1, b - 1, at)];
  return [];
}

function stringBlock(s: StrValue): ModelArgsBlock {
  const parsed = parseModelArgs(s.mapped, 'python-string');
  const last = parsed.args[parsed.args.length - 1];
  const m = s.mapped;
  const insertOffset = last ? last.range.end : m.offsets[m.text.length];
  const layers = quotingAt(m, Math.max(0, m.text.length - 1));
  const block: BlockWithLayers = {
    dialect: parsed.dialect,
    range: s.range,
    insertOffset,
    hostEscaping: hostEscapingOf(layers.length ? layers : ['python']),
    style: parsed.dialect === 'json' ? { kind: 'json-object', separator: ', ' } : { kind: 'kv-string', separator: ',' },
    args: parsed.args,
    problems: parsed.problems,
  };
  block.hostLayers = layers.length ? layers : ['python'];
  if (parsed.dialect === 'json') {
    const close = m.text.lastIndexOf('}');
    if (!last && close >= 0) block.insertOffset = m.offsets[close];
  }
  return block;
}

function pyValue(
  ctx: PyCtx,
  from: number,
  to: number,
  at: number,
): { value: ArgValue; raw: string; unresolved: boolean } {
  const s = evalString(ctx, from, to, at);
  if (s) return { value: s.mapped.text, raw: s.mapped.text, unresolved: !!s.mapped.holes?.length };
  const [a, b] = resolveSpan(ctx, from, to, at);
  const text = sourceText(ctx, a, b);
  const lit = pythonLiteralEval(text);
  if (lit) return { value: lit.value, raw: text, unresolved: false };
  return { value: text, raw: text, unresolved: true };
}

function dictBlock(ctx: PyCtx, open: number, close: number, at: number): ModelArgsBlock {
  const toks = ctx.toks;
  const args: ModelArg[] = [];
  let keyQuote: '"' | "'" = '"';
  for (const [x, y] of items(toks, open, close)) {
    const colon = colonAt(toks, x, y, toks[open].depth + 1);
    if (colon < 0) continue; // `**other`: unknown pairs
    const key = evalString(ctx, x, colon, at);
    if (!key) continue;
    if (!args.length && toks[x].text.endsWith("'")) keyQuote = "'"; // the user's style: their first key
    const v = pyValue(ctx, colon + 1, y, at);
    const arg: ModelArg = {
      key: key.mapped.text,
      value: v.value,
      rawValue: v.raw,
      keyRange: key.range,
      valueRange: tokRange(ctx, colon + 1, y),
      range: tokRange(ctx, x, y),
    };
    if (v.unresolved) arg.unresolved = true;
    if (key.mapped.holes?.length) arg.keyUnresolved = true;
    args.push(arg);
  }
  attachSequentialRemoveRanges(
    args,
    args.map((x) => x.range),
  );
  const last = args[args.length - 1];
  const sepMatch = /,(\s*)/.exec(sourceText(ctx, open, close + 1));
  const block: BlockWithLayers = {
    dialect: 'mapping',
    range: tokRange(ctx, open, close + 1),
    insertOffset: last ? last.range.end : (ctx.src.offsets[toks[open].end] ?? 0),
    hostEscaping: 'none',
    style: {
      kind: 'python-dict',
      keyQuote,
      separator: sepMatch && !sepMatch[1].includes('\n') ? `,${sepMatch[1]}` : ', ',
    },
    args,
    problems: duplicateProblems(args),
  };
  return block;
}

export function dictCallBlock(ctx: PyCtx, open: number, close: number, at: number): ModelArgsBlock {
  const toks = ctx.toks;
  const args: ModelArg[] = [];
  for (const [x, y] of items(toks, open, close)) {
    if (toks[x].kind !== 'name' || toks[x + 1]?.text !== '=') continue;
    const v = pyValue(ctx, x + 2, y, at);
    const arg: ModelArg = {
      key: toks[x].text,
      value: v.value,
      rawValue: v.raw,
      keyRange: tokRange(ctx, x, x + 1),
      valueRange: tokRange(ctx, x + 2, y),
      range: tokRange(ctx, x, y),
    };
    if (v.unresolved) arg.unresolved = true;
    args.push(arg);
  }
  attachSequentialRemoveRanges(
    args,
    args.map((x) => x.range),
  );
  const last = args[args.length - 1];
  const block: BlockWithLayers = {
    dialect: 'mapping',
    range: tokRange(ctx, open - 1, close + 1),
    insertOffset: last ? last.range.end : (ctx.src.offsets[toks[open].end] ?? 0),
    hostEscaping: 'none',
    style: { kind: 'python-dict', keyQuote: '"', separator: ', ' },
    args,
    problems: duplicateProblems(args),
  };
  block.kwargsCall = true;
  return block;
}

function duplicateProblems(args: ModelArg[]): ModelArgsProblem[] {
  const seen = new Set<string>();
  const out: ModelArgsProblem[] = [];
  for (const a of args) {
    if (seen.has(a.key))
      out.push({
        kind: 'duplicate-key',
        severity: 'warning',
        message: `'${a.key}' is given more than once: Python keeps the last value.`,
        range: a.keyRange,
      });
    seen.add(a.key);
  }
  return out;
}
