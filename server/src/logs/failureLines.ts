// The failure of a run, line by line: CUDA OOM tracebacks, vLLM's start-up refusals, the failures
// that have nothing to do with GPU memory (failureMessages.ts knows their words), and the traceback
// frames that led to each. Tracebacks are followed per rank, with or without their `Traceback (most
// recent call last):` header: a pasted log often starts mid-traceback, and its frames and its final
// exception line still say where vLLM was and what failed.
import { memoryFailure, nonMemoryFailure, type ReadFailure, workerFailure } from './failureMessages';
import { MAX_FAILURES, MAX_FRAMES, MAX_SOURCES, type ReaderState, type WrapCandidate } from './readerState';
import { ENGINE_CALL } from './settingsLines';
import type { FailureKind, LogFailure } from './types';

export const TRACEBACK_START = /^Traceback \(most recent call last\):/;
export const FRAME = /^File "([^"]+)", line \d+, in (\S+)/;
/** A frame line, whole or cut before its function name (the rest wrapped onto the next line). */
export const FRAME_START = /^File "/;
// IPython's and Jupyter's tracebacks (ultratb, as a notebook shows them, colours removed):
//   OutOfMemoryError                          Traceback (most recent call last)
//   Cell In[5], line 3                                    (IPython ≥ 8.4; "Input In [5], in <cell line: 3>()" before)
//   File ~/envs/x/lib/python3.11/site-packages/vllm/worker/cache_engine.py:64, in CacheEngine._allocate_kv_cache(self, …)
//   File [~/…/cache_engine.py:64](http://host/lab/tree/…#line=63), in …   (a Jupyter link, pasted as Markdown)
//   ~/envs/x/lib/python3.9/site-packages/vllm/worker/cache_engine.py in _allocate_kv_cache(self, …)   (IPython 7)
// Each frame is followed by numbered source lines, the failing one marked `---> 64`.
const IPYTHON_TRACEBACK_START = /^[A-Za-z_][\w.]*\s+Traceback \(most recent call last\)/;
const IPYTHON_FRAME = /^File \[?([^\s[\]]+?\.py):\d+(?:\]\([^)\s]*\))?, in ([\w.<>]+)/;
const IPYTHON7_FRAME = /^((?:~|\/|[A-Za-z]:\\)\S*\.py) in ([\w<>]+)\(/;
const IPYTHON_CELL = /^(?:Cell In ?\[(\d+)\], line \d+|Input In \[(\d+)\], in |<ipython-input-(\d+)-\w+> in )/;
/** A numbered source line under an IPython frame (`     61 kv_cache = []`, `---> 64     torch.empty(`). */
const IPYTHON_SOURCE_LINE = /^(?:-*>\s*)?\d+(?:\s|$)/;

export const EXCEPTION_LINE = /^((?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Interrupt|Exit))(?::|$)/;

/** A cheap test before the failure patterns: most lines of a long log are progress bars and INFO. */
const MAYBE =
  /max seq len|rror|xception|memory|NCCL|nccl|Ray|ray|Traceback|File "|File \[?[~/\w]|\.py in |Cell In|Input In|<ipython-input|Killed|oom|CANCELLED|not found|identifier|gated|Tasks/;

/** What the reader knows of a line besides its text. */
export interface LineContext {
  /** The rank / process label ('' for none). */
  source: string;
  /** The logger's level, when a logger prefix was removed. */
  level: string | undefined;
  /** A label or logger prefix was removed. */
  prefixed: boolean;
  /** The raw line ended with a space. */
  endsWithSpace: boolean;
}

function frameName(path: string, fn: string): string {
  const parts = path.split(/[\\/]/);
  return `${parts.slice(-3).join('/')}:${fn}`;
}

/** Count a frame of `source`'s traceback (starting one when the header was not logged); `replaceLast`:
 * the frame is the last one, now read whole (its line was wrapped). */
export function addFrame(
  state: ReaderState,
  source: string,
  path: string,
  fn: string,
  line: number,
  replaceLast = false,
): void {
  let tb = state.tracebacks.get(source);
  if (!tb && state.tracebacks.size < MAX_SOURCES) {
    tb = { frames: [], startLine: line };
    state.tracebacks.set(source, tb);
  }
  if (tb) {
    if (replaceLast) tb.frames.pop();
    tb.frames.push(frameName(path, fn));
    if (tb.frames.length > MAX_FRAMES) tb.frames.splice(0, tb.frames.length - MAX_FRAMES);
  }
  if (/[\\/]vllm[\\/]/.test(path)) state.facts.vllmSeen = true;
  if (!state.facts.engineHint) {
    if (/[\\/]vllm[\\/]v1[\\/]/.test(path)) state.facts.engineHint = { value: 'V1', line };
    else if (
      /[\\/]vllm[\\/](worker[\\/](worker|model_runner)\.py|model_executor[\\/]layers[\\/]sampler\.py)/.test(path)
    )
      state.facts.engineHint = { value: 'V0', line };
  }
}

const normalized = (message: string) => message.replace(/\d+(\.\d+)?/g, '#');

/** Keep a failure (once: ranks print the same one); returns the failure it was counted as. */
function record(
  state: ReaderState,
  failure: Omit<LogFailure, 'repeats' | 'frames'>,
  source: string,
): LogFailure | undefined {
  const facts = state.facts;
  const tb = state.tracebacks.get(source);
  // The exception line ends its traceback; a later one on this rank starts afresh.
  const endsTraceback = () => {
    if (EXCEPTION_LINE.test(failure.message)) state.tracebacks.delete(source);
  };
  const key = normalized(failure.message);
  const same = facts.failures.find((f) => f.kind === failure.kind && normalized(f.message) === key);
  if (same) {
    same.repeats++;
    endsTraceback();
    return same;
  }
  // vLLM's own "No available memory for the cache blocks" after the figure that announced it
  // (`# GPU blocks: 0`, negative KV memory) is the same failure, now with its words and frames.
  const figure = failure.kind === 'no-kv-memory' ? facts.failures.find((f) => f.figure) : undefined;
  if (figure) {
    figure.line = failure.line;
    figure.message = failure.message;
    figure.numbers = { ...figure.numbers, ...failure.numbers };
    figure.frames = tb ? [...tb.frames] : figure.frames;
    if (failure.source) figure.source = failure.source;
    delete figure.figure;
    endsTraceback();
    return figure;
  }
  if (facts.failures.length >= MAX_FAILURES) return undefined;
  const kept: LogFailure = { ...failure, frames: tb ? [...tb.frames] : [], repeats: 1 };
  facts.failures.push(kept);
  endsTraceback();
  return kept;
}

/** A logged figure that means vLLM has no memory for the KV cache: `# GPU blocks: 0` (V0 raises
 * "No available memory for the cache blocks" right after logging it), "GPU KV cache size: 0 tokens",
 * or negative KV cache memory (V0 ≥ 0.6.4, V1). One failure, however many ranks log it. */
export function recordKvFigureFailure(state: ReaderState, text: string, line: number, source: string): void {
  if (state.facts.failures.some((f) => f.kind === 'no-kv-memory')) return;
  record(
    state,
    { kind: 'no-kv-memory', line, message: text, numbers: {}, figure: true, ...(source ? { source } : {}) },
    source,
  );
}

/** The failure a line reports, with what it is about and how much of its message is there. */
export function readFailure(state: ReaderState, text: string, ctx: LineContext): ReadFailure | undefined {
  const mem = memoryFailure(text);
  if (mem) return mem;
  const other = nonMemoryFailure(text);
  if (other) return { kind: other, numbers: {}, complete: true };
  // A worker's failure, logged by vLLM at error level (its exception follows unless the log ends).
  if ((ctx.level === 'ERROR' || state.facts.vllmSeen) && workerFailure(text))
    return { kind: 'worker-error', numbers: {}, complete: true };
  if (!EXCEPTION_LINE.test(text)) return undefined;
  // A Python exception no pattern knows: the last line of a traceback, or, when the paste lost the
  // traceback, one a rank or an error-level logger printed in a vLLM run (never an INFO or a warning).
  const tb = state.tracebacks.get(ctx.source);
  if (!tb) {
    if (ctx.level && /^(DEBUG|INFO|WARN)/.test(ctx.level)) return undefined;
    if (!ctx.source && !ctx.level && !state.facts.vllmSeen) return undefined;
  }
  // An exception raised in lm-eval's own code (not inside vLLM below it) is lm-eval's error.
  const last = tb?.frames[tb.frames.length - 1] ?? '';
  const kind: FailureKind = /(^|\/)lm_eval\//.test(last) ? 'lm-eval-error' : 'python-exception';
  return { kind, numbers: {}, complete: true };
}

export function boundedMessage(text: string): string {
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/** The frame or failure line just read, which the next lines may continue (wrappedLines.ts). */
function wrapCandidate(kind: 'frame' | 'failure', text: string, ctx: LineContext): WrapCandidate {
  return {
    kind,
    source: ctx.source,
    prefixed: ctx.prefixed,
    text,
    endsWithSpace: ctx.endsWithSpace,
    joined: 0,
    complete: true,
  };
}

/** An IPython / Jupyter traceback's header or frame, counted as a standard one is. */
function readIpythonFrame(state: ReaderState, text: string, line: number, source: string): boolean {
  if (IPYTHON_TRACEBACK_START.test(text)) {
    if (state.tracebacks.size < MAX_SOURCES || state.tracebacks.has(source))
      state.tracebacks.set(source, { frames: [], startLine: line, ipython: true });
    return true;
  }
  const cell = IPYTHON_CELL.exec(text);
  const frame = cell ? undefined : (IPYTHON_FRAME.exec(text) ?? IPYTHON7_FRAME.exec(text));
  if (!cell && !frame) return false;
  if (cell) addFrame(state, source, `<cell In[${cell[1] ?? cell[2] ?? cell[3]}]>`, '<module>', line);
  // Python 3.11+ shows the qualified name (CacheEngine._allocate_kv_cache); a standard frame, the name.
  else if (frame) addFrame(state, source, frame[1], frame[2].slice(frame[2].lastIndexOf('.') + 1), line);
  const tb = state.tracebacks.get(source);
  if (tb) tb.ipython = true;
  return true;
}

export function scanFailureLine(state: ReaderState, text: string, line: number, ctx: LineContext): boolean {
  const source = ctx.source;
  // The line after a frame quotes the frame's source code (`raise RuntimeError(f"NCCL error: ...")`),
  // and Python 3.11+ underlines it with ~~~^^^: neither is a message.
  if (state.afterFrame.size && state.afterFrame.has(source)) {
    state.afterFrame.delete(source);
    // The user's own `LLM(...)` call goes on to the settings reader, which reads its arguments.
    if (!FRAME.test(text) && !EXCEPTION_LINE.test(text) && !TRACEBACK_START.test(text)) return !ENGINE_CALL.test(text);
  }
  if (/^[~^\s]+$/.test(text)) return true;
  // An IPython frame's numbered source lines (code, never a message).
  if (state.tracebacks.size && state.tracebacks.get(source)?.ipython && IPYTHON_SOURCE_LINE.test(text)) return true;
  if (!MAYBE.test(text)) return false;
  if (readIpythonFrame(state, text, line, source)) return true;
  if (TRACEBACK_START.test(text)) {
    if (state.tracebacks.size < MAX_SOURCES || state.tracebacks.has(source))
      state.tracebacks.set(source, { frames: [], startLine: line });
    return true;
  }
  const frame = FRAME.exec(text);
  if (frame || FRAME_START.test(text)) {
    if (frame) addFrame(state, source, frame[1], frame[2], line);
    if (state.afterFrame.size < MAX_SOURCES) state.afterFrame.add(source);
    state.wrap = wrapCandidate('frame', text, ctx);
    if (!frame) state.wrap.pendingFrame = true;
    return true;
  }
  const read = readFailure(state, text, ctx);
  if (!read) return false;
  const failure = record(
    state,
    { kind: read.kind, line, message: boundedMessage(text), numbers: read.numbers, ...(source ? { source } : {}) },
    source,
  );
  if (failure) state.wrap = { ...wrapCandidate('failure', text, ctx), failure, complete: read.complete };
  return true;
}
