// Launches in shell and SLURM scripts: a small POSIX-sh/bash tokenizer (comments, quotes, `\`
// continuations, separators, redirections, here-documents, function definitions, array literals)
// over one shared scope (shellScope.ts), feeding an argv reader that knows lm-eval's entry points,
// `vllm serve`, the usual wrappers and the `lm-eval run` flags (reference/lm-eval.md §4.2).
// Hand-written rather than tree-sitter-bash: measured in docs/launch-forms.md ("Parser choice").
// Commands that run other commands are followed: functions whose body runs `"$@"` or a fixed
// command, `bash -c`, `sbatch --wrap`, `eval`, here-documents fed to a shell, sbatch or Python.
// Whatever the script does not say stays an unresolved hole (never guessed).

import type { OffsetRange } from '../shared/findings';
import {
  mappedRange,
  overlapsHole,
  quotingAt,
  scanForLaunches,
  sliceMapped,
  type SourceMappedText,
} from './mappedText';
import { scanPython } from './python';
import { joinMapped, ShellScope, type ShellFunction } from './shellScope';
import { balancedEnd, decodeShellWord, placeholderLengthAt, type ShellWord } from './shellWord';
import type {
  EmbeddingKind,
  LaunchScanOptions,
  LaunchTextProblem,
  Located,
  LmEvalInvocation,
  MappedText,
} from './types';
import { invocationFromFlags } from './lmEvalFlags';
import { containerImageIndex, isVllmServerImage } from './containerRun';
import { isUserWrapper } from './userCommands';
import { serveInvocation } from './vllmServe';

export { hostEscapingOf, invocationFromFlags, looksLikeFlag } from './lmEvalFlags';

/** One argv element as the program receives it, and where it is written. */
export interface ArgWord {
  value: SourceMappedText;
  /** The whole word as written (quotes included). */
  range: OffsetRange;
}

export { ShellScope } from './shellScope';

/** Every launch in a shell script. `base` maps `text` to the document when it is embedded. */
export function findShellInvocations(
  text: string,
  base?: MappedText,
  opts: LaunchScanOptions = {},
): LmEvalInvocation[] {
  return scanForLaunches(text, base, opts, scanShell);
}

export interface ShellScanOptions extends LaunchScanOptions {
  /**
   * Text pasted into prose (an issue, a README paragraph): `\` followed by blanks continues the
   * line without a word about it, as the author meant.
   */
  lenientContinuations?: boolean;
  /**
   * Markdown (an issue body, a README): ` \ ` between words is a line break the text lost (issue
   * forms collapse `\`+newline into `\ `), read as a continuation.
   */
  collapsedContinuations?: boolean;
}

/**
 * Tokenize `src` command by command over one scope, and read each launch. With a shared
 * `opts.shellScope`, functions never called are left for `finishShellScope`.
 */
export function scanShell(src: SourceMappedText, opts: ShellScanOptions = {}): LmEvalInvocation[] {
  const shared = opts.shellScope;
  const scope = shared ?? new ShellScope(opts.env, opts.assumed);
  const out: LmEvalInvocation[] = [];
  const scanner = new ShellScanner(scope, out, opts.embedding ?? 'shell', !!opts.lenientContinuations);
  scanner.collapsed = !!opts.collapsedContinuations;
  scanner.scan(src);
  if (!shared) scanner.scanUncalledFunctions();
  return out.sort((a, b) => a.range.start - b.range.start);
}

/** Launches inside functions of a shared scope that nothing called (read with unknown arguments). */
export function finishShellScope(scope: ShellScope, embedding: EmbeddingKind): LmEvalInvocation[] {
  const out: LmEvalInvocation[] = [];
  new ShellScanner(scope, out, embedding, false).scanUncalledFunctions();
  return out;
}

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
  /** Who reads the body: a shell (`bash <<EOF`, `sbatch <<EOF`, `cat <<EOF > job.sh`), Python, or nobody we follow. */
  consumer?: 'shell' | 'python';
}

interface Command {
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

const newCommand = (): Command => ({
  words: [],
  arrays: new Map(),
  heredocs: [],
  textProblems: [],
  conditional: false,
  unknownSplat: false,
  end: 0,
});

/** `"$@"`, `$*`, `"${@}"`, `"${A[@]}"` as a whole word. */
const SPLAT = /^"?\$(?:([@*])|\{([@*])\}|\{([A-Za-z_][A-Za-z0-9_]*)\[[@*]\]\})"?(?=[\s;&|<>()]|$)/;

const MAX_NESTING = 8;

/**
 * Characters of nested text (function bodies per call, `bash -c` strings, here-documents) one
 * file may make us read: a function that calls itself ten times, or functions that fan out ten
 * calls a level, stop here instead of running for ever.
 */
const NESTED_BUDGET_MIN = 200_000;
const NESTED_BUDGET_PER_CHAR = 8;

class ShellScanner {
  private depth = 0;
  /** ` \ ` between words is a lost line break (Markdown). */
  collapsed = false;
  /** Nested characters left to read; set from the first (top-level) text. */
  private budget: number | undefined;

