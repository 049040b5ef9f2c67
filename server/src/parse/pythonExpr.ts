// What a Python expression holds, as far as the text says: string literals and their implicit
// concatenation, f-strings, `.format(...)`, `%` formatting and `+` of known parts, names bound
// earlier (module constants, reassignment along a function: the last value wins), `str(x)`,
// `os.environ.get("K", "default")`. A part we cannot know becomes an unresolved hole; a name whose
// value depends on a branch is unknown unless every branch gives a known value (then each is
// checked). The source is never executed.
import type { OffsetRange } from '../shared/findings';
import { clipUserText } from '../shared/userText';
import { concatMapped, MappedBuilder, type SourceMappedText } from './mappedText';
import { bindingsAt, headerOf, noteDefault, resolveSpan, type Binding, type PyCtx } from './pythonBindings';
import { closingIndex, items, type Tok } from './pythonTokens';
import type { Located } from './types';

export type { Binding, PyCtx } from './pythonBindings';
export { bindingsAt, resolveSpan } from './pythonBindings';

export interface StrValue {
  mapped: SourceMappedText;
  range: OffsetRange;
  isFString: boolean;
}

const MAX_DEPTH = 12;
/** More branch assignments than this before a use: the value is unknown (not 2^n alternatives). */
const MAX_BRANCHES = 8;

export function tokRange(ctx: PyCtx, from: number, to: number): OffsetRange {
  const toks = ctx.toks;
  return { start: ctx.src.offsets[toks[from].start] ?? 0, end: ctx.src.ends[toks[to - 1].end - 1] ?? 0 };
}

export function sourceText(ctx: PyCtx, from: number, to: number): string {
  return ctx.src.text.slice(ctx.toks[from].start, ctx.toks[to - 1].end);
}

function hole(ctx: PyCtx, from: number, to: number): SourceMappedText {
  const b = new MappedBuilder(ctx.src);
  b.addHole(ctx.src.text.slice(ctx.toks[from].start, ctx.toks[to - 1].end), ctx.toks[from].start, ctx.toks[to - 1].end);
  return b.build(ctx.toks[to - 1].end);
}

/** Top-level spans of toks[from,to) split on the operator `op`. */
function splitTop(toks: Tok[], from: number, to: number, op: string): Array<[number, number]> {
  const d = toks[from].depth;
  const out: Array<[number, number]> = [];
  let s = from;
  for (let j = from; j < to; j++)
    if (toks[j].depth === d && toks[j].kind === 'op' && toks[j].text === op) {
      out.push([s, j]);
      s = j + 1;
    }
  out.push([s, to]);
  return out;
}

function stripParens(toks: Tok[], from: number, to: number): [number, number] {
  while (to - from >= 2 && toks[from].text === '(' && closingIndex(toks, from) === to - 1) {
    from++;
    to--;
  }
  return [from, to];
}

/**
 * Evaluate toks[from,to) as a string. Unknown parts become holes; undefined when the expression is
 * not a string expression we can read at all.
 */
export function evalString(ctx: PyCtx, from0: number, to0: number, at: number, depth = 0): StrValue | undefined {
  if (depth > MAX_DEPTH || from0 >= to0) return undefined;
  ctx.memo ??= new Map();
  const key = `${from0}:${to0}:${at}`;
  if (ctx.memo.has(key)) return ctx.memo.get(key);
  ctx.memo.set(key, undefined); // a value that refers to itself is not a string we can read
  const v = evalStringOnce(ctx, from0, to0, at, depth);
  ctx.memo.set(key, v);
  return v;
}

