// Shell words (POSIX sh / bash): unquoted with backslash escapes, '…', "…", $'…', `\`+newline, and
// the expansions a launch script leans on: `$V`, `${V}`, `${V:-default}`, `${V:=default}`,
// `${V:+alt}`, positional parameters, array elements, `$(which prog)`. What the script does not
// say (a command's output, an unassigned variable without a default, `<path_to_model>` and
// `{model_name}` placeholders) stays an unresolved hole: unknown, never guessed.
import { MappedBuilder, type Decoded, type HostQuoting, type QuotedPart, type SourceMappedText } from './mappedText';

export interface ShellWord extends Decoded {
  /** Index in the source where the word starts. */
  start: number;
  /** The quoting of each stretch of the decoded word. */
  parts: QuotedPart[];
  /** The word is `NAME=value` with an unquoted NAME. */
  assignment?: { name: string; valueStart: number };
  /** Blanks that came from an unquoted expansion (`$ARGS`): bash splits the word there. */
  fieldSplits?: number[];
}

/**
 * A value the script sets but we cannot know (a loop variable, `read`, branches that disagree):
 * what ShellExpander.lookup returns for it.
 */
export const UNKNOWN_VALUE: SourceMappedText = Object.freeze({
  text: '',
  offsets: [0],
  ends: [],
  holes: [{ start: 0, end: 0 }],
}) as SourceMappedText;

/** What a decoder may ask of the script's state. */
export interface ShellExpander {
  /**
   * The value of a parameter: a variable `NAME`, a positional parameter `1`, `#`, `@`, or an array
   * element `NAME[0]` / `NAME[@]`. Undefined = the script does not set it (then `${V:-d}` gives d).
   */
  lookup(name: string): SourceMappedText | undefined;
  /** `${NAME:=default}` assigns the default. */
  assign?(name: string, value: SourceMappedText): void;
  /**
   * `${NAME:-default}` took its default because the script does not set NAME (lookup gave
   * undefined): whoever runs the script may (an argument, the environment).
   */
  tookDefault?(name: string, value: SourceMappedText, op: string): void;
}

export type VariableLookup = ((name: string) => SourceMappedText | undefined) | ShellExpander;

function expanderOf(l: VariableLookup | undefined): ShellExpander | undefined {
  if (!l) return undefined;
  return typeof l === 'function' ? { lookup: l } : l;
}