  constructor(
    private readonly scope: ShellScope,
    private readonly out: LmEvalInvocation[],
    private readonly embedding: EmbeddingKind,
    private readonly lenient: boolean,
  ) {}

  scan(src: SourceMappedText): void {
    if (this.depth > MAX_NESTING) return;
    if (this.budget === undefined) {
      this.budget = Math.max(NESTED_BUDGET_MIN, NESTED_BUDGET_PER_CHAR * src.text.length);
    } else {
      // Each nested read costs its length (and a little for the call itself).
      this.budget -= src.text.length + 64;
      if (this.budget < 0) return;
    }
    this.depth++;
    try {
      this.tokenize(src);
    } finally {
      this.depth--;
    }
  }

  scanUncalledFunctions(): void {
    for (const fn of this.scope.functions.values()) {
      if (fn.called) continue;
      fn.called = true;
      this.scope.pushFrame([], true, fn.bodyRange.start);
      try {
        this.scan(fn.body);
      } finally {
        this.scope.popFrame();
      }
    }
  }

  private tokenize(src: SourceMappedText): void {
    const t = src.text;
    let cmd = newCommand();
    let lineHeredocs: Heredoc[] = [];
    let skipNextWord = false; // the target of a redirection
    let captureRedirect = false;
    let conditionalNext = false;
    let piped: Command | undefined;

    const finish = (sep: string) => {
      cmd.conditional = conditionalNext;
      conditionalNext = false;
      const prev = piped;
      if (cmd.words.length || cmd.arrays.size) this.command(cmd, prev);
      piped = sep === '|' ? cmd : undefined;
      lineHeredocs.push(...cmd.heredocs);
      cmd = newCommand();
    };

    let i = 0;
    while (i < t.length) {
      const c = t[i];
      if (c === ' ' || c === '\t' || c === '\r') {
        i++;
        continue;
      }
      if (c === '\\') {
        if (t[i + 1] === '\n' || (t[i + 1] === '\r' && t[i + 2] === '\n')) {
          i += t[i + 1] === '\n' ? 2 : 3;
          continue;
        }
        // `\` then blanks (and maybe a comment) at the line end: bash escapes the first blank and
        // ends the command at the line break.
        const m = /^\\[ \t]+(#[^\r\n]*)?(?=\r?\n)/.exec(t.slice(i, i + 1024));
        if (m) {
          if (!this.lenient)
            cmd.textProblems.push({
              code: 'broken-line-continuation',
              message: m[1]
                ? "A comment after this '\\': bash continues a line only when '\\' is its last character; here it escapes the blank after it, so the command ends at the end of this line and the next line runs as a command of its own. Put the comment on a line of its own."
                : "Blanks after this '\\': bash continues a line only when '\\' is its last character, so the command ends here and the next line runs as a command of its own. Delete the trailing blanks.",
              range: mappedRange(src, i, i + (m[1] ? m[0].length - m[1].length : m[0].length)),
            });
          i += m[0].length;
          i += t[i] === '\r' ? 2 : 1;
          continue;
        }
        if (this.collapsed && (t[i - 1] === ' ' || t[i - 1] === '\t') && (t[i + 1] === ' ' || t[i + 1] === '\t')) {
          i++;
          continue;
        }
      }
      if (c === '#') {
        const nl = t.indexOf('\n', i);
        i = nl < 0 ? t.length : nl;
        continue;
      }
      if (c === '\n') {
        finish('\n');
        i++;
        const heredocs = lineHeredocs;
        lineHeredocs = [];
        for (const h of heredocs) i = this.heredoc(src, i, h);
        continue;
      }
      if (c === ';' || c === '&' || c === '|') {
        const two = t.slice(i, i + 2);
        if (two === '&&' || two === '||') {
          finish(two);
          conditionalNext = true;
          i += 2;
          continue;
        }
        if (two === '&>') {
          i += 2;
          if (t[i] === '>') i++;
          skipNextWord = true;
          continue;
        }
        finish(c);
        i += two === ';;' || two === '|&' || two === ';&' ? 2 : 1;
        continue;
      }
      if (c === '(' || c === ')') {
        if (c === '(' && this.tryFunction(src, i, cmd)) {
          i = this.functionEnd;
          cmd = newCommand();
          continue;
        }
        finish(c);
        i++;
        continue;
      }
      if ((c === '<' || c === '>') && !placeholderLengthAt(t, i)) {
        if (t.startsWith('<<<', i)) {
          i += 3;
          skipNextWord = true;
          continue;
        }
        if (t.startsWith('<<', i)) {
          let j = i + 2;
          const stripTabs = t[j] === '-';
          if (stripTabs) j++;
          while (t[j] === ' ' || t[j] === '\t') j++;
          const word = decodeShellWord(src, j);
          cmd.heredocs.push({ delimiter: word.value.text, stripTabs });
          i = Math.max(word.end, j + 1);
          continue;
        }
        const out = c === '>';
        i++;
        while (t[i] === '>' || t[i] === '&' || t[i] === '|') i++;
        // `2>&1`, `>&2`: the target is a descriptor number, not a word we must skip.
        if (/[0-9-]/.test(t[i] ?? '') && t[i - 1] === '&') {
          while (/[0-9-]/.test(t[i] ?? '')) i++;
          continue;
        }
        skipNextWord = true;
        captureRedirect = out;
        continue;
      }
      const splat = SPLAT.exec(t.slice(i, i + 80));
      if (splat && !skipNextWord) {
        this.splat(splat[1] ?? splat[2], splat[3], cmd);
        i += splat[0].length;
        cmd.end = Math.max(cmd.end, src.ends[i - 1] ?? 0);
        continue;
      }
      const word = decodeShellWord(src, i, this.scope);
      const end = Math.max(word.end, i + 1);
      const afterWord = t[end];
      if (skipNextWord) {
        skipNextWord = false;
        if (captureRedirect) cmd.redirectOut = word.value.text;
        captureRedirect = false;
      } else if (/^[0-9]+$/.test(word.value.text) && (afterWord === '>' || afterWord === '<')) {
        // `2>file`: the descriptor belongs to the redirection.
      } else if (word.assignment && word.value.text.length === word.assignment.valueStart && afterWord === '(') {
        // NAME=( … ): an array literal.
        cmd.words.push(this.wordOf(src, i, end, word));
        i = this.arrayLiteral(src, end, cmd, cmd.words.length - 1);
        continue;
      } else if (
        cmd.words.length === 1 &&
        cmd.words[0].value.text === 'function' &&
        /^[A-Za-z_][\w.:-]*$/.test(word.value.text) &&
        this.tryFunctionKeyword(src, end, word.value.text)
      ) {
        i = this.functionEnd;
        cmd = newCommand();
        continue;
      } else {
        for (const w of this.split(src, i, end, word)) cmd.words.push(w);
      }
      i = end;
    }
    finish('\n');
    for (const h of lineHeredocs) i = this.heredoc(src, i, h);
  }

  private wordOf(src: SourceMappedText, i: number, end: number, word: ShellWord): ArgWord {
    const startDoc = src.offsets[i] ?? 0;
    const endDoc = end > i ? (src.ends[Math.min(end, src.text.length) - 1] ?? startDoc) : startDoc;
    return { value: word.value, range: { start: startDoc, end: endDoc } };
  }

  /** Unquoted `$ARGS` holding blanks becomes several words, as bash splits it. */
  private split(src: SourceMappedText, i: number, end: number, word: ShellWord): ArgWord[] {
    const whole = this.wordOf(src, i, end, word);
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

  private splat(positional: string | undefined, arrayName: string | undefined, cmd: Command): void {
    if (arrayName) {
      for (const item of this.scope.arrayItems(arrayName) ?? [])
        cmd.words.push({ value: item, range: mappedRange(item, 0, item.text.length) });
      return;
    }
    if (!positional) return;
    const p = this.scope.positional();
    if (!p) {
      cmd.unknownSplat = true; // the script's own arguments
      return;
    }
    cmd.words.push(...p.args);
    if (p.open) cmd.unknownSplat = true;
  }

  /** `( item … )` after `NAME=`; returns the index past `)`. */
  private arrayLiteral(src: SourceMappedText, open: number, cmd: Command, wordIndex: number): number {
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
        this.splat(splat[1] ?? splat[2], splat[3], tmp);
        items.push(...tmp.words.map((w) => w.value));
        i += splat[0].length;
        continue;
      }
      const word = decodeShellWord(src, i, this.scope);
      const end = Math.max(word.end, i + 1);
      for (const w of this.split(src, i, end, word)) items.push(w.value);
      i = end;
    }
    cmd.arrays.set(wordIndex, { items });
    return i;
  }