function evalStringOnce(ctx: PyCtx, from0: number, to0: number, at: number, depth: number): StrValue | undefined {
  const toks = ctx.toks;
  const [from, to] = stripParens(toks, from0, to0);
  if (from >= to) return undefined;
  const range = tokRange(ctx, from, to);
  const parts = splitTop(toks, from, to, '+');
  if (parts.length > 1) {
    const vals = parts.map(([a, b]) => (a < b ? evalString(ctx, a, b, at, depth + 1) : undefined));
    if (!vals.some((v) => v && !v.mapped.holes?.length)) return undefined; // no known string part
    const mapped = concatMapped(
      vals.map((v, k) => v?.mapped ?? hole(ctx, parts[k][0], parts[k][1])),
      range.start,
    );
    return { mapped, range, isFString: vals.some((v) => v?.isFString) };
  }
  const t0 = toks[from];
  if (t0.kind === 'string') {
    let j = from;
    const pieces: SourceMappedText[] = [];
    let isFString = false;
    while (j < to && toks[j].kind === 'string') {
      const tk = toks[j];
      pieces.push(tk.isFString ? resolveFString(ctx, tk, j, depth) : tk.str!);
      isFString ||= !!tk.isFString;
      j++;
    }
    let mapped = concatMapped(pieces, range.start);
    if (toks[j]?.text === '.' && toks[j + 1]?.text === 'format' && toks[j + 2]?.text === '(') {
      const close = closingIndex(toks, j + 2);
      mapped = applyFormat(ctx, mapped, j + 2, close, at, depth);
      j = close + 1;
    } else if (toks[j]?.text === '%' && j + 1 < to) {
      mapped = applyPercent(ctx, mapped, j + 1, to, at, depth);
      j = to;
    }
    // `.strip()` and friends keep a launch string as it is.
    while (
      toks[j]?.text === '.' &&
      /^(strip|rstrip|lstrip)$/.test(toks[j + 1]?.text ?? '') &&
      toks[j + 2]?.text === '('
    ) {
      const close = closingIndex(toks, j + 2);
      if (close !== j + 3) break;
      j = close + 1;
    }
    if (j !== to) return undefined;
    return { mapped, range, isFString };
  }
  if (t0.kind === 'name' && to - from === 1) {
    const v = nameValue(ctx, t0.text, from, at, depth);
    return v ? { ...v, range: v.range } : undefined;
  }
  // `args.model`: what argparse gives when the flag is not passed (as `${1:-default}` in shell).
  if (to - from === 3 && t0.kind === 'name' && toks[from + 1].text === '.' && toks[from + 2].kind === 'name') {
    const d = argparseDefault(ctx, toks[from + 2].text, depth);
    return d ? { mapped: d, range, isFString: false } : undefined;
  }
  // str(x)
  if (t0.text === 'str' && toks[from + 1]?.text === '(' && closingIndex(toks, from + 1) === to - 1) {
    const s = scalarText(ctx, from + 2, to - 1, at, depth + 1);
    return s ? { mapped: s, range, isFString: false } : { mapped: hole(ctx, from, to), range, isFString: false };
  }
  const env = environLookup(ctx, from, to, at, depth);
  if (env) return { mapped: env, range, isFString: false };
  return undefined;
}

/** A name's string value at `at`; branches that disagree (or any unknown) make it a hole at the name. */
function nameValue(ctx: PyCtx, name: string, tokIndex: number, at: number, depth: number): StrValue | undefined {
  const alts = nameAlternatives(ctx, name, at, depth);
  if (!alts) return undefined;
  if (alts.length === 1) return alts[0];
  const range = tokRange(ctx, tokIndex, tokIndex + 1);
  return { mapped: hole(ctx, tokIndex, tokIndex + 1), range, isFString: false };
}

/**
 * Every value a name may hold at `at` when each is a known string: one for a plain assignment, one
 * per branch when the assignments sit in branches (the launch is checked with each). Undefined when
 * the name is not bound to a string expression; one hole-bearing value when any branch is unknown.
 */
