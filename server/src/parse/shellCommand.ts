// One simple command as the tokenizer (shellTokenizer.ts) hands it to the interpreter (shell.ts):
// its argv words with where each is written, array literals, here-documents, the redirection
// target, and whether it may not run.
import type { OffsetRange } from '../shared/findings';
import { quotingAt, sliceMapped, type SourceMappedText } from './mappedText';
import type { LaunchTextProblem } from './types';

/** One argv element as the program receives it, and where it is written. */
export interface ArgWord {
  value: SourceMappedText;
  /** The whole word as written (quotes included). */
  range: OffsetRange;
}

export interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
  /** Who reads the body: a shell (`bash <<EOF`, `sbatch <<EOF`, `cat <<EOF > job.sh`), Python, or nobody we follow. */
  consumer?: 'shell' | 'python';
}

export interface Command {
  words: ArgWord[];
  /** `NAME=(…)` / `NAME+=(…)` array literals, by the index of their word in `words`. */
  arrays: Map<number, { items: SourceMappedText[] }>;
  heredocs: Heredoc[];
  /** Target of a `>`/`>>` redirection. */
  redirectOut?: string;
  textProblems: LaunchTextProblem[];
  /** After `&&` / `||`: it may not run. */
  conditional: boolean;
  /** `"$@"` of a call whose own arguments are unknown. */
  unknownSplat: boolean;
  /** Document offset just past the last word or `"$@"` read (a splat may add no word). */
  end: number;
}

export const newCommand = (): Command => ({
  words: [],
  arrays: new Map(),
  heredocs: [],
  textProblems: [],
  conditional: false,
  unknownSplat: false,
  end: 0,
});

export interface Assignment {
  name: string;
  value: SourceMappedText;
  append: boolean;
}

/** `NAME=value` / `NAME+=value` written as one word with an unquoted name. */
export function assignmentOf(w: ArgWord): Assignment | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(w.value.text.slice(0, 200));
  if (!m) return undefined;
  // The name must be written unquoted: `"A=b"` is a word, not an assignment.
  if (quotingAt(w.value, 0).some((q) => q !== 'shell-plain' && q !== 'json' && q !== 'python')) return undefined;
  return { name: m[1], value: sliceMapped(w.value, m[0].length, w.value.text.length), append: m[2] === '+' };
}
