// Decoded strings that remember where each character came from. Every host language we read
// (shell, JSON, Python, YAML) decodes its string literals before lm-eval sees them; a finding about
// `max_model_len=1024` must still underline those characters in the document. Decoders read from a
// base map and emit document offsets directly, so maps compose: a notebook's JSON string holding a
// shell command holding a quoted model_args maps straight back to the .ipynb text.
import type { OffsetRange } from '../shared/findings';
import type { LmEvalInvocation, MappedText } from './types';

/** A decoded span whose value is not known statically (`$VAR`, `$(cmd)`, an f-string `{hole}`). */
export interface DecodedSpan {
  start: number;
  end: number;
}

/**
 * MappedText plus the end offset of each character's source (an escape such as `\u00e9` spans six
 * source characters), and the spans that are unresolved. `offsets` alone would make the range of
 * `abc` in `'abc'd` end after the closing quote.
 */
export interface SourceMappedText extends MappedText {
  ends: number[];
  holes?: DecodedSpan[];
  /**
   * The host quoting around each character, outermost first, joined with `>` (`json>shell-double`
   * for a double-quoted shell word in a notebook's JSON string). Absent or '' means raw text.
   */
  quoting?: string[];
  /**
   * Decoded spans substituted from elsewhere (a `$VAR` replaced by its assignment's value), with the
   * document range of the reference itself: a range that runs out of the span ends at the reference.
   */
  substitutions?: Substitution[];
}

export interface Substitution extends DecodedSpan {
  refStart: number;
  refEnd: number;
}

/** Host quoting of the characters in a decoded span; edits inserted there must be escaped this way. */
export type HostQuoting =
  | 'none'
  | 'json'
  | 'python'
  | 'shell-double'
  | 'shell-single'
  | 'shell-plain' // an unquoted shell word: blanks and metacharacters need a backslash
  | 'yaml-double'
  | 'yaml-single';

export interface QuotedPart extends DecodedSpan {
  quoting: HostQuoting;
}

export function identityMapped(text: string, start = 0, end = text.length): SourceMappedText {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const offsets = new Array<number>(e - s + 1);
  const ends = new Array<number>(e - s);
  for (let i = s; i < e; i++) {
    offsets[i - s] = i;
    ends[i - s] = i + 1;
  }
  offsets[e - s] = e;
  return { text: text.slice(s, e), offsets, ends };
}

function endsOf(m: MappedText): number[] {
  const withEnds = m as Partial<SourceMappedText>;
  if (withEnds.ends && withEnds.ends.length === m.text.length) return withEnds.ends;
  return m.offsets.slice(1, m.text.length + 1);
}

/** Accept any MappedText (from another module) and give it per-character ends. */
export function asSourceMapped(m: MappedText): SourceMappedText {
  const withEnds = m as Partial<SourceMappedText>;
  if (withEnds.ends && withEnds.ends.length === m.text.length) return m as SourceMappedText;
  return {
    text: m.text,
    offsets: m.offsets,
    ends: endsOf(m),
    holes: withEnds.holes,
    quoting: withEnds.quoting,
    substitutions: withEnds.substitutions,
  };
}

/** The document range of decoded characters [a, b). */
export function mappedRange(m: MappedText, a: number, b: number): OffsetRange {
  const n = m.text.length;
  const lo = Math.max(0, Math.min(a, n));
  const hi = Math.max(lo, Math.min(b, n));
  let start = m.offsets[lo] ?? 0;
  if (hi === lo) return { start, end: start };
  const ends = (m as Partial<SourceMappedText>).ends;
  let end = ends && ends.length === n ? ends[hi - 1] : m.offsets[hi];
  // A range that leaves a substituted `$VAR` is anchored at the reference, not inside the assignment.
  for (const s of (m as Partial<SourceMappedText>).substitutions ?? []) {
    const startsInside = lo >= s.start && lo < s.end;
    const endsInside = hi > s.start && hi <= s.end;
    if (startsInside && !endsInside) start = s.refStart;
    if (endsInside && !startsInside) end = s.refEnd;
  }
  return end >= start ? { start, end } : { start: end, end: start };
}