export function nameAlternatives(ctx: PyCtx, name: string, at: number, depth = 0): StrValue[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const { chain, branches } = bindingsAt(ctx, name, at);
  if (!chain.length && !branches.length) {
    const a = ctx.assumed?.[name];
    return a ? [{ mapped: fromDirective(a), range: a.range, isFString: false }] : undefined;
  }
  if (branches.length > MAX_BRANCHES || chain[0]?.append) {
    // Too many ways to get here, or `+=` onto a value set nowhere we can see: unknown.
    const b = chain[0] ?? branches[0];
    return [{ mapped: hole(ctx, b.at, b.at + 1), range: tokRange(ctx, b.at, b.at + 1), isFString: false }];
  }
  const evalBinding = (b: Binding) => evalString(ctx, b.from, b.to, b.at, depth + 1);
  let base: StrValue | undefined;
  for (const b of chain) {
    const v = evalBinding(b);
    if (!v) return undefined;
    base =
      base && b.append
        ? { mapped: concatMapped([base.mapped, v.mapped]), range: base.range, isFString: base.isFString || v.isFString }
        : v;
  }
  // An `if … else` that assigns in its `else` too leaves no path where the earlier value survives.
  const exhaustive = branches.some((b) => headerOf(ctx, b) === 'else');
  const alts: StrValue[] = base && !exhaustive ? [base] : [];
  for (const b of branches) {
    const v = evalBinding(b);
    if (!v) return undefined;
    if (b.append) {
      if (!base) return undefined;
      alts.push({
        mapped: concatMapped([base.mapped, v.mapped]),
        range: base.range,
        isFString: base.isFString || v.isFString,
      });
    } else alts.push(v);
  }
  const distinct: StrValue[] = [];
  for (const a of alts) if (!distinct.some((d) => d.mapped.text === a.mapped.text)) distinct.push(a);
  // Unknown in some branch: the value is unknown (the branch that says what little is known).
  const unknown = distinct.find((d) => d.mapped.holes?.length);
  if (distinct.length > 1 && unknown) return [unknown];
  return distinct.slice(0, 4);
}

/** A scalar's text as `str()` / formatting writes it: strings, numbers, True/False/None. */
function scalarText(ctx: PyCtx, from0: number, to0: number, at: number, depth: number): SourceMappedText | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const toks = ctx.toks;
  const [from, to] = stripParens(toks, from0, to0);
  if (from >= to) return undefined;
  const t0 = toks[from];
  if (to - from === 1 && (t0.kind === 'number' || /^(True|False|None)$/.test(t0.text))) {
    const b = new MappedBuilder(ctx.src);
    b.copy(t0.start, t0.end);
    return b.build(t0.end);
  }
  if (to - from === 2 && t0.text === '-' && toks[from + 1].kind === 'number') {
    const b = new MappedBuilder(ctx.src);
    b.copy(t0.start, toks[from + 1].end);
    return b.build(toks[from + 1].end);
  }
  if (to - from === 1 && t0.kind === 'name') {
    const { chain, branches } = bindingsAt(ctx, t0.text, at);
    if (chain.length === 1 && !branches.length && !chain[0].append) {
      const b = chain[0];
      const s = scalarText(ctx, b.from, b.to, b.at, depth + 1);
      if (s) return s;
    }
  }
  return evalString(ctx, from, to, at, depth + 1)?.mapped;
}

/** `os.environ.get("K", d)`, `os.getenv("K", d)`, `os.environ["K"]`: a value set earlier in the file, else the default. */
function environLookup(ctx: PyCtx, from: number, to: number, at: number, depth: number): SourceMappedText | undefined {
  const toks = ctx.toks;
  const dotted = toks
    .slice(from, Math.min(to, from + 6))
    .map((t) => t.text)
    .join('');
  let open = -1;
  let subscript = false;
  if (dotted.startsWith('os.environ.get(')) open = from + 5;
  else if (dotted.startsWith('os.getenv(')) open = from + 3;
  else if (dotted.startsWith('os.environ[')) {
    open = from + 3;
    subscript = true;
  }
  if (open < 0 || toks[open]?.text !== (subscript ? '[' : '(') || closingIndex(toks, open) !== to - 1) return undefined;
  const args = items(toks, open, to - 1);
  const key = args[0] && evalString(ctx, args[0][0], args[0][1], at, depth + 1);
  if (!key || key.mapped.holes?.length) return hole(ctx, from, to);
  let set: SourceMappedText | undefined;
  for (const e of ctx.environ) if (e.at < at && e.name === key.mapped.text) set = e.value;
  if (set) return set;
  const assumed = ctx.assumed?.[key.mapped.text];
  if (assumed) return fromDirective(assumed);
  if (!subscript && args[1]) {
    const d = evalString(ctx, args[1][0], args[1][1], at, depth + 1);
    if (d) {
      const call = dotted.startsWith('os.getenv(') ? 'os.getenv' : 'os.environ.get';
      noteDefault(
        ctx,
        d.mapped,
        `\`${call}(${JSON.stringify(clipUserText(key.mapped.text))}, …)\`, which the environment may set`,
      );
      return d.mapped;
    }
  }
  return hole(ctx, from, to);
}

