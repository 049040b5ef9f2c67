// Literal readers lm-eval's parsers rely on, reimplemented so we never run Python:
// Python's float() syntax, the subset of ast.literal_eval a model_args value can hold, and JSON
// (json.loads, which also takes NaN and Infinity) with the position of every top-level member.
import { jsonEscapeAt } from './jsonString';
import type { ArgValue } from './types';

/** Python float(): surrounding whitespace, `_` between digits, inf/nan. Undefined when it raises. */
export function pythonFloat(text: string): number | undefined {
  const s = text.trim();
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  const digits = '\\d(?:_?\\d)*';
  const re = new RegExp(`^[+-]?(?:(?:${digits})?\\.${digits}|${digits}\\.?)(?:[eE][+-]?${digits})?$`);
  if (!re.test(s)) return undefined;
  return Number(s.replace(/_/g, ''));
}

const MAX_DEPTH = 200;

interface Cursor {
  t: string;
  i: number;
}

class LiteralError extends Error {}

function skipPySpace(c: Cursor): void {
  while (c.i < c.t.length && (c.t[c.i] === ' ' || c.t[c.i] === '\t')) c.i++;
}

/**
 * ast.literal_eval on a string: Python literals (strings with prefixes and implicit concatenation,
 * ints in any base, floats, None/True/False, lists, tuples, sets, dicts; unary +/-). Returns
 * undefined where Python raises ValueError or SyntaxError (the caller then keeps the raw string).
 * Complex numbers and bytes have no ArgValue form and count as not literal.
 */
export function pythonLiteralEval(text: string): { value: ArgValue } | undefined {
  const c: Cursor = { t: text.replace(/^[ \t]+/, ''), i: 0 }; // literal_eval lstrips spaces and tabs
  try {
    const value = pyValue(c, 0);
    skipPySpace(c);
    if (c.t[c.i] === '#') c.i = c.t.length;
    while (c.i < c.t.length && /\s/.test(c.t[c.i])) c.i++;
    if (c.i !== c.t.length) return undefined;
    return { value };
  } catch {
    return undefined;
  }
}

function pyValue(c: Cursor, depth: number): ArgValue {
  if (depth > MAX_DEPTH) throw new LiteralError('too deep');
  skipPySpace(c);
  const t = c.t;
  const ch = t[c.i];
  if (ch === '[' || ch === '(' || ch === '{') return pyContainer(c, depth);
  if (ch === '+' || ch === '-') {
    c.i++;
    skipPySpace(c);
    const v = pyValue(c, depth + 1);
    if (typeof v !== 'number') throw new LiteralError('unary operand');
    return ch === '-' ? -v : v;
  }
  const str = pyStringRun(c);
  if (str !== undefined) return str;
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(c.i, c.i + 64));
  if (word) {
    c.i += word[0].length;
    if (word[0] === 'None') return null;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    throw new LiteralError('name');
  }
  const num =
    /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?\.?)/.exec(
      t.slice(c.i, c.i + 400),
    );
  if (num?.[0]) {
    c.i += num[0].length;
    if (/^[jJlL]/.test(t[c.i] ?? '')) throw new LiteralError('complex');
    const s = num[0].replace(/_/g, '');
    if (/^0[xob]/i.test(s)) return Number(s.toLowerCase());
    if (/^0\d/.test(s) && !/[.eE]/.test(s) && /[1-9]/.test(s)) throw new LiteralError('leading zero');
    const n = Number(s);
    if (Number.isNaN(n)) throw new LiteralError('number');
    return n;
  }
  throw new LiteralError('unexpected');
}