  private functionEnd = 0;

  /** `name ( ) { … }` with the `(` at t[i]. */
  private tryFunction(src: SourceMappedText, i: number, cmd: Command): boolean {
    if (cmd.words.length !== 1 && !(cmd.words.length === 2 && cmd.words[0].value.text === 'function')) return false;
    const name = cmd.words[cmd.words.length - 1].value.text;
    if (!/^[A-Za-z_][\w.:-]*$/.test(name)) return false;
    const m = /^\(\s*\)/.exec(src.text.slice(i, i + 64));
    if (!m) return false;
    return this.defineFunction(src, i + m[0].length, name);
  }

  /** `function name { … }` / `function name() { … }`, the name ending at t[end]. */
  private tryFunctionKeyword(src: SourceMappedText, end: number, name: string): boolean {
    const m = /^[ \t]*(\(\s*\))?/.exec(src.text.slice(end, end + 64));
    return this.defineFunction(src, end + (m ? m[0].length : 0), name);
  }

  private defineFunction(src: SourceMappedText, from: number, name: string): boolean {
    const t = src.text;
    let k = from;
    while (k < t.length && /\s/.test(t[k])) k++;
    if (t[k] !== '{' && t[k] !== '(') return false;
    const close = blockEnd(t, k);
    const bodyEnd = t[close - 1] === '}' || t[close - 1] === ')' ? close - 1 : close;
    const body = sliceMapped(src, k + 1, bodyEnd);
    const fn: ShellFunction = {
      name,
      body,
      bodyRange: { start: src.offsets[k] ?? 0, end: src.ends[Math.max(k, close - 1)] ?? src.offsets[k] ?? 0 },
      called: false,
    };
    this.scope.functions.set(name, fn);
    this.functionEnd = close;
    return true;
  }

