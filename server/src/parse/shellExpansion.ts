// What a written word becomes in argv: bash's field splitting of an unquoted `$ARGS`, the splats
// `"$@"` / `"${A[@]}"` (the call's arguments, an array's items), and the items of an array literal
// `NAME=( … )`. Expanding `$VAR` inside one word is shellWord.ts's.
import { mappedRange, sliceMapped, type SourceMappedText } from './mappedText';
import { newCommand, type ArgWord, type Command } from './shellCommand';
import type { ShellScope } from './shellScope';
import { decodeShellWord, type ShellWord } from './shellWord';

/** `"$@"`, `$*`, `"${@}"`, `"${A[@]}"` as a whole word. */
export const SPLAT = /^"?\$(?:([@*])|\{([@*])\}|\{([A-Za-z_][A-Za-z0-9_]*)\[[@*]\]\})"?(?=[\s;&|<>()]|$)/;

/** The word decoded from src.text[i, end) as one argv element. */
export function wordOf(src: SourceMappedText, i: number, end: number, word: ShellWord): ArgWord {
  const startDoc = src.offsets[i] ?? 0;
  const endDoc = end > i ? (src.ends[Math.min(end, src.text.length) - 1] ?? startDoc) : startDoc;
  return { value: word.value, range: { start: startDoc, end: endDoc } };
}

/** Unquoted `$ARGS` holding blanks becomes several words, as bash splits it. */
export function fieldSplit(src: SourceMappedText, i: number, end: number, word: ShellWord): ArgWord[] {
  const whole = wordOf(src, i, end, word);
  if (!word.fieldSplits?.length) return [whole];
  const v = word.value;
  const out: ArgWord[] = [];
  let start = 0;
  for (const k of [...word.fieldSplits, v.text.length]) {
    if (k > start) {
      const piece = sliceMapped(v, start, k);
      out.push({ value: piece, range: mappedRange(v, start, k) });
    }
    start = k + 1;
  }
  return out;
}

/** Add what a splat expands to (`"$@"`: the positional parameters; `"${A[@]}"`: the array's items) to `cmd`. */
export function expandSplat(
  scope: ShellScope,
  positional: string | undefined,
  arrayName: string | undefined,
  cmd: Command,
): void {
  if (arrayName) {
    for (const item of scope.arrayItems(arrayName) ?? [])
      cmd.words.push({ value: item, range: mappedRange(item, 0, item.text.length) });
    return;
  }
  if (!positional) return;
  const p = scope.positional();
  if (!p) {
    cmd.unknownSplat = true; // the script's own arguments
    return;
  }
  cmd.words.push(...p.args);
  if (p.open) cmd.unknownSplat = true;
}

/** `( item … )` after `NAME=`, recorded on `cmd` for the word at `wordIndex`; returns the index past `)`. */
export function arrayLiteral(
  src: SourceMappedText,
  open: number,
  scope: ShellScope,
  cmd: Command,
  wordIndex: number,
): number {
  const t = src.text;
  const items: SourceMappedText[] = [];
  let i = open + 1;
  while (i < t.length) {
    const c = t[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
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
    if (c === ')') {
      i++;
      break;
    }
    const splat = SPLAT.exec(t.slice(i, i + 80));
    if (splat) {
      const tmp = newCommand();
      expandSplat(scope, splat[1] ?? splat[2], splat[3], tmp);
      items.push(...tmp.words.map((w) => w.value));
      i += splat[0].length;
      continue;
    }
    const word = decodeShellWord(src, i, scope);
    const end = Math.max(word.end, i + 1);
    for (const w of fieldSplit(src, i, end, word)) items.push(w.value);
    i = end;
  }
  cmd.arrays.set(wordIndex, { items });
  return i;
}
