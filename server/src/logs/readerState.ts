// What the log reader keeps between lines besides the facts themselves: which source set each
// setting (so vLLM's own engine config beats what the user passed), and the traceback each rank
// is in the middle of printing. All of it is bounded.
import type { LogFacts, LogFailure } from './types';

export interface OpenTraceback {
  /** `path tail:function` of each frame, outermost first (the last MAX_FRAMES kept). */
  frames: string[];
  startLine: number;
  /** IPython's form: numbered source lines follow each frame. */
  ipython?: boolean;
}

/** The last line, when it was a traceback frame or a failure message that a terminal may have wrapped
 * (or a paste cut) onto the lines after it; see wrappedLines.ts. */
export interface WrapCandidate {
  kind: 'frame' | 'failure';
  /** The rank label of the line (its remainder carries none). */
  source: string;
  /** The line had a label or a logger prefix: an unlabelled line right after it is its remainder. */
  prefixed: boolean;
  /** The text so far (the line and the remainders joined to it), bounded. */
  text: string;
  /** The raw line ended with a space: the terminal broke the line at a word boundary. */
  endsWithSpace: boolean;
  /** A frame whose path was cut before its function name: not yet counted. */
  pendingFrame?: boolean;
  failure?: LogFailure;
  /** The failure's message kept every number it prints (false: cut before its end). */
  complete: boolean;
  /** Remainders joined so far. */
  joined: number;
}

export interface ReaderState {
  facts: LogFacts;
  settingRanks: Map<string, number>;
  /** Open tracebacks by source label ('' for unlabelled lines). */
  tracebacks: Map<string, OpenTraceback>;
  /** Sources whose last line was a traceback frame: their next line is the frame's source code. */
  afterFrame: Set<string>;
  /** Sources that logged a memory breakdown (first one's figures are kept). */
  figureSources: Set<string>;
  wrap?: WrapCandidate;
}

export const MAX_FRAMES = 48;
export const MAX_SOURCES = 256;
export const MAX_FAILURES = 32;

export function newFacts(): LogFacts {
  return {
    lineCount: 0,
    chars: 0,
    longLines: 0,
    vllmSeen: false,
    settings: {},
    settingSources: {},
    directives: {},
    env: {},
    memory: {},
    ranksWithFigures: 0,
    milestones: {},
    tasks: [],
    outputTypes: [],
    failures: [],
  };
}

export function newState(): ReaderState {
  return {
    facts: newFacts(),
    settingRanks: new Map(),
    tracebacks: new Map(),
    afterFrame: new Set(),
    figureSources: new Set(),
  };
}