/** Characters an unquoted word copies as they are (no quote, escape, expansion, break or placeholder). */
const PLAIN = /[^\s;&|<>()'"\\$`{]/;

/** Characters that end an unquoted word. */
const SHELL_BREAK = new Set([' ', '\t', '\n', '\r', ';', '&', '|', '<', '>', '(', ')']);

const ANSI_C_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * Template placeholders people paste from READMEs: `<path_to_model>`, `<MODEL NAME>` is not one
 * (a blank ends a shell word first), `{model_name}`, and the elided `{...}`, `{…}`, `<...>`
 * (`--model_args="{...}"` in prose stands for arguments left out, not for broken JSON).
 * Returns the placeholder's length at t[j], or 0.
 */
export function placeholderLengthAt(t: string, j: number): number {
  const c = t[j];
  if (c !== '<' && c !== '{') return 0;
  const m = (c === '<' ? /^<(?:[A-Za-z_][\w.:/-]{0,80}|\.{3}|…)>/ : /^\{(?:[A-Za-z_][\w.-]{0,80}|\.{3}|…)\}/).exec(
    t.slice(j, j + 84),
  );
  return m ? m[0].length : 0;
}

/**
 * Read one shell word starting at src.text[i] (which must not be a blank). Parameter expansions
 * are replaced by the expander's value when it knows the parameter, else kept as an unresolved
 * hole; command substitutions are holes except `$(which prog)` / `$(command -v prog)`.
 */
export function decodeShellWord(src: SourceMappedText, i: number, lookup?: VariableLookup): ShellWord {
  const b = new MappedBuilder(src);
  const parts: QuotedPart[] = [];
  const splits: number[] = [];
  const r = decodeInto(src, i, undefined, b, expanderOf(lookup), parts, splits);
  const value = b.build(r.end);
  const word: ShellWord = { value, end: r.end, start: i, parts };
  if (r.unterminated) word.unterminated = true;
  const known = splits.filter((k) => !value.holes?.some((h) => h.start <= k && k < h.end));
  if (known.length) word.fieldSplits = known;
  const m = /^[A-Za-z_][A-Za-z0-9_]*\+?=/.exec(src.text.slice(i, Math.min(src.text.length, i + 256)));
  if (m && value.text.startsWith(m[0])) word.assignment = { name: m[0].replace(/\+?=$/, ''), valueStart: m[0].length };
  return word;
}

/**
 * Decode src.text[i, stop) as one word (blanks included): the text of a `${V:-default}` default or
 * a `bash -c` script already decoded once. Stops early at nothing.
 */
export function decodeShellSpan(
  src: SourceMappedText,
  i: number,
  stop: number,
  lookup?: VariableLookup,
): SourceMappedText {
  const b = new MappedBuilder(src);
  const r = decodeInto(src, i, stop, b, expanderOf(lookup), []);
  return b.build(r.end);
}

function decodeInto(
  src: SourceMappedText,
  i: number,
  stop: number | undefined,
  b: MappedBuilder,
  ex: ShellExpander | undefined,
  parts: QuotedPart[],
  splits?: number[],
): { end: number; unterminated: boolean } {
  const t = src.text;
  const limit = stop ?? t.length;
  let current: QuotedPart | undefined;
  const mark = (quoting: HostQuoting) => {
    if (!current || current.quoting !== quoting) {
      if (current) current.end = b.length;
      current = { start: b.length, end: b.length, quoting };
      parts.push(current);
    }
    b.layer = quoting;
  };
  let j = i;
  let unterminated = false;
  while (j < limit) {
    const c = t[j];
    if (c === '\\' && t[j + 1] === '\n') {
      j += 2;
      continue;
    }
    if (c === '\\' && t[j + 1] === '\r' && t[j + 2] === '\n') {
      j += 3;
      continue;
    }
    const ph = placeholderLengthAt(t, j);
    if (ph) {
      mark('shell-plain');
      b.addHole(t.slice(j, j + ph), j, j + ph);
      j += ph;
      continue;
    }
    if (stop === undefined && SHELL_BREAK.has(c)) break;
    if (c === '\\') {
      mark('shell-plain');
      if (j + 1 < t.length) b.add(t[j + 1], j, j + 2);
      j += 2;
      continue;
    }
    if (c === "'") {
      mark('shell-single');
      const close = t.indexOf("'", j + 1);
      const end = close < 0 || close > limit ? limit : close;
      copyWithPlaceholders(src, j + 1, end, b);
      if (close < 0 || close > limit) unterminated = true;
      j = close < 0 || close > limit ? limit : close + 1;
      continue;
    }
    if (c === '$' && t[j + 1] === "'") {
      mark('shell-single');
      j = decodeAnsiC(src, j + 2, b);
      if (j > t.length) {
        unterminated = true;
        j = t.length;
      }
      continue;
    }
    if (c === '"' || (c === '$' && t[j + 1] === '"')) {
      mark('shell-double');
      j = decodeShellDouble(src, c === '$' ? j + 2 : j + 1, b, ex);
      if (j > t.length) {
        unterminated = true;
        j = t.length;
      }
      continue;
    }
    if (c === '$' || c === '`') {
      mark('shell-plain');
      const from = b.length;
      j = expandDollar(src, j, b, ex);
      if (splits && stop === undefined) {
        const text = b.textSince(from);
        for (let k = 0; k < text.length; k++)
          if (text[k] === ' ' || text[k] === '\t' || text[k] === '\n') splits.push(from + k);
      }
      continue;
    }
    mark('shell-plain');
    // A run of ordinary characters in one go.
    let k = j + 1;
    while (k < limit && PLAIN.test(t[k])) k++;
    b.copy(j, k);
    j = k;
  }
  const cur = current as QuotedPart | undefined;
  if (cur) cur.end = b.length;
  return { end: Math.min(j, Math.max(limit, i)), unterminated };
}

function copyWithPlaceholders(src: SourceMappedText, from: number, to: number, b: MappedBuilder): void {
  const t = src.text;
  let k = from;
  while (k < to) {
    const ph = t[k] === '<' || t[k] === '{' ? placeholderLengthAt(t, k) : 0;
    if (ph && k + ph <= to) {
      b.addHole(t.slice(k, k + ph), k, k + ph);
      k += ph;
    } else {
      b.add(t[k], k, k + 1);
      k++;
    }
  }
}

/** Body of `$'…'` from index j; returns the index past the closing quote (or > length when unterminated). */
function decodeAnsiC(src: SourceMappedText, j: number, b: MappedBuilder): number {
  const t = src.text;
  while (j < t.length) {
    const c = t[j];
    if (c === "'") return j + 1;
    if (c !== '\\' || j + 1 >= t.length) {
      b.add(c, j, j + 1);
      j++;
      continue;
    }
    const e = t[j + 1];
    if (ANSI_C_ESCAPES[e] !== undefined) {
      b.add(ANSI_C_ESCAPES[e], j, j + 2);
      j += 2;
    } else if (/[0-7]/.test(e)) {
      let m = j + 1;
      while (m < j + 4 && /[0-7]/.test(t[m] ?? '')) m++;
      b.add(String.fromCharCode(parseInt(t.slice(j + 1, m), 8) & 0xff), j, m);
      j = m;
    } else if (e === 'x' && isHex(t[j + 2])) {
      const m = isHex(t[j + 3]) ? j + 4 : j + 3;
      b.add(String.fromCharCode(parseInt(t.slice(j + 2, m), 16)), j, m);
      j = m;
    } else if ((e === 'u' || e === 'U') && isHex(t[j + 2])) {
      let m = j + 2;
      while (m < j + (e === 'u' ? 6 : 10) && isHex(t[m])) m++;
      const cp = parseInt(t.slice(j + 2, m), 16);
      b.add(cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd', j, m);
      j = m;
    } else {
      b.add('\\', j, j + 1);
      b.add(e, j + 1, j + 2);
      j += 2;
    }
  }
  return t.length + 1;
}

/** Body of `"…"` from index j; returns the index past the closing quote (or > length when unterminated). */
function decodeShellDouble(src: SourceMappedText, j: number, b: MappedBuilder, ex?: ShellExpander): number {
  const t = src.text;
  while (j < t.length) {
    const c = t[j];
    if (c === '"') return j + 1;
    if (c === '\\' && j + 1 < t.length) {
      const e = t[j + 1];
      if (e === '\n') j += 2;
      else if (e === '$' || e === '`' || e === '"' || e === '\\') {
        b.add(e, j, j + 2);
        j += 2;
      } else {
        b.add('\\', j, j + 1);
        j++;
      }
      continue;
    }
    if (c === '$' || c === '`') {
      j = expandDollar(src, j, b, ex);
      continue;
    }
    const ph = c === '<' || c === '{' ? placeholderLengthAt(t, j) : 0;
    if (ph) {
      b.addHole(t.slice(j, j + ph), j, j + ph);
      j += ph;
      continue;
    }
    b.add(c, j, j + 1);
    j++;
  }
  return t.length + 1;
}

/** `$(which lm_eval)`, `$(command -v python3)`, `` `which lm_eval` ``: the program's own name, known. */
const WHICH = /^\s*(?:which|command\s+-v|type\s+-[pP])\s+([A-Za-z0-9_.+/-]+)\s*$/;

function programPath(src: SourceMappedText, from: number, to: number, b: MappedBuilder): boolean {
  const inner = src.text.slice(from, to);
  if (inner.length > 200) return false;
  const m = WHICH.exec(inner);
  if (!m) return false;
  const at = from + inner.lastIndexOf(m[1]);
  b.copy(at, at + m[1].length);
  return true;
}

/** `$NAME`, `${NAME…}`, `$1`, `$(…)`, `$((…))`, `` `…` `` at t[j]; returns the index after it. */
function expandDollar(src: SourceMappedText, j: number, b: MappedBuilder, ex?: ShellExpander): number {
  const t = src.text;
  if (t[j] === '`') {
    let k = j + 1;
    while (k < t.length && t[k] !== '`') k += t[k] === '\\' ? 2 : 1;
    const end = Math.min(t.length, k + 1);
    if (!programPath(src, j + 1, Math.min(k, t.length), b)) b.addHole(t.slice(j, end), j, end);
    return end;
  }
  const n = t[j + 1];
  if (n === '(') {
    const end = balancedEnd(t, j + 1, '(', ')');
    if (t[j + 2] === '(' || !programPath(src, j + 2, t[end - 1] === ')' ? end - 1 : end, b))
      b.addHole(t.slice(j, end), j, end);
    return end;
  }
  if (n === '{') {
    const end = balancedEnd(t, j + 1, '{', '}');
    expandBraced(src, j, end, b, ex);
    return end;
  }
  const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(t.slice(j + 1, j + 129));
  if (!m) {
    b.add('$', j, j + 1); // a lone `$` is literal
    return j + 1;
  }
  const end = j + 1 + m[0].length;
  const value = /^[A-Za-z_0-9#@*]/.test(m[0]) ? ex?.lookup(m[0]) : undefined;
  if (value && value !== UNKNOWN_VALUE) b.addMapped(value, j, end);
  else b.addHole(t.slice(j, end), j, end);
  return end;
}

const BRACED = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])(\[[^\]]{0,64}\])?/;

