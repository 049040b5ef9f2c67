// Shell function definitions, `name() { … }`, `function name { … }`, `function name() ( … )`: the
// body is kept as text and read when the function is called (shell.ts), with the call's arguments.
import { sliceMapped, type SourceMappedText } from './mappedText';
import type { Command } from './shellCommand';
import type { ShellFunction } from './shellScope';
import { balancedEnd } from './shellWord';

/** A function definition and the index just past its body. */
export interface FunctionDefinition {
  fn: ShellFunction;
  end: number;
}

const FUNCTION_NAME = /^[A-Za-z_][\w.:-]*$/;

/** `name ( ) { … }` (or `function name ( ) …`) with the `(` at src.text[i], the name the command's last word. */
export function functionAtParen(src: SourceMappedText, i: number, cmd: Command): FunctionDefinition | undefined {
  if (cmd.words.length !== 1 && !(cmd.words.length === 2 && cmd.words[0].value.text === 'function')) return undefined;
  const name = cmd.words[cmd.words.length - 1].value.text;
  if (!FUNCTION_NAME.test(name)) return undefined;
  const m = /^\(\s*\)/.exec(src.text.slice(i, i + 64));
  if (!m) return undefined;
  return functionBody(src, i + m[0].length, name);
}

/** `function name { … }` / `function name() { … }`, the name ending at src.text[end]. */
export function functionAfterKeyword(src: SourceMappedText, end: number, name: string): FunctionDefinition | undefined {
  if (!FUNCTION_NAME.test(name)) return undefined;
  const m = /^[ \t]*(\(\s*\))?/.exec(src.text.slice(end, end + 64));
  return functionBody(src, end + (m ? m[0].length : 0), name);
}

/** The `{ … }` or `( … )` body that follows (after blanks) src.text[from]. */
function functionBody(src: SourceMappedText, from: number, name: string): FunctionDefinition | undefined {
  const t = src.text;
  let k = from;
  while (k < t.length && /\s/.test(t[k])) k++;
  if (t[k] !== '{' && t[k] !== '(') return undefined;
  const close = blockEnd(t, k);
  const bodyEnd = t[close - 1] === '}' || t[close - 1] === ')' ? close - 1 : close;
  const body = sliceMapped(src, k + 1, bodyEnd);
  const fn: ShellFunction = {
    name,
    body,
    bodyRange: { start: src.offsets[k] ?? 0, end: src.ends[Math.max(k, close - 1)] ?? src.offsets[k] ?? 0 },
    called: false,
  };
  return { fn, end: close };
}

/** Where a bracketed block that opens at t[open] (`{` or `(`) ends: the index past its close. */
function blockEnd(t: string, open: number): number {
  const brace = t[open] === '{';
  const boundary = (c: string | undefined) => c === undefined || /[\s;&|()]/.test(c);
  let depth = 0;
  for (let k = open; k < t.length; k++) {
    const c = t[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === "'") {
      const q = t.indexOf("'", k + 1);
      if (q < 0) return t.length;
      k = q;
      continue;
    }
    if (c === '"') {
      let q = k + 1;
      while (q < t.length && t[q] !== '"') q += t[q] === '\\' ? 2 : 1;
      k = q;
      continue;
    }
    if (c === '#' && (k === 0 || /\s/.test(t[k - 1]))) {
      const nl = t.indexOf('\n', k);
      if (nl < 0) return t.length;
      k = nl;
      continue;
    }
    if (c === '$' && (t[k + 1] === '{' || t[k + 1] === '(')) {
      k = balancedEnd(t, k + 1, t[k + 1], t[k + 1] === '{' ? '}' : ')') - 1;
      continue;
    }
    if (brace) {
      if (c === '{' && (k === open || boundary(t[k - 1])) && boundary(t[k + 1])) depth++;
      else if (c === '}' && boundary(t[k - 1]) && boundary(t[k + 1])) {
        depth--;
        if (depth === 0) return k + 1;
      }
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  return t.length;
}