  /** Read a here-document body starting at i; returns the index past its delimiter line. */
  private heredoc(src: SourceMappedText, i: number, h: Heredoc): number {
    const t = src.text;
    let j = i;
    let bodyEnd = t.length;
    let after = t.length;
    while (j < t.length) {
      const nl = t.indexOf('\n', j);
      const lineEnd = nl < 0 ? t.length : nl;
      let line = t.slice(j, lineEnd).replace(/\r$/, '');
      if (h.stripTabs) line = line.replace(/^\t+/, '');
      if (line === h.delimiter) {
        bodyEnd = j;
        after = nl < 0 ? t.length : nl + 1;
        break;
      }
      j = nl < 0 ? t.length : nl + 1;
    }
    if (h.consumer) {
      const body = sliceMapped(src, i, bodyEnd);
      if (h.consumer === 'shell') this.scan(body);
      else this.out.push(...scanPython(body, { embedding: this.embedding, env: this.scope.env() }));
    }
    return after;
  }

  // -------------------------------------------------------------------------------------------
  // One simple command.

  /** Returns the program kind it ran (for pipelines), if any. */
  private command(cmd: Command, pipedFrom: Command | undefined): ProgramKind | undefined {
    const scope = this.scope;
    const words = cmd.words;
    let k = 0;
    while (k < words.length) {
      const w = words[k].value.text;
      if (w === 'if' || w === 'case' || w === 'while' || w === 'until' || w === 'select') {
        scope.conditional++;
        k++;
        continue;
      }
      if (w === 'fi' || w === 'esac' || w === 'done') {
        scope.conditional = Math.max(0, scope.conditional - 1);
        k++;
        continue;
      }
      if (w === 'for') {
        // `for NAME in …`: the loop variable takes values we do not follow; the body may not run.
        scope.conditional++;
        if (words[k + 1]) scope.markUnknown(words[k + 1].value.text);
        return undefined;
      }
      if (KEYWORDS.has(w)) {
        k++;
        continue;
      }
      break;
    }
    const rest = words.slice(k);
    if (!rest.length && !cmd.arrays.size) return undefined;
    if (cmd.conditional) scope.conditional++;
    try {
      return this.simpleCommand(rest, k, cmd, pipedFrom);
    } finally {
      if (cmd.conditional) scope.conditional--;
    }
  }