export function sliceMapped(m: SourceMappedText, a: number, b: number): SourceMappedText {
  const n = m.text.length;
  const lo = Math.max(0, Math.min(a, n));
  const hi = Math.max(lo, Math.min(b, n));
  const offsets = m.offsets.slice(lo, hi);
  offsets.push(hi > lo ? m.ends[hi - 1] : m.offsets[lo]);
  const out: SourceMappedText = { text: m.text.slice(lo, hi), offsets, ends: m.ends.slice(lo, hi) };
  if (m.quoting) out.quoting = m.quoting.slice(lo, hi);
  const subs = (m.substitutions ?? []).filter((x) => x.end > lo && x.start < hi);
  if (subs.length)
    out.substitutions = subs.map((x) => ({
      start: Math.max(x.start, lo) - lo,
      end: Math.min(x.end, hi) - lo,
      refStart: x.refStart,
      refEnd: x.refEnd,
    }));
  const holes = clipSpans(m.holes, lo, hi);
  if (holes.length) out.holes = holes;
  return out;
}

function clipSpans(spans: readonly DecodedSpan[] | undefined, lo: number, hi: number): DecodedSpan[] {
  const out: DecodedSpan[] = [];
  for (const h of spans ?? []) {
    const s = Math.max(h.start, lo);
    const e = Math.min(h.end, hi);
    if (e > s || (h.start === h.end && h.start >= lo && h.start <= hi)) out.push({ start: s - lo, end: e - lo });
  }
  return out;
}

/** True when decoded [a, b) touches an unresolved span. */
export function overlapsHole(m: MappedText, a: number, b: number): boolean {
  for (const h of (m as Partial<SourceMappedText>).holes ?? []) {
    if (h.start < b && h.end > a) return true;
    if (h.start === h.end && h.start >= a && h.start <= b) return true;
  }
  return false;
}

/** The host quoting layers (outermost first) around decoded character i. */
export function quotingAt(m: MappedText, i: number): HostQuoting[] {
  const q = (m as Partial<SourceMappedText>).quoting;
  if (!q?.length) return [];
  const s = q[Math.max(0, Math.min(i, q.length - 1))] ?? '';
  return s ? (s.split('>') as HostQuoting[]) : [];
}

/** Collects decoded characters with the source each came from; `base` maps source indices to the document. */
export class MappedBuilder {
  private readonly chars: string[] = [];
  readonly offsets: number[] = [];
  readonly ends: number[] = [];
  readonly holes: DecodedSpan[] = [];
  readonly quoting: string[] = [];
  readonly substitutions: Substitution[] = [];
  /** The quoting the decoder is inside now; stacked on the base's own quoting per character. */
  layer: HostQuoting = 'none';

  /** Source characters of `base` that are themselves unresolved; what is decoded from them is too. */
  private readonly baseHole: Uint8Array | undefined;

  constructor(private readonly base: SourceMappedText) {
    if (base.holes?.length) {
      this.baseHole = new Uint8Array(base.text.length);
      for (const h of base.holes)
        this.baseHole.fill(1, Math.max(0, h.start), Math.min(base.text.length, Math.max(h.end, h.start + 1)));
    }
  }

  private markHole(from: number, srcStart: number, srcEnd: number): void {
    if (!this.baseHole) return;
    let hit = false;
    for (let i = srcStart; i < Math.max(srcEnd, srcStart + 1) && i < this.baseHole.length; i++)
      if (this.baseHole[i]) hit = true;
    if (!hit) return;
    const last = this.holes[this.holes.length - 1];
    if (last && last.end === from) last.end = this.length;
    else this.holes.push({ start: from, end: this.length });
  }

  get length(): number {
    return this.offsets.length;
  }

  /** The decoded characters from index `from` on. */
  textSince(from: number): string {
    return this.chars.slice(from).join('');
  }

  private docStart(srcIndex: number): number {
    const n = this.base.text.length;
    return this.base.offsets[Math.max(0, Math.min(srcIndex, n))] ?? 0;
  }

  private docEnd(srcStart: number, srcEnd: number): number {
    if (srcEnd <= srcStart) return this.docStart(srcStart);
    const n = this.base.text.length;
    return this.base.ends[Math.max(0, Math.min(srcEnd, n) - 1)] ?? this.docStart(srcEnd);
  }