/** `${…}` from t[j] (the `$`) to `end` (past the `}`). */
function expandBraced(src: SourceMappedText, j: number, end: number, b: MappedBuilder, ex?: ShellExpander): void {
  const t = src.text;
  const stop = t[end - 1] === '}' ? end - 1 : end;
  const whole = () => {
    b.addHole(t.slice(j, end), j, end);
  };
  const innerStart = j + 2;
  const inner = t.slice(innerStart, stop);
  if (inner.startsWith('#') && inner.length > 1) {
    whole(); // ${#V}: a length
    return;
  }
  const m = BRACED.exec(inner);
  if (!m) {
    whole();
    return;
  }
  const key = m[1] + (m[2] ?? '');
  const rest = inner.slice(m[0].length);
  const value = ex?.lookup(key);
  if (value === UNKNOWN_VALUE) {
    whole();
    return;
  }
  if (rest === '') {
    if (value) b.addMapped(value, j, end);
    else whole();
    return;
  }
  const op = /^:?[-=+?]/.exec(rest)?.[0];
  if (!op) {
    whole(); // ${V%suffix}, ${V/a/b}, ${V:0:3}, ...: string surgery we do not model
    return;
  }
  const colon = op.startsWith(':');
  const wordStart = innerStart + m[0].length + op.length;
  const isSet = value !== undefined && (!colon || value.text !== '' || !!value.holes?.length);
  const decodeWord = () => decodeShellSpan(src, wordStart, stop, ex);
  switch (op[op.length - 1]) {
    case '-':
    case '=': {
      if (isSet) {
        b.addMapped(value!, j, end);
        return;
      }
      const d = decodeWord();
      if (value === undefined) ex?.tookDefault?.(key, d, op);
      if (op.endsWith('=')) ex?.assign?.(m[1], d);
      b.addMapped(d);
      return;
    }
    case '+':
      if (value?.holes?.length)
        whole(); // set or not: unknown
      else if (isSet) b.addMapped(decodeWord());
      return;
    default: // `?`: the value, or the script stops with an error
      if (isSet) b.addMapped(value!, j, end);
      else whole();
  }
}

/** Index past the bracket matching the one at t[k] (quotes inside are skipped); t.length if none. */
export function balancedEnd(t: string, k: number, open: string, close: string): number {
  let depth = 0;
  for (let m = k; m < t.length; m++) {
    const c = t[m];
    if (c === '\\') {
      m++;
      continue;
    }
    if (c === "'" || c === '"') {
      const q = t.indexOf(c, m + 1);
      if (q < 0) return t.length;
      m = q;
      continue;
    }
    if (c === open) depth++;
    else if (c === close) {
      depth--;
      if (depth === 0) return m + 1;
    }
  }
  return t.length;
}
