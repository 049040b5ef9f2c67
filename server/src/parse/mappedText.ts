// Decoded strings that remember where each character came from. Every host language we read
// (shell, JSON, Python, YAML) decodes its string literals before lm-eval sees them; a finding about
// `max_model_len=1024` must still underline those characters in the document. Decoders read from a
// base map and emit document offsets directly, so maps compose: a notebook's JSON string holding a
// shell command holding a quoted model_args maps straight back to the .ipynb text. The decoders
// are jsonString.ts, pythonString.ts, yamlScalar.ts and shellWord.ts; this file holds the map itself
// and the builder they write through.
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
