// Python string literals: prefixes r/b/u/f (any case, combined), ' " ''' """, escapes, f-string
// holes (`{expr}` is unknown statically), decoded with the document offset of every character.
import { MappedBuilder, type Decoded, type SourceMappedText } from './mappedText';

export interface PythonStringInfo extends Decoded {
  prefix: string;
  quote: string;
  isFString: boolean;
  isRaw: boolean;
}

const PY_SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** If a Python string literal (with optional prefix) starts at src.text[i], decode it. */
export function decodePythonString(src: SourceMappedText, i: number): PythonStringInfo | undefined {
  const t = src.text;
  let j = i;
  while (j < t.length && j - i < 2 && /[rRbBuUfF]/.test(t[j])) j++;
  if (t[j] !== '"' && t[j] !== "'") return undefined;
  const prefix = t.slice(i, j).toLowerCase();
  if (prefix && !/^(r|u|b|f|br|rb|fr|rf)$/.test(prefix)) return undefined;
  const q = t[j];
  const quote = t.startsWith(q.repeat(3), j) ? q.repeat(3) : q;
  const isRaw = prefix.includes('r');
  const isFString = prefix.includes('f');
  const b = new MappedBuilder(src);
  b.layer = 'python';
  let k = j + quote.length;
  while (k < t.length) {
    if (t.startsWith(quote, k)) {
      return { value: b.build(k), end: k + quote.length, prefix, quote, isFString, isRaw };
    }
    const c = t[k];
    if (c === '\n' && quote.length === 1) break;
    if (isFString && (c === '{' || (c === '}' && t[k + 1] === '}'))) {
      k = fStringBrace(t, k, quote, b);
      continue;
    }
    if (c !== '\\' || t[k + 1] === undefined) {
      b.add(c, k, k + 1);
      k++;
      continue;
    }
    k = isRaw ? rawEscape(t, k, b) : decodeEscape(t, k, prefix, b);
  }
  return { value: b.build(k), end: k, unterminated: true, prefix, quote, isFString, isRaw };
}

/** `{{`, `}}` or a replacement field `{expr}` at t[k] in an f-string; returns the index past it. */
function fStringBrace(t: string, k: number, quote: string, b: MappedBuilder): number {
  if (t[k] === '}' || t[k + 1] === '{') {
    b.add(t[k], k, k + 2);
    return k + 2;
  }
  const close = fStringHoleEnd(t, k, quote);
  b.addHole(t.slice(k, close), k, close);
  return close;
}

/** A raw string keeps the backslash, but `\'` still does not end it. */
function rawEscape(t: string, k: number, b: MappedBuilder): number {
  b.add(t[k], k, k + 1);
  b.add(t[k + 1], k + 1, k + 2);
  return k + 2;
}

/** The escape sequence whose `\` is at t[k] (a character follows it); returns the index past it. */
function decodeEscape(t: string, k: number, prefix: string, b: MappedBuilder): number {
  const e = t[k + 1];
  if (e === '\n') return k + 2; // line continuation inside the literal
  if (e === '\r' && t[k + 2] === '\n') return k + 3;
  if (PY_SIMPLE_ESCAPES[e] !== undefined) {
    b.add(PY_SIMPLE_ESCAPES[e], k, k + 2);
    return k + 2;
  }
  if (/[0-7]/.test(e)) {
    let m = k + 1;
    while (m < k + 4 && /[0-7]/.test(t[m] ?? '')) m++;
    b.add(String.fromCharCode(parseInt(t.slice(k + 1, m), 8)), k, m);
    return m;
  }
  const hexLen = e === 'x' ? 2 : e === 'u' && !prefix.includes('b') ? 4 : e === 'U' && !prefix.includes('b') ? 8 : 0;
  if (
    hexLen &&
    [...t.slice(k + 2, k + 2 + hexLen)].length === hexLen &&
    /^[0-9a-fA-F]+$/.test(t.slice(k + 2, k + 2 + hexLen))
  ) {
    const cp = parseInt(t.slice(k + 2, k + 2 + hexLen), 16);
    b.add(cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd', k, k + 2 + hexLen);
    return k + 2 + hexLen;
  }
  if (e === 'N' && t[k + 2] === '{') {
    const close = t.indexOf('}', k + 3);
    if (close > 0 && close - k < 100) {
      // A named character: its name is in Python's Unicode database, which we do not carry.
      b.addHole(t.slice(k, close + 1), k, close + 1);
      return close + 1;
    }
  }
  b.add('\\', k, k + 1); // unknown escape: Python keeps the backslash
  return k + 1;
}

/** Index just past the `}` closing the f-string replacement field that opens at t[k]. */
function fStringHoleEnd(t: string, k: number, quote: string): number {
  let depth = 0;
  for (let m = k; m < t.length; m++) {
    const c = t[m];
    if (t.startsWith(quote, m) || (c === '\n' && quote.length === 1)) return m;
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return m + 1;
    }
  }
  return t.length;
}