  private stack(srcIndex: number): string {
    const outer = this.base.quoting?.[Math.max(0, Math.min(srcIndex, this.base.text.length - 1))] ?? '';
    if (this.layer === 'none') return outer;
    return outer ? `${outer}>${this.layer}` : this.layer;
  }

  /** Append `decoded` (one or more code units) read from base.text[srcStart, srcEnd). */
  add(decoded: string, srcStart: number, srcEnd: number): void {
    const start = this.docStart(srcStart);
    const end = this.docEnd(srcStart, srcEnd);
    const q = this.stack(srcStart);
    const from = this.length;
    for (let k = 0; k < decoded.length; k++) {
      this.chars.push(decoded[k]);
      this.offsets.push(start);
      this.ends.push(end);
      this.quoting.push(q);
    }
    this.markHole(from, srcStart, srcEnd);
  }

  /** Append base.text[srcStart, srcEnd) unchanged, one source character per decoded one. */
  copy(srcStart: number, srcEnd: number): void {
    const base = this.base;
    const n = base.text.length;
    const lo = Math.max(0, srcStart);
    const hi = Math.min(srcEnd, n);
    if (hi <= lo) return;
    const from = this.length;
    // One run, one quoting string when the base has none of its own (the common case).
    const plain = !base.quoting;
    const q = plain ? (this.layer === 'none' ? '' : this.layer) : '';
    for (let i = lo; i < hi; i++) {
      this.chars.push(base.text[i]);
      this.offsets.push(base.offsets[i] ?? 0);
      this.ends.push(base.ends[i] ?? base.offsets[i + 1] ?? 0);
      this.quoting.push(plain ? q : this.stack(i));
    }
    if (this.baseHole) {
      for (let i = lo; i < hi; i++) {
        if (!this.baseHole[i]) continue;
        const at = from + (i - lo);
        const last = this.holes[this.holes.length - 1];
        if (last && last.end === at) last.end = at + 1;
        else this.holes.push({ start: at, end: at + 1 });
      }
    }
  }

  /** Append a text that is unknown statically, shown as its source spelling. */
  addHole(shown: string, srcStart: number, srcEnd: number): void {
    const at = this.length;
    if (shown.length) this.add(shown, srcStart, srcEnd);
    this.holes.push({ start: at, end: this.length });
  }

  /**
   * Append another decoded text with its own document offsets (a resolved variable). With a
   * reference span, ranges that run out of the inserted text end at the reference.
   */
  addMapped(m: SourceMappedText, refSrcStart?: number, refSrcEnd?: number): void {
    const at = this.length;
    for (const x of m.substitutions ?? []) this.substitutions.push({ ...x, start: x.start + at, end: x.end + at });
    if (refSrcStart !== undefined && refSrcEnd !== undefined && m.text.length) {
      this.substitutions.push({
        start: at,
        end: at + m.text.length,
        refStart: this.docStart(refSrcStart),
        refEnd: this.docEnd(refSrcStart, refSrcEnd),
      });
    }
    for (let k = 0; k < m.text.length; k++) {
      this.chars.push(m.text[k]);
      this.offsets.push(m.offsets[k]);
      this.ends.push(m.ends[k]);
      this.quoting.push(m.quoting?.[k] ?? '');
    }
    for (const h of m.holes ?? []) this.holes.push({ start: h.start + at, end: h.end + at });
  }

  /** Finish; the builder hands its arrays over and must not be used again. */
  build(srcEnd: number): SourceMappedText {
    const n = this.offsets.length;
    const offsets = this.offsets;
    offsets.push(n ? this.ends[n - 1] : this.docStart(srcEnd));
    const out: SourceMappedText = { text: this.chars.join(''), offsets, ends: this.ends };
    if (this.quoting.some((q) => q !== '')) out.quoting = this.quoting;
    if (this.holes.length) out.holes = this.holes;
    if (this.substitutions.length) out.substitutions = this.substitutions;
    return out;
  }
}

export function concatMapped(parts: readonly SourceMappedText[], emptyAt = 0): SourceMappedText {
  if (parts.length === 1) return parts[0];
  const b = new MappedBuilder(identityMapped(''));
  for (const p of parts) b.addMapped(p);
  const out = b.build(0);
  if (!out.text.length) out.offsets[0] = parts.length ? parts[parts.length - 1].offsets[0] : emptyAt;
  return out;
}

