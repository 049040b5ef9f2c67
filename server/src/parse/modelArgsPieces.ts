// How lm-eval cuts a `k=v,k=v` string into pieces: on every comma (what it does), and grouped by
// quotes and brackets (what a quote-aware reader sees, lm-eval after #4179). Characters inside
// unresolved spans are never read as separators.
import type { SourceMappedText } from './mappedText';

export interface Piece {
  start: number;
  end: number;
}

/**
 * Characters inside unresolved spans: a `$(nvidia-smi --format=csv,noheader)` we cannot run holds
 * no separators we could know of, so its commas, quotes and brackets are not read.
 */
export function holeMask(m: SourceMappedText): Uint8Array | undefined {
  if (!m.holes?.length) return undefined;
  const mask = new Uint8Array(m.text.length);
  for (const h of m.holes) mask.fill(1, Math.max(0, h.start), Math.min(m.text.length, h.end));
  return mask;
}

/** The first `ch` in s[from, to) outside unresolved spans, or -1. */
export function indexOutside(s: string, ch: string, from: number, to: number, mask?: Uint8Array): number {
  for (let i = s.indexOf(ch, from); i >= 0 && i < to; i = s.indexOf(ch, i + 1)) if (!mask?.[i]) return i;
  return -1;
}

/** Index spans of `s` split on every comma (outside unresolved spans). */
export function splitOnCommas(s: string, from: number, to: number, mask?: Uint8Array): Piece[] {
  const out: Piece[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (s[i] === ',' && !mask?.[i]) {
      out.push({ start, end: i });
      start = i + 1;
    }
  }
  out.push({ start, end: to });
  return out;
}

export const QUOTE_OPENERS = '=,[({: \t';

/**
 * Group naive comma pieces into the pieces a quote- and bracket-aware reader sees (lm-eval after
 * #4179: a quote opens only at the start of a token and when it has a partner). A group of more
 * than one naive piece is a value that was meant to hold a comma.
 */
export function topLevelGroups(s: string, pieces: Piece[], mask?: Uint8Array): Piece[][] {
  const groups: Piece[][] = [];
  let current: Piece[] = [];
  let depth = 0;
  let quote: string | undefined;
  for (const p of pieces) {
    current.push(p);
    for (let i = p.start; i < p.end; i++) {
      if (mask?.[i]) continue;
      const c = s[i];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (
        (c === '"' || c === "'") &&
        (i === 0 || QUOTE_OPENERS.includes(s[i - 1])) &&
        s.indexOf(c, i + 1) !== -1
      ) {
        quote = c;
      } else if (c === '[' || c === '(' || c === '{') depth++;
      else if (c === ']' || c === ')' || c === '}') depth = Math.max(0, depth - 1);
    }
    if (!quote && depth === 0) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length) groups.push(current);
  return groups;
}
