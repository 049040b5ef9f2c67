// A light Python tokenizer for the launch reader: names, numbers, decoded string literals (with
// their document offsets), operators, logical newlines, bracket depth and each statement's
// indentation. Comments are skipped; the source is never executed.
import type { SourceMappedText } from './mappedText';
import { decodePythonString } from './pythonString';

export type TokKind = 'name' | 'number' | 'string' | 'op' | 'newline';

export interface Tok {
  kind: TokKind;
  /** Index range in the scanned text. */
  start: number;
  end: number;
  text: string;
  str?: SourceMappedText;
  isFString?: boolean;
  /** Bracket depth before this token. */
  depth: number;
  /** Indentation (columns) of the logical line the token belongs to. */
  indent: number;
}

export function tokenizePython(src: SourceMappedText): Tok[] {
  const t = src.text;
  const toks: Tok[] = [];
  let depth = 0;
  let indent = 0;
  let i = 0;
  /** Columns of leading blanks from index k (a tab counts to the next multiple of 8, as Python does). */
  const measure = (k: number) => {
    let col = 0;
    for (; k < t.length && (t[k] === ' ' || t[k] === '\t'); k++) col = t[k] === '\t' ? col + 8 - (col % 8) : col + 1;
    return col;
  };
  indent = measure(0);
  while (i < t.length) {
    const c = t[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && t[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      const nl = t.indexOf('\n', i);
      i = nl < 0 ? t.length : nl;
      continue;
    }
    if (c === '\n') {
      if (depth === 0) {
        if (toks.length && toks[toks.length - 1].kind !== 'newline')
          toks.push({ kind: 'newline', start: i, end: i + 1, text: '\n', depth, indent });
        indent = measure(i + 1);
      }
      i++;
      continue;
    }
    if (c === '"' || c === "'" || (/[rRbBuUfF]/.test(c) && /^[rRbBuUfF]{0,2}['"]/.test(t.slice(i, i + 3)))) {
      const s = decodePythonString(src, i);
      if (s) {
        toks.push({
          kind: 'string',
          start: i,
          end: s.end,
          text: t.slice(i, s.end),
          str: s.value,
          isFString: s.isFString,
          depth,
          indent,
        });
        i = Math.max(s.end, i + 1);
        continue;
      }
    }
    if (/[A-Za-z_\u00c0-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < t.length && /[A-Za-z0-9_\u00c0-\uffff]/.test(t[j])) j++;
      toks.push({ kind: 'name', start: i, end: j, text: t.slice(i, j), depth, indent });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(t[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < t.length && /[0-9A-Za-z_.]/.test(t[j])) {
        if ((t[j] === 'e' || t[j] === 'E') && (t[j + 1] === '+' || t[j + 1] === '-')) j++;
        j++;
      }
      toks.push({ kind: 'number', start: i, end: j, text: t.slice(i, j), depth, indent });
      i = j;
      continue;
    }
    if ('([{'.includes(c)) {
      toks.push({ kind: 'op', start: i, end: i + 1, text: c, depth, indent });
      depth++;
      i++;
      continue;
    }
    if (')]}'.includes(c)) {
      depth = Math.max(0, depth - 1);
      toks.push({ kind: 'op', start: i, end: i + 1, text: c, depth, indent });
      i++;
      continue;
    }
    const two = t.slice(i, i + 2);
    const op = ['**', '==', '!=', '<=', '>=', '->', ':=', '+=', '-=', '*=', '/=', '%='].includes(two) ? two : c;
    toks.push({ kind: 'op', start: i, end: i + op.length, text: op, depth, indent });
    i += op.length;
  }
  return toks;
}

/**
 * For each token, the index of the first later closing bracket at its depth (what closes a bracket
 * opened there), or toks.length: one pass per token list, so a lookup per bracket is not a scan to
 * the end (40,000 nested `(` took 15 s when each layer scanned).
 */
const closers = new WeakMap<Tok[], { length: number; close: Int32Array }>();

function closerTable(toks: Tok[]): Int32Array {
  const cached = closers.get(toks);
  if (cached && cached.length === toks.length) return cached.close;
  const close = new Int32Array(toks.length).fill(toks.length);
  // the tokens at each depth still waiting for a closer at that depth
  const waiting: number[][] = [];
  for (let j = 0; j < toks.length; j++) {
    const t = toks[j];
    if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) {
      const list = waiting[t.depth];
      if (list) {
        for (const k of list) close[k] = j;
        list.length = 0;
      }
    }
    const here = waiting[t.depth];
    if (here) here.push(j);
    else waiting[t.depth] = [j];
  }
  closers.set(toks, { length: toks.length, close });
  return close;
}

/** Index of the token closing the bracket opened at toks[k], or toks.length. */
export function closingIndex(toks: Tok[], k: number): number {
  return closerTable(toks)[k];
}

/** Top-level comma-separated items of the bracket opened at toks[open] (exclusive of brackets). */
export function items(toks: Tok[], open: number, close: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const d = toks[open].depth + 1;
  let s = open + 1;
  for (let j = open + 1; j <= close; j++) {
    if (j === close || (toks[j].depth === d && toks[j].kind === 'op' && toks[j].text === ',')) {
      if (j > s) out.push([s, j]);
      s = j + 1;
    }
  }
  return out;
}

/** Index just past the statement that starts at toks[k] (its newline, a `;`, or a closing bracket). */
export function statementEnd(toks: Tok[], k: number): number {
  const d = toks[k]?.depth ?? 0;
  let j = k;
  while (
    j < toks.length &&
    !(toks[j].kind === 'newline' || (toks[j].depth === d && toks[j].text === ';')) &&
    !(toks[j].depth < d)
  )
    j++;
  return j;
}