  private simpleCommand(
    rest: ArgWord[],
    offset: number,
    cmd: Command,
    pipedFrom: Command | undefined,
  ): ProgramKind | undefined {
    const scope = this.scope;
    const head = rest[0]?.value.text ?? '';
    const arrayAt = (k: number) => cmd.arrays.get(k + offset);
    if (DECLARATIONS.has(head)) {
      this.declare(rest, offset, cmd);
      return undefined;
    }
    if (head === 'unset') {
      for (const w of rest.slice(1)) if (!w.value.text.startsWith('-')) scope.unset(w.value.text);
      return undefined;
    }
    if (head === 'set') {
      for (const w of rest.slice(1)) {
        const x = w.value.text;
        if (/^-[a-zA-Z]*a/.test(x)) scope.allExport = true;
        else if (/^\+[a-zA-Z]*a/.test(x)) scope.allExport = false;
      }
      if (rest.some((w, n) => w.value.text === 'allexport' && rest[n - 1]?.value.text === '-o')) scope.allExport = true;
      return undefined;
    }
    if (head === 'read' || head === 'mapfile' || head === 'readarray') {
      for (let n = 1; n < rest.length; n++) {
        const x = rest[n].value.text;
        if (/^-[pdtnNuia]$/.test(x) && x !== '-a') n++;
        else if (!x.startsWith('-')) scope.markUnknown(x);
      }
      return undefined;
    }
    if (rest.length && rest.every((w, n) => assignmentOf(w) || arrayAt(n))) {
      for (let n = 0; n < rest.length; n++) this.assignWord(rest[n], arrayAt(n));
      return undefined;
    }
    const p = matchProgram(rest, scope);
    if (!p) return undefined;
    for (const h of cmd.heredocs) h.consumer = stdinConsumer(p, cmd.redirectOut);
    if (pipedFrom?.heredocs.length) {
      const consumer = stdinConsumer(p, cmd.redirectOut);
      for (const h of pipedFrom.heredocs) if (!h.consumer) h.consumer = consumer;
    }
    const range = { start: rest[0].range.start, end: Math.max(rest[rest.length - 1].range.end, cmd.end) };
    switch (p.kind) {
      case 'lm-eval':
      case 'vllm-serve': {
        const env = this.envWith(p.inlineEnv);
        const inv =
          p.kind === 'lm-eval'
            ? invocationFromFlags(rest.slice(p.argsStart), this.embedding, env, range)
            : serveInvocation(rest, p.argsStart, p.serveForm ?? 'vllm-serve', this.embedding, env, range);
        setLauncher(inv, rest, p);
        if (cmd.textProblems.length) inv.textProblems = cmd.textProblems;
        this.out.push(inv);
        return p.kind;
      }
      case 'function':
        this.call(p.fn!, rest.slice(p.argsStart), range, cmd.unknownSplat);
        return p.kind;
      case 'shell-c': {
        const script = rest[p.argsStart];
        if (!script) return p.kind;
        const text = script.value.text.startsWith('--wrap=')
          ? sliceMapped(script.value, 7, script.value.text.length)
          : script.value;
        // `bash -c 'script' NAME ARGS…`: $0 is NAME, $1… the rest.
        scope.pushFrame(rest.slice(p.argsStart + 2), cmd.unknownSplat, script.range.start);
        try {
          this.scan(text);
        } finally {
          scope.popFrame();
        }
        return p.kind;
      }
      case 'eval': {
        const args = rest.slice(p.argsStart);
        if (args.length)
          this.scan(
            joinMapped(
              args.map((a) => a.value),
              range.start,
            ),
          );
        return p.kind;
      }
      case 'shell': {
        // `echo "lm_eval …" | bash`
        const prev = pipedFrom && matchProgram(pipedFrom.words, scope);
        if (prev?.kind === 'echo' && pipedFrom!.words.length === prev.argsStart + 1)
          this.scan(pipedFrom!.words[prev.argsStart].value);
        return p.kind;
      }
      default:
        return p.kind;
    }
  }

  private call(fn: ShellFunction, args: ArgWord[], range: OffsetRange, unknownArgs: boolean): void {
    if (this.depth > MAX_NESTING) return;
    fn.called = true;
    const before = this.out.length;
    this.scope.pushFrame(args, unknownArgs, range.start);
    try {
      this.scan(fn.body);
    } finally {
      this.scope.popFrame();
    }
    // Each call is a launch of its own, reported at the call: `run_bg lm_eval …` through
    // `nohup "$@"`, or `eval_model Qwen/… 4096` running a fixed command with its arguments.
    for (let n = before; n < this.out.length; n++) this.out[n].range = { ...range };
  }

  private envWith(inline: ArgWord[]): Record<string, Located<string>> {
    const base = this.scope.env();
    if (!inline.length) return base;
    const env: Record<string, Located<string>> = { ...base };
    for (const w of inline) {
      const a = assignmentOf(w);
      if (a && !a.value.holes?.length)
        env[a.name] = { value: a.value.text, range: mappedRange(a.value, 0, a.value.text.length) };
      else if (a) delete env[a.name];
    }
    return env;
  }

  private assignWord(w: ArgWord, array?: { items: SourceMappedText[] }): void {
    const a = assignmentOf(w);
    if (!a) return;
    if (array) {
      if (a.append) this.scope.append(a.name, array.items);
      else this.scope.assignArray(a.name, array.items);
    } else if (a.append) this.scope.append(a.name, a.value);
    else this.scope.assign(a.name, a.value);
  }