function pyStringRun(c: Cursor): string | undefined {
  let out: string | undefined;
  for (;;) {
    skipPySpace(c);
    const m = /^([rRuU]?)(['"])/.exec(c.t.slice(c.i, c.i + 3));
    if (!m) {
      if (/^[bBfF]/.test(c.t[c.i] ?? '') && /^[bBfFrR]{1,2}['"]/.test(c.t.slice(c.i, c.i + 3)))
        throw new LiteralError('bytes or f-string');
      return out;
    }
    const raw = m[1].toLowerCase() === 'r';
    const q = m[2];
    let j = c.i + m[0].length;
    const triple = c.t.startsWith(q + q, j);
    const quote = triple ? q.repeat(3) : q;
    if (triple) j += 2;
    let s = '';
    for (;;) {
      if (j >= c.t.length) throw new LiteralError('unterminated');
      if (c.t.startsWith(quote, j)) {
        j += quote.length;
        break;
      }
      const ch = c.t[j];
      if (ch === '\n' && !triple) throw new LiteralError('newline');
      if (ch === '\\' && j + 1 < c.t.length) {
        const e = c.t[j + 1];
        if (raw) {
          s += ch + e;
          j += 2;
          continue;
        }
        const simple: Record<string, string> = {
          '\\': '\\',
          "'": "'",
          '"': '"',
          n: '\n',
          t: '\t',
          r: '\r',
          a: '\x07',
          b: '\b',
          f: '\f',
          v: '\v',
          '\n': '',
        };
        if (simple[e] !== undefined) {
          s += simple[e];
          j += 2;
          continue;
        }
        const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
        const hex = c.t.slice(j + 2, j + 2 + hexLen);
        if (hexLen) {
          if (hex.length !== hexLen || !/^[0-9a-fA-F]+$/.test(hex)) throw new LiteralError('escape');
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) throw new LiteralError('escape');
          s += String.fromCodePoint(cp);
          j += 2 + hexLen;
          continue;
        }
        if (/[0-7]/.test(e)) {
          let k = j + 1;
          while (k < j + 4 && /[0-7]/.test(c.t[k] ?? '')) k++;
          s += String.fromCharCode(parseInt(c.t.slice(j + 1, k), 8));
          j = k;
          continue;
        }
        s += '\\';
        j++;
        continue;
      }
      s += ch;
      j++;
    }
    c.i = j;
    out = (out ?? '') + s;
  }
}

function pyContainer(c: Cursor, depth: number): ArgValue {
  const open = c.t[c.i];
  const close = open === '[' ? ']' : open === '(' ? ')' : '}';
  c.i++;
  const items: ArgValue[] = [];
  const dict: { [key: string]: ArgValue } = {};
  let isDict = false;
  let sawComma = false;
  for (;;) {
    skipPySpace(c);
    if (c.t[c.i] === close) {
      c.i++;
      break;
    }
    if (c.i >= c.t.length) throw new LiteralError('unterminated');
    const v = pyValue(c, depth + 1);
    skipPySpace(c);
    if (open === '{' && c.t[c.i] === ':') {
      if (!isDict && items.length) throw new LiteralError('mixed');
      isDict = true;
      c.i++;
      const val = pyValue(c, depth + 1);
      dict[typeof v === 'string' ? v : JSON.stringify(v)] = val;
      skipPySpace(c);
    } else {
      if (isDict) throw new LiteralError('mixed');
      items.push(v);
    }
    if (c.t[c.i] === ',') {
      c.i++;
      sawComma = true;
      continue;
    }
    if (c.t[c.i] === close) {
      c.i++;
      break;
    }
    throw new LiteralError('separator');
  }
  if (open === '(' && items.length === 1 && !sawComma) return items[0]; // parentheses, not a tuple
  if (open === '{' && (isDict || items.length === 0)) return dict;
  return items;
}

// ---------------------------------------------------------------------------------------------
// JSON (json.loads) with the spans of the top-level object's members.

export interface JsonMember {
  key: string;
  /** [start, end) of the key literal, quotes included. */
  keyStart: number;
  keyEnd: number;
  value: ArgValue;
  valueStart: number;
  valueEnd: number;
}

export type JsonObjectResult =
  | { ok: true; members: JsonMember[]; openAt: number; closeAt: number }
  | { ok: false; errorAt: number; message: string };

class JsonError extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parse `text` as one JSON value that must be an object (whitespace around it allowed). */
export function parseJsonObject(text: string): JsonObjectResult {
  const c: Cursor = { t: text, i: 0 };
  try {
    skipJsonSpace(c);
    if (text[c.i] !== '{') throw new JsonError(c.i, 'expected a JSON object');
    const openAt = c.i;
    c.i++;
    const members: JsonMember[] = [];
    skipJsonSpace(c);
    if (text[c.i] === '}') c.i++;
    else {
      for (;;) {
        skipJsonSpace(c);
        if (text[c.i] !== '"')
          throw new JsonError(
            c.i,
            text[c.i] === "'" ? 'JSON strings need double quotes' : 'expected a double-quoted key',
          );
        const keyStart = c.i;
        const key = jsonString(c);
        const keyEnd = c.i;
        skipJsonSpace(c);
        if (text[c.i] !== ':') throw new JsonError(c.i, "expected ':'");
        c.i++;
        skipJsonSpace(c);
        const valueStart = c.i;
        const value = jsonValue(c, 1);
        members.push({ key, keyStart, keyEnd, value, valueStart, valueEnd: c.i });
        skipJsonSpace(c);
        if (text[c.i] === ',') {
          c.i++;
          continue;
        }
        if (text[c.i] === '}') {
          c.i++;
          break;
        }
        throw new JsonError(c.i, "expected ',' or '}'");
      }
    }
    const closeAt = c.i - 1;
    skipJsonSpace(c);
    if (c.i !== text.length) throw new JsonError(c.i, 'extra data after the object');
    return { ok: true, members, openAt, closeAt };
  } catch (e) {
    if (e instanceof JsonError) return { ok: false, errorAt: Math.min(e.at, text.length), message: e.message };
    return { ok: false, errorAt: c.i, message: 'invalid JSON' };
  }
}

/** Parse any JSON value (json.loads); undefined when invalid. */
export function parseJsonValue(text: string): { value: ArgValue } | undefined {
  const c: Cursor = { t: text, i: 0 };
  try {
    skipJsonSpace(c);
    const value = jsonValue(c, 0);
    skipJsonSpace(c);
    return c.i === text.length ? { value } : undefined;
  } catch {
    return undefined;
  }
}

function skipJsonSpace(c: Cursor): void {
  while (c.i < c.t.length && (c.t[c.i] === ' ' || c.t[c.i] === '\t' || c.t[c.i] === '\n' || c.t[c.i] === '\r')) c.i++;
}

function jsonString(c: Cursor): string {
  const t = c.t;
  let j = c.i + 1;
  let s = '';
  for (;;) {
    if (j >= t.length) throw new JsonError(c.i, 'unterminated string');
    const ch = t[j];
    if (ch === '"') break;
    if (ch < ' ') throw new JsonError(j, 'control character in string');
    if (ch === '\\') {
      const escaped = jsonEscapeAt(t, j);
      if (escaped) {
        s += escaped.value;
        j += escaped.length;
        continue;
      }
      throw new JsonError(j, 'invalid escape');
    }
    s += ch;
    j++;
  }
  c.i = j + 1;
  return s;
}

function jsonValue(c: Cursor, depth: number): ArgValue {
  if (depth > MAX_DEPTH) throw new JsonError(c.i, 'nested too deeply');
  const t = c.t;
  const ch = t[c.i];
  if (ch === '"') return jsonString(c);
  if (ch === '{' || ch === '[') {
    const close = ch === '{' ? '}' : ']';
    c.i++;
    skipJsonSpace(c);
    const obj: { [key: string]: ArgValue } = {};
    const arr: ArgValue[] = [];
    if (t[c.i] === close) {
      c.i++;
      return ch === '{' ? obj : arr;
    }
    for (;;) {
      skipJsonSpace(c);
      if (ch === '{') {
        if (t[c.i] !== '"')
          throw new JsonError(c.i, t[c.i] === "'" ? 'JSON strings need double quotes' : 'expected a double-quoted key');
        const k = jsonString(c);
        skipJsonSpace(c);
        if (t[c.i] !== ':') throw new JsonError(c.i, "expected ':'");
        c.i++;
        skipJsonSpace(c);
        obj[k] = jsonValue(c, depth + 1);
      } else arr.push(jsonValue(c, depth + 1));
      skipJsonSpace(c);
      if (t[c.i] === ',') {
        c.i++;
        continue;
      }
      if (t[c.i] === close) {
        c.i++;
        return ch === '{' ? obj : arr;
      }
      throw new JsonError(c.i, `expected ',' or '${close}'`);
    }
  }
  const lit = /^(?:true|false|null|NaN|-?Infinity|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
    t.slice(c.i, c.i + 400),
  );
  if (!lit) throw new JsonError(c.i, ch === "'" ? 'JSON strings need double quotes' : 'unexpected character');
  c.i += lit[0].length;
  switch (lit[0]) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'NaN':
      return NaN;
    default:
      return Number(lit[0]);
  }
}
