// A line a terminal wrapped (or a paste broke) goes on at the first column of the next line, without
// the rank label or logger prefix the log's other lines carry:
//
//   (EngineCore pid=316)   File ".../vllm/v1/engine/core.py", line 305, in _initialize_k
//   v_caches
//   (EngineCore pid=316) ValueError: To serve at least one request with the model's max seq len (100000), (4.26 GiB KV cach
//   e is needed, which is larger than the available KV cache memory (4.25 GiB). Based on the avai
//
// The remainder is joined to the frame or failure it continues, which is then read again whole.
// Without a prefix to tell (a bare traceback), only a cut function name or a known message cut
// before its numbers takes a remainder.
import type { CleanLine } from './cleanLine';
import {
  addFrame,
  boundedMessage,
  EXCEPTION_LINE,
  FRAME,
  FRAME_START,
  readFailure,
  TRACEBACK_START,
} from './failureLines';
import type { ReaderState, WrapCandidate } from './readerState';

const MAX_REMAINDERS = 8;
const MAX_WRAP_CHARS = 4000;
const NEW_SECTION = /^(The above exception was|During handling of the above exception)/;

/** The line is the remainder of the wrapped line before it. */
export function isRemainder(wrap: WrapCandidate, raw: string, clean: CleanLine): boolean {
  const text = clean.text;
  if (!text || clean.prefixed || wrap.joined >= MAX_REMAINDERS || wrap.text.length >= MAX_WRAP_CHARS) return false;
  // A wrap goes on at the first column (one space when it broke at a word); an indented line is a
  // traceback's source line.
  if (/^\s{2}/.test(raw)) return false;
  if (TRACEBACK_START.test(text) || FRAME.test(text) || FRAME_START.test(text) || EXCEPTION_LINE.test(text))
    return false;
  if (NEW_SECTION.test(text)) return false;
  // A whole frame takes only the rest of its function's name.
  if (wrap.kind === 'frame') return wrap.pendingFrame === true || /^[\w.<>-]+$/.test(text);
  return wrap.prefixed || !wrap.complete;
}

function joined(wrap: WrapCandidate, text: string): string {
  return `${wrap.text}${wrap.endsWithSpace ? ' ' : ''}${text}`.slice(0, MAX_WRAP_CHARS);
}

const numberCount = (n: object) => Object.keys(n).length;

/**
 * Join a remainder to the frame or failure it continues; false when the join tells nothing more
 * (the line is then read on its own).
 */
export function joinRemainder(
  state: ReaderState,
  wrap: WrapCandidate,
  raw: string,
  clean: CleanLine,
  line: number,
): boolean {
  const whole = joined(wrap, clean.text);
  const endsWithSpace = /[ \t]$/.test(raw);
  if (wrap.kind === 'frame') {
    const frame = FRAME.exec(whole);
    if (frame) addFrame(state, wrap.source, frame[1], frame[2], line, wrap.pendingFrame !== true);
    else if (!FRAME_START.test(whole)) return false;
    Object.assign(wrap, { text: whole, endsWithSpace, joined: wrap.joined + 1, pendingFrame: !frame });
    return true;
  }
  const f = wrap.failure;
  if (!f) return false;
  const read = readFailure(state, whole, {
    source: wrap.source,
    level: undefined,
    prefixed: wrap.prefixed,
    endsWithSpace,
  });
  const specific = (kind: string) => kind !== 'python-exception' && kind !== 'lm-eval-error';
  const better =
    read !== undefined &&
    ((read.kind !== f.kind && specific(read.kind)) ||
      (read.kind === f.kind && numberCount(read.numbers) > numberCount(f.numbers)));
  if (!better && wrap.complete) return false;
  if (read && better) {
    f.kind = read.kind;
    f.numbers = { ...f.numbers, ...read.numbers };
  }
  f.message = boundedMessage(whole);
  Object.assign(wrap, { text: whole, endsWithSpace, joined: wrap.joined + 1, complete: read?.complete ?? false });
  return true;
}