export interface Decoded {
  value: SourceMappedText;
  /** Index in the source just past the literal. */
  end: number;
  unterminated?: boolean;
}

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

// ---------------------------------------------------------------------------------------------
// JSON string literals (RFC 8259).

/** Decode the JSON string literal whose `"` is at src.text[i]. */
export function decodeJsonString(src: SourceMappedText, i: number): Decoded {
  const t = src.text;
  const b = new MappedBuilder(src);
  b.layer = 'json';
  let j = i + 1;
  while (j < t.length) {
    const c = t[j];
    if (c === '"') return { value: b.build(j), end: j + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      b.add(c, j, j + 1);
      j++;
      continue;
    }
    const e = t[j + 1];
    const simple: Record<string, string> = {
      '"': '"',
      '\\': '\\',
      '/': '/',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
    };
    if (e !== undefined && simple[e] !== undefined) {
      b.add(simple[e], j, j + 2);
      j += 2;
    } else if (e === 'u' && isHex(t[j + 2]) && isHex(t[j + 3]) && isHex(t[j + 4]) && isHex(t[j + 5])) {
      b.add(String.fromCharCode(parseInt(t.slice(j + 2, j + 6), 16)), j, j + 6);
      j += 6;
    } else {
      b.add(c, j, j + 1); // invalid escape: keep it; JSON.parse would have rejected the file
      j++;
    }
  }
  return { value: b.build(j), end: j, unterminated: true };
}