/** An f-string with the fields whose expression is a name bound to a known scalar filled in. */
function resolveFString(ctx: PyCtx, tk: Tok, tokIndex: number, depth: number): SourceMappedText {
  const str = tk.str!;
  if (!str.holes?.length) return str;
  const b = new MappedBuilder(str);
  let k = 0;
  for (const h of str.holes) {
    b.copy(k, h.start);
    const field = str.text.slice(h.start, h.end);
    const m = /^\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\s*\}$/.exec(field);
    const value = !m ? undefined : m[2] ? argparseDefault(ctx, m[2], depth) : fieldValue(ctx, m[1], tokIndex, depth);
    if (value) b.addMapped(value, h.start, h.end);
    else b.copy(h.start, h.end); // stays a hole
    k = h.end;
  }
  b.copy(k, str.text.length);
  return b.build(str.text.length);
}

/** The default of `parser.add_argument("--name", default=…)` for `args.name`, as text. */
function argparseDefault(ctx: PyCtx, dest: string, depth: number): SourceMappedText | undefined {
  if (!ctx.argDefaults) {
    ctx.argDefaults = new Map();
    const toks = ctx.toks;
    for (let k = 0; k + 1 < toks.length; k++) {
      if (toks[k].text !== 'add_argument' || toks[k + 1].text !== '(' || toks[k - 1]?.text !== '.') continue;
      const close = closingIndex(toks, k + 1);
      let name: string | undefined;
      let flag: string | undefined;
      let def: [number, number] | undefined;
      for (const [a, b] of items(toks, k + 1, close)) {
        if (toks[a].kind === 'string' && toks[a].str?.text.startsWith('--') && !name) {
          flag = toks[a].str!.text;
          name = flag.slice(2).replace(/-/g, '_');
        } else if (toks[a].text === 'dest' && toks[a + 1]?.text === '=' && toks[a + 2]?.kind === 'string')
          name = toks[a + 2].str?.text;
        else if (toks[a].text === 'default' && toks[a + 1]?.text === '=') def = [a + 2, b];
      }
      if (name && def && !ctx.argDefaults.has(name)) ctx.argDefaults.set(name, { span: def, flag: flag ?? name });
    }
  }
  const d = ctx.argDefaults.get(dest);
  if (!d) return undefined;
  const value = scalarText(ctx, d.span[0], d.span[1], d.span[0], depth + 1);
  // what runs when the flag is not passed: the command line may pass another value
  if (value) noteDefault(ctx, value, `\`${clipUserText(d.flag)}\` (an argparse default)`);
  return value;
}

/** A `$NAME=value` directive's value, pointing at where the directive writes it. */
function fromDirective(l: Located<string>): SourceMappedText {
  const n = l.value.length;
  const exact = l.range.end - l.range.start === n;
  const offsets = Array.from({ length: n + 1 }, (_, k) =>
    exact ? l.range.start + k : k < n ? l.range.start : l.range.end,
  );
  const ends = Array.from({ length: n }, (_, k) => (exact ? l.range.start + k + 1 : l.range.end));
  return { text: l.value, offsets, ends };
}

function fieldValue(ctx: PyCtx, name: string, at: number, depth: number): SourceMappedText | undefined {
  if (!ctx.bindings.has(name) && ctx.assumed?.[name]) return fromDirective(ctx.assumed[name]);
  const { chain, branches } = bindingsAt(ctx, name, at);
  if (branches.length || !chain.length) return undefined;
  if (chain.length === 1) return scalarText(ctx, chain[0].from, chain[0].to, chain[0].at, depth + 1);
  const v = nameAlternatives(ctx, name, at, depth + 1);
  return v?.length === 1 && !v[0].mapped.holes?.length ? v[0].mapped : undefined;
}