  /** export / declare / typeset / local / readonly. */
  private declare(rest: ArgWord[], offset: number, cmd: Command): void {
    const head = rest[0].value.text;
    let exported = head === 'export';
    const local =
      head === 'local' || ((head === 'declare' || head === 'typeset') && this.scope.positional() !== undefined);
    for (let n = 1; n < rest.length; n++) {
      const w = rest[n];
      const x = w.value.text;
      if (/^[-+][a-zA-Z]+$/.test(x)) {
        if (x.startsWith('-') && x.includes('x')) exported = true;
        if (x === '-n' && head === 'export') exported = false;
        continue;
      }
      const a = assignmentOf(w);
      const name = a ? a.name : x;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
      if (local) this.scope.declareLocal(name);
      if (a) this.assignWord(w, cmd.arrays.get(n + offset));
      if (exported) this.scope.export(name);
    }
  }
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

const KEYWORDS = new Set(['then', 'else', 'elif', 'do', '!', '{', '}', 'exec', 'command', 'builtin', 'in', 'time']);
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

interface Assignment {
  name: string;
  value: SourceMappedText;
  append: boolean;
}

function assignmentOf(w: ArgWord): Assignment | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(w.value.text.slice(0, 200));
  if (!m) return undefined;
  // The name must be written unquoted: `"A=b"` is a word, not an assignment.
  if (quotingAt(w.value, 0).some((q) => q !== 'shell-plain' && q !== 'json' && q !== 'python')) return undefined;
  return { name: m[1], value: sliceMapped(w.value, m[0].length, w.value.text.length), append: m[2] === '+' };
}

// ---------------------------------------------------------------------------------------------
// argv → what runs

export interface ArgvOptions {
  embedding: EmbeddingKind;
  env?: Record<string, Located<string>>;
}

const LM_EVAL_NAMES = new Set(['lm_eval', 'lm-eval']);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
const WRAPPERS = new Set([
  'nohup',
  'time',
  'env',
  'srun',
  'torchrun',
  'mpirun',
  'mpiexec',
  'deepspeed',
  'sudo',
  'stdbuf',
  'nice',
  'ionice',
  'chrt',
  'setsid',
  'unbuffer',
  'taskset',
  'numactl',
  'timeout',
  'flock',
  'screen',
  'xvfb-run',
]);
/** Two-word wrappers: `accelerate launch`, `uv run`, `docker run IMAGE`, ... */
const TWO_WORD_WRAPPERS: Record<string, ReadonlySet<string>> = {
  accelerate: new Set(['launch']),
  uv: new Set(['run']),
  poetry: new Set(['run']),
  pipenv: new Set(['run']),
  pdm: new Set(['run']),
  hatch: new Set(['run']),
  pixi: new Set(['run']),
  conda: new Set(['run']),
  mamba: new Set(['run']),
  micromamba: new Set(['run']),
  singularity: new Set(['exec', 'run']),
  apptainer: new Set(['exec', 'run']),
  docker: new Set(['run', 'exec']),
  podman: new Set(['run', 'exec']),
  kubectl: new Set(['exec']),
};
/** `python -m MODULE` that launches the program after its own options. */
const LAUNCHER_MODULES = new Set([
  'torch.distributed.run',
  'torch.distributed.launch',
  'accelerate.commands.launch',
  'deepspeed.launcher.runner',
]);
const SERVER_MODULES = new Set(['vllm.entrypoints.openai.api_server', 'vllm.entrypoints.api_server']);

function basename(s: string): string {
  const slash = s.lastIndexOf('/');
  return slash >= 0 ? s.slice(slash + 1) : s;
}

const isPython = (s: string) => /^python(\d+(\.\d+)?)?$/.test(basename(s));
const isLmEval = (s: string) => LM_EVAL_NAMES.has(basename(s));
const isLmEvalModule = (s: string) => s === 'lm_eval' || s === 'lm_eval.__main__';
const isVllmCli = (s: string) => basename(s) === 'vllm';

type ProgramKind = 'lm-eval' | 'vllm-serve' | 'function' | 'shell-c' | 'shell' | 'python' | 'eval' | 'cat' | 'echo';

interface ProgramMatch {
  kind: ProgramKind;
  /** Index of the first argument this kind reads (lm-eval's flags, the `-c` script, the call's arguments). */
  argsStart: number;
  launcherStart?: number;
  launcherEnd?: number;
  inlineEnv: ArgWord[];
  serveForm?: 'vllm-serve' | 'api-server' | 'docker';
  fn?: ShellFunction;
}

interface LaunchMatch {
  /** Index of the first lm-eval argument. */
  argsStart: number;
  launcherStart?: number;
  launcherEnd?: number;
  inlineEnv: ArgWord[];
}

/** Find where lm-eval's own arguments start in an argv, through wrappers; undefined if this is not an lm-eval run. */
export function matchLmEvalLaunch(words: readonly ArgWord[]): LaunchMatch | undefined {
  const p = matchProgram(words);
  return p?.kind === 'lm-eval' ? p : undefined;
}

/** What an argv runs, through wrappers and launchers. */
function matchProgram(words: readonly ArgWord[], scope?: ShellScope): ProgramMatch | undefined {
  const text = (k: number) => words[k]?.value.text ?? '';
  /** The program's own name (after the last `/`) is not known: `"${PYTHON}"`, `$LM_EVAL`. */
  const unknown = (k: number) => {
    const w = text(k);
    const slash = w.lastIndexOf('/');
    return !!words[k] && overlapsHole(words[k].value, slash + 1, Math.max(slash + 2, w.length));
  };
  const inlineEnv: ArgWord[] = [];
  let k = 0;
  while (k < words.length && assignmentOf(words[k])) inlineEnv.push(words[k++]);
  let launcherStart: number | undefined;
  let launcherEnd: number | undefined;
  let userWrapped = false;
  const result = (kind: ProgramKind, argsStart: number, extra: Partial<ProgramMatch> = {}): ProgramMatch => ({
    kind,
    argsStart,
    launcherStart,
    launcherEnd,
    inlineEnv,
    ...extra,
  });
  /** lm-eval's `run` subcommand is optional; `ls`, `validate` and help run nothing. */
  const lmEvalAt = (argsStart: number): ProgramMatch | undefined => {
    const sub = text(argsStart);
    if (sub === 'run') return result('lm-eval', argsStart + 1);
    if (sub === 'ls' || sub === 'validate' || sub === '--help' || sub === '-h') return undefined;
    return result('lm-eval', argsStart);
  };
  // Bounded: a wrapper's options never run to hundreds of words.
  for (let guard = 0; k < words.length && guard < 64; guard++) {
    const w = text(k);
    if (unknown(k)) {
      // `"${PYTHON}" -m lm_eval`: an interpreter we cannot name.
      for (let j = k + 1; j < Math.min(words.length, k + 4); j++) {
        if (text(j) === '-m') return pythonModule(j);
        if (!text(j).startsWith('-')) break;
      }
      // `"${LM_EVAL}" run --model …`: the variable's own name says which program it holds.
      if (/lm[_-]?eval/i.test(w) && k + 1 < words.length && /^(run|--model|--tasks|-[Mt])$/.test(text(k + 1)))
        return lmEvalAt(k + 1);
      return undefined;
    }
    if (k === inlineEnv.length && scope?.functions.has(w) && launcherStart === undefined)
      return result('function', k + 1, { fn: scope.functions.get(w) });
    if (isLmEval(w)) {
      if (k + 1 >= words.length) return undefined; // bare `lm_eval` prints help
      return lmEvalAt(k + 1);
    }
    if (isVllmCli(w))
      return text(k + 1) === 'serve' ? result('vllm-serve', k + 2, { serveForm: 'vllm-serve' }) : undefined;
    if (isPython(w)) {
      let j = k + 1;
      while (j < words.length && text(j).startsWith('-')) {
        const opt = text(j);
        if (opt === '-m' || (opt.startsWith('-m') && opt.length > 2)) return pythonModule(j);
        if (opt === '-c') return undefined;
        if (opt === '-') return result('python', j + 1);
        j += opt === '-W' || opt === '-X' ? 2 : 1;
      }
      if (j >= words.length) return result('python', j);
      // `python path/to/lm_eval/__main__.py`
      if (/(^|\/)lm_eval\/__main__\.py$/.test(text(j))) return lmEvalAt(j + 1);
      if (/(^|\/)vllm\/entrypoints\/openai\/api_server\.py$/.test(text(j)))
        return result('vllm-serve', j + 1, { serveForm: 'api-server' });
      return undefined;
    }
    const base = basename(w);
    if (SHELLS.has(base)) {
      for (let j = k + 1; j < words.length; j++) {
        const opt = text(j);
        if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(opt)) return result('shell-c', j + 1);
        if (opt === '-s') return result('shell', j + 1);
        if (opt === '-o' || opt === '+o') {
          j++;
          continue;
        }
        if (!/^[-+]/.test(opt)) return undefined; // `bash script.sh`: another file
      }
      return result('shell', words.length);
    }
    if (base === 'sbatch') {
      for (let j = k + 1; j < words.length; j++) {
        const opt = text(j);
        if (opt === '--wrap') return result('shell-c', j + 1);
        if (opt.startsWith('--wrap=')) return result('shell-c', j);
        if (!opt.startsWith('-') && (/\.(sh|bash|slurm|sbatch|job)$/.test(opt) || opt.includes('/'))) return undefined;
      }
      return result('shell', words.length);
    }
    if (base === 'eval' && k === inlineEnv.length) return result('eval', k + 1);
    if (base === 'cat' || base === 'echo' || base === 'printf') return result(base === 'cat' ? 'cat' : 'echo', k + 1);
    const twoWord = TWO_WORD_WRAPPERS[base]?.has(text(k + 1)) ?? false;
    if (twoWord || WRAPPERS.has(base)) {
      launcherStart ??= k;
      if (base === 'docker' || base === 'podman') {
        // `docker run [options] IMAGE [command]`: a vLLM image without a command serves by itself.
        const image = containerImageIndex(text, k + 2, Math.min(words.length, k + 66));
        if (image === undefined) return undefined;
        launcherEnd = image;
        const served = image + 1 >= words.length || text(image + 1).startsWith('-');
        if (text(k + 1) === 'run' && served && isVllmServerImage(text(image)))
          return result('vllm-serve', image + 1, { serveForm: 'docker' });
        k = image + 1;
        continue;
      }
      let j = k + (twoWord ? 2 : 1);
      // Skip the wrapper's options (and `env`'s assignments) up to the program it runs.
      for (; j < words.length && j - k < 64; j++) {
        const x = text(j);
        if (
          isLmEval(x) ||
          isPython(x) ||
          isVllmCli(x) ||
          SHELLS.has(basename(x)) ||
          (TWO_WORD_WRAPPERS[basename(x)]?.has(text(j + 1)) && j + 1 < words.length) ||
          WRAPPERS.has(basename(x))
        )
          break;
        if ((x === '-m' || x === '--module') && isLmEvalModule(text(j + 1))) break;
        if (x.endsWith('.py') || x.endsWith('.sh')) return undefined; // it runs some other script
        if (assignmentOf(words[j]) && base === 'env') inlineEnv.push(words[j]);
      }
      if (j >= words.length) return undefined;
      const x = text(j);
      if (x === '-m' || x === '--module') {
        launcherEnd = j;
        return lmEvalAt(j + 2);
      }
      launcherEnd = j - 1;
      k = j;
      continue;
    }
    // `run_nohup lm_eval …`: a command of the user's own in front of an unmistakable launch.
    if (!userWrapped && isUserWrapper(w, (d) => text(k + d))) {
      userWrapped = true;
      launcherStart ??= k;
      launcherEnd = k++;
      continue;
    }
    return undefined;
  }
  return undefined;