// ---------------------------------------------------------------------------------------------
// Python string literals: prefixes r/b/u/f (any case, combined), ' " ''' """, escapes, f-string holes.

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
    if (isFString && c === '{') {
      if (t[k + 1] === '{') {
        b.add('{', k, k + 2);
        k += 2;
        continue;
      }
      const close = fStringHoleEnd(t, k, quote);
      b.addHole(t.slice(k, close), k, close);
      k = close;
      continue;
    }
    if (isFString && c === '}' && t[k + 1] === '}') {
      b.add('}', k, k + 2);
      k += 2;
      continue;
    }
    if (c !== '\\') {
      b.add(c, k, k + 1);
      k++;
      continue;
    }
    const e = t[k + 1];
    if (e === undefined) {
      b.add(c, k, k + 1);
      k++;
      continue;
    }
    if (isRaw) {
      // A raw string keeps the backslash, but `\'` still does not end it.
      b.add(c, k, k + 1);
      b.add(e, k + 1, k + 2);
      k += 2;
      continue;
    }
    if (e === '\n') {
      k += 2; // line continuation inside the literal
      continue;
    }
    if (e === '\r' && t[k + 2] === '\n') {
      k += 3;
      continue;
    }
    if (PY_SIMPLE_ESCAPES[e] !== undefined) {
      b.add(PY_SIMPLE_ESCAPES[e], k, k + 2);
      k += 2;
      continue;
    }
    if (/[0-7]/.test(e)) {
      let m = k + 1;
      while (m < k + 4 && /[0-7]/.test(t[m] ?? '')) m++;
      b.add(String.fromCharCode(parseInt(t.slice(k + 1, m), 8)), k, m);
      k = m;
      continue;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' && !prefix.includes('b') ? 4 : e === 'U' && !prefix.includes('b') ? 8 : 0;
    if (
      hexLen &&
      [...t.slice(k + 2, k + 2 + hexLen)].length === hexLen &&
      /^[0-9a-fA-F]+$/.test(t.slice(k + 2, k + 2 + hexLen))
    ) {
      const cp = parseInt(t.slice(k + 2, k + 2 + hexLen), 16);
      b.add(cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd', k, k + 2 + hexLen);
      k += 2 + hexLen;
      continue;
    }
    if (e === 'N' && t[k + 2] === '{') {
      const close = t.indexOf('}', k + 3);
      if (close > 0 && close - k < 100) {
        // A named character: its name is in Python's Unicode database, which we do not carry.
        b.addHole(t.slice(k, close + 1), k, close + 1);
        k = close + 1;
        continue;
      }
    }
    b.add('\\', k, k + 1); // unknown escape: Python keeps the backslash
    k++;
  }
  return { value: b.build(k), end: k, unterminated: true, prefix, quote, isFString, isRaw };
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

// ---------------------------------------------------------------------------------------------
// YAML scalars (YAML 1.2 as the `yaml` package reads them): plain and quoted flow scalars fold line
// breaks; block scalars strip indentation, fold (`>`) and chomp. Checked against the parser's own
// value: when our decoding disagrees, every character maps to the whole scalar (coarse but safe).

/** The shape of a `yaml` Scalar node this decoder needs. */
export interface YamlScalarLike {
  type?: string;
  value: unknown;
  range?: [number, number, number] | null;
  source?: string;
}

export function decodeYamlScalar(src: SourceMappedText, node: YamlScalarLike): SourceMappedText {
  const t = src.text;
  const r = node.range;
  if (!r) return identityMapped('');
  const [start, end] = [Math.max(0, r[0]), Math.min(t.length, r[1])];
  const b = new MappedBuilder(src);
  b.layer = node.type === 'QUOTE_DOUBLE' ? 'yaml-double' : node.type === 'QUOTE_SINGLE' ? 'yaml-single' : 'none';
  switch (node.type) {
    case 'QUOTE_DOUBLE':
      foldFlow(src, start + 1, t[end - 1] === '"' && end - 1 > start ? end - 1 : end, b, 'double');
      break;
    case 'QUOTE_SINGLE':
      foldFlow(src, start + 1, t[end - 1] === "'" && end - 1 > start ? end - 1 : end, b, 'single');
      break;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      decodeBlockScalar(src, start, end, b);
      break;
    default:
      foldFlow(src, start, end, b, 'plain');
  }
  const decoded = b.build(end);
  const expected = typeof node.value === 'string' ? node.value : (node.source ?? decoded.text);
  if (decoded.text === expected) return decoded;
  // Fallback: the parser's value, every character pointing at the whole scalar.
  const fb = new MappedBuilder(src);
  fb.add(expected, start, end);
  return fb.build(end);
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

function foldFlow(
  src: SourceMappedText,
  start: number,
  end: number,
  b: MappedBuilder,
  style: 'plain' | 'single' | 'double',
): void {
  const t = src.text;
  let pending: number[] = []; // blanks not yet emitted: dropped if a line break follows
  let j = start;
  // Plain scalars never start with blanks in the range; quoted ones keep their leading blanks.
  while (j < end) {
    const c = t[j];
    if (c === '\n' || c === '\r') {
      pending = [];
      const breakAt = j;
      let breaks = 0;
      while (j < end && (t[j] === '\n' || t[j] === '\r' || isBlank(t[j]))) {
        if (t[j] === '\n') breaks++;
        j++;
      }
      if (breaks <= 1) b.add(' ', breakAt, breakAt + 1);
      else for (let k = 1; k < breaks; k++) b.add('\n', breakAt, breakAt + 1);
      continue;
    }
    if (isBlank(c)) {
      pending.push(j);
      j++;
      continue;
    }
    for (const p of pending) b.add(t[p], p, p + 1);
    pending = [];
    if (style === 'single' && c === "'" && t[j + 1] === "'") {
      b.add("'", j, j + 2);
      j += 2;
      continue;
    }
    if (style === 'double' && c === '\\') {
      j = yamlDoubleEscape(t, j, end, b);
      continue;
    }
    b.add(c, j, j + 1);
    j++;
  }
  for (const p of pending) b.add(t[p], p, p + 1);
}

const YAML_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

function yamlDoubleEscape(t: string, j: number, end: number, b: MappedBuilder): number {
  const e = t[j + 1];
  if (e === '\n' || e === '\r') {
    // Escaped line break: joined without a space, the next line's indentation dropped.
    let k = j + 1;
    if (t[k] === '\r') k++;
    if (t[k] === '\n') k++;
    while (k < end && isBlank(t[k])) k++;
    return k;
  }
  if (e !== undefined && YAML_ESCAPES[e] !== undefined) {
    b.add(YAML_ESCAPES[e], j, j + 2);
    return j + 2;
  }
  const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  const hex = t.slice(j + 2, j + 2 + hexLen);
  if (hexLen && hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
    const cp = parseInt(hex, 16);
    b.add(cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd', j, j + 2 + hexLen);
    return j + 2 + hexLen;
  }
  b.add('\\', j, j + 1);
  return j + 1;
}

function decodeBlockScalar(src: SourceMappedText, start: number, end: number, b: MappedBuilder): void {
  const t = src.text;
  const folded = t[start] === '>';
  let h = start + 1;
  let chomp: 'clip' | 'strip' | 'keep' = 'clip';
  let explicitIndent = 0;
  while (h < end && /[-+1-9]/.test(t[h])) {
    if (t[h] === '-') chomp = 'strip';
    else if (t[h] === '+') chomp = 'keep';
    else explicitIndent = Number(t[h]);
    h++;
  }
  const nl = t.indexOf('\n', h);
  if (nl < 0 || nl >= end) return;
  // Lines of the body: [lineStart, lineEnd) without the line break.
  const lines: Array<{ s: number; e: number }> = [];
  let s = nl + 1;
  while (s < end) {
    let e = t.indexOf('\n', s);
    if (e < 0 || e > end) e = end;
    lines.push({ s, e: e > s && t[e - 1] === '\r' ? e - 1 : e });
    s = e + 1;
  }
  let indent = 0;
  if (explicitIndent) {
    // Relative to the parent's indentation, which the first body line reveals only approximately.
    const first = lines.find((l) => t.slice(l.s, l.e).trim() !== '');
    const lead = first ? /^ */.exec(t.slice(first.s, first.e))![0].length : 0;
    indent = lead;
  } else {
    for (const l of lines) {
      const text = t.slice(l.s, l.e);
      if (text.trim() !== '') {
        indent = /^ */.exec(text)![0].length;
        break;
      }
    }
  }
  type Line = { s: number; e: number; empty: boolean; more: boolean };
  const body: Line[] = lines.map((l) => {
    const cs = Math.min(l.s + indent, l.e);
    const empty = t.slice(l.s, l.e).trim() === '' && l.e - l.s <= indent;
    return { s: cs, e: l.e, empty: empty || cs >= l.e, more: isBlank(t[cs]) && cs < l.e };
  });
  // Trailing empty lines belong to chomping, not content.
  let last = body.length - 1;
  while (last >= 0 && body[last].empty) last--;
  let prevContent: Line | undefined;
  let emptyRun: Line[] = [];
  for (let k = 0; k <= last; k++) {
    const line = body[k];
    if (line.empty) {
      emptyRun.push(line);
      continue;
    }
    if (prevContent) {
      const brk = prevContent.e;
      if (!folded || prevContent.more || line.more) {
        b.add('\n', brk, brk + 1);
        for (const el of emptyRun) b.add('\n', el.e, el.e + 1);
      } else if (emptyRun.length === 0) {
        b.add(' ', brk, brk + 1);
      } else {
        for (const el of emptyRun) b.add('\n', el.e, el.e + 1);
      }
    } else {
      for (const el of emptyRun) b.add('\n', el.e, el.e + 1);
    }
    emptyRun = [];
    b.copy(line.s, line.e);
    prevContent = line;
  }
  if (!prevContent || chomp === 'strip') {
    if (chomp === 'keep') for (const el of body) b.add('\n', el.e, el.e + 1);
    return;
  }
  if (prevContent.e < t.length && t[prevContent.e] === '\n') b.add('\n', prevContent.e, prevContent.e + 1);
  else if (prevContent.e < t.length && t[prevContent.e] === '\r') b.add('\n', prevContent.e, prevContent.e + 2);
  else if (prevContent.e >= t.length) b.add('\n', prevContent.e, prevContent.e); // the parser supplies the final break at EOF
  if (chomp === 'keep')
    for (let k = last + 1; k < body.length; k++) if (body[k].e < end) b.add('\n', body[k].e, body[k].e + 1);
}

/**
 * Run a launch scanner over `text`, through `base` when the text is embedded in a document, and
 * turn any failure into "no launches": a parser bug must never take the server down.
 */
export function scanForLaunches<O>(
  text: string,
  base: MappedText | undefined,
  opts: O,
  scan: (src: SourceMappedText, opts: O) => LmEvalInvocation[],
): LmEvalInvocation[] {
  try {
    const src = base && base.text === text ? asSourceMapped(base) : identityMapped(text);
    return scan(src, opts);
  } catch {
    return [];
  }
}