/** `"…{}…{name}…".format(a, name=b)`; `{{` and `}}` are literal braces. */
function applyFormat(
  ctx: PyCtx,
  template: SourceMappedText,
  open: number,
  close: number,
  at: number,
  depth: number,
): SourceMappedText {
  const toks = ctx.toks;
  const positional: Array<[number, number]> = [];
  const named = new Map<string, [number, number]>();
  for (const [a, b] of items(toks, open, close)) {
    if (toks[a].kind === 'name' && toks[a + 1]?.text === '=' && a + 2 < b) named.set(toks[a].text, [a + 2, b]);
    else if (toks[a].text === '*' || toks[a].text === '**') return unknownTemplate(template);
    else positional.push([a, b]);
  }
  const t = template.text;
  const out = new MappedBuilder(template);
  let auto = 0;
  let k = 0;
  while (k < t.length) {
    const c = t[k];
    if ((c === '{' && t[k + 1] === '{') || (c === '}' && t[k + 1] === '}')) {
      out.add(c, k, k + 2);
      k += 2;
      continue;
    }
    if (c !== '{') {
      out.copy(k, k + 1);
      k++;
      continue;
    }
    const end = t.indexOf('}', k);
    if (end < 0) {
      out.copy(k, t.length);
      break;
    }
    const field = t.slice(k + 1, end);
    const m = /^([A-Za-z_][A-Za-z0-9_]*|\d*)$/.exec(field);
    let span: [number, number] | undefined;
    if (m) span = m[1] === '' ? positional[auto++] : /^\d+$/.test(m[1]) ? positional[Number(m[1])] : named.get(m[1]);
    const value = span && scalarText(ctx, span[0], span[1], at, depth + 1);
    if (value && !value.holes?.length) out.addMapped(value, k, end + 1);
    else out.addHole(t.slice(k, end + 1), k, end + 1);
    k = end + 1;
  }
  return out.build(t.length);
}

/** `"…%s…%(name)s…" % args`; `%%` is a literal percent. */
function applyPercent(
  ctx: PyCtx,
  template: SourceMappedText,
  from0: number,
  to0: number,
  at: number,
  depth: number,
): SourceMappedText {
  const toks = ctx.toks;
  const [from, to] = resolveSpan(ctx, from0, to0, at);
  let positional: Array<[number, number]> = [];
  const named = new Map<string, [number, number]>();
  if (toks[from].text === '(' && closingIndex(toks, from) === to - 1) positional = items(toks, from, to - 1);
  else if (toks[from].text === '{' && closingIndex(toks, from) === to - 1) {
    for (const [a, b] of items(toks, from, to - 1)) {
      const colon = toks.findIndex((x, j) => j >= a && j < b && x.text === ':' && x.depth === toks[from].depth + 1);
      if (colon < 0) continue;
      const key = evalString(ctx, a, colon, at, depth + 1);
      if (key && !key.mapped.holes?.length) named.set(key.mapped.text, [colon + 1, b]);
    }
  } else positional = [[from, to]];
  const t = template.text;
  const out = new MappedBuilder(template);
  let next = 0;
  let k = 0;
  while (k < t.length) {
    if (t[k] !== '%') {
      out.copy(k, k + 1);
      k++;
      continue;
    }
    if (t[k + 1] === '%') {
      out.add('%', k, k + 2);
      k += 2;
      continue;
    }
    const m = /^%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?([sdirf])/.exec(t.slice(k, k + 64));
    if (!m) {
      out.copy(k, k + 1);
      k++;
      continue;
    }
    const span = m[1] !== undefined ? named.get(m[1]) : positional[next++];
    const value = span && scalarText(ctx, span[0], span[1], at, depth + 1);
    if (value && !value.holes?.length && (m[2] === 's' || /^-?\d+(\.\d+)?$/.test(value.text)))
      out.addMapped(value, k, k + m[0].length);
    else out.addHole(m[0], k, k + m[0].length);
    k += m[0].length;
  }
  return out.build(t.length);
}

function unknownTemplate(template: SourceMappedText): SourceMappedText {
  const b = new MappedBuilder(template);
  b.addHole(template.text, 0, template.text.length);
  return b.build(template.text.length);
}

/** The whole string when a part of it is unknown: used for located values. */
export function locatedString(v: StrValue): Located<string> {
  return { value: v.mapped.text, range: v.range };
}