  function pythonModule(j: number): ProgramMatch | undefined {
    const opt = text(j);
    const mod = opt === '-m' ? text(j + 1) : opt.slice(2);
    const after = opt === '-m' ? j + 2 : j + 1;
    if (isLmEvalModule(mod)) return lmEvalAt(after);
    if (SERVER_MODULES.has(mod)) return result('vllm-serve', after, { serveForm: 'api-server' });
    if (mod === 'vllm.entrypoints.cli.main' && text(after) === 'serve')
      return result('vllm-serve', after + 1, { serveForm: 'vllm-serve' });
    if (LAUNCHER_MODULES.has(mod)) {
      // `python -m torch.distributed.run … -m lm_eval …`: the rest as if torchrun ran it.
      launcherStart ??= k;
      const torchrun: ArgWord = {
        value: { text: 'torchrun', offsets: new Array(9).fill(0), ends: new Array(8).fill(0) },
        range: words[after - 1].range,
      };
      const inner = matchProgram([torchrun, ...words.slice(after)], scope);
      if (!inner) return undefined;
      const shift = after - 1;
      return {
        ...inner,
        argsStart: inner.argsStart + shift,
        launcherStart,
        launcherEnd: inner.launcherEnd !== undefined ? inner.launcherEnd + shift : undefined,
        inlineEnv,
      };
    }
    return undefined;
  }
}

/** Who reads a here-document (or piped text) given to this command. */
function stdinConsumer(p: ProgramMatch, redirectOut?: string): Heredoc['consumer'] {
  if (p.kind === 'shell') return 'shell';
  if (p.kind === 'python') return 'python';
  if (p.kind === 'cat' && redirectOut && /\.(sh|bash|slurm|sbatch|job)$/.test(redirectOut)) return 'shell';
  if (p.kind === 'cat' && redirectOut && /\.py$/.test(redirectOut)) return 'python';
  return undefined;
}

function setLauncher(inv: LmEvalInvocation, words: readonly ArgWord[], m: ProgramMatch): void {
  if (m.launcherStart === undefined || m.launcherEnd === undefined || m.launcherEnd < m.launcherStart) return;
  const ws = words.slice(m.launcherStart, m.launcherEnd + 1);
  inv.launcher = {
    value: ws.map((w) => w.value.text).join(' '),
    range: { start: ws[0].range.start, end: ws[ws.length - 1].range.end },
  };
}

/** Build the invocation from a whole argv (program first), or undefined when it does not run lm-eval. */
export function invocationFromArgv(words: readonly ArgWord[], opts: ArgvOptions): LmEvalInvocation | undefined {
  const m = matchProgram(words);
  if (!m || (m.kind !== 'lm-eval' && m.kind !== 'vllm-serve')) return undefined;
  let env: Record<string, Located<string>> = opts.env ?? {};
  if (m.inlineEnv.length) {
    env = { ...env };
    for (const w of m.inlineEnv) {
      const a = assignmentOf(w);
      if (a) env[a.name] = { value: a.value.text, range: mappedRange(a.value, 0, a.value.text.length) };
    }
  }
  const range = { start: words[0].range.start, end: words[words.length - 1].range.end };
  const inv =
    m.kind === 'lm-eval'
      ? invocationFromFlags(words.slice(m.argsStart), opts.embedding, env, range)
      : serveInvocation(words, m.argsStart, m.serveForm ?? 'vllm-serve', opts.embedding, env, range);
  setLauncher(inv, words, m);
  return inv;
}
