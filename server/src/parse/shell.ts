// Launches in shell and SLURM scripts: a small POSIX-sh/bash tokenizer (shellTokenizer.ts) over one
// shared scope (shellScope.ts), feeding each simple command to the interpreter here, which applies
// assignments and declarations (shellBuiltins.ts), finds the program an argv runs through the usual
// wrappers (shellPrograms.ts) and reads lm-eval's and `vllm serve`'s flags (shellLaunch.ts,
// reference/lm-eval.md §4.2). Hand-written rather than tree-sitter-bash: measured in
// docs/launch-forms.md ("Parser choice"). Commands that run other commands are followed: functions
// whose body runs `"$@"` or a fixed command, `bash -c`, `sbatch --wrap`, `eval`, here-documents fed
// to a shell, sbatch or Python (shellHeredoc.ts). Whatever the script does not say stays an
// unresolved hole (never guessed).

import type { OffsetRange } from '../shared/findings';
import { scanForLaunches, sliceMapped, type SourceMappedText } from './mappedText';
import { scanPython } from './python';
import { runScopeCommand } from './shellBuiltins';
import type { ArgWord, Command, Heredoc } from './shellCommand';
import { assignHeredocReaders } from './shellHeredoc';
import { commandEnv, launchOf } from './shellLaunch';
import { matchProgram, type ProgramMatch } from './shellPrograms';
import { joinMapped, ShellScope, type ShellFunction } from './shellScope';
import { tokenizeShell, type CommandSink } from './shellTokenizer';
import type { LaunchScanOptions } from './launchScanOptions';
import type { EmbeddingKind, LmEvalInvocation, MappedText } from './types';

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

const MAX_NESTING = 8;

/**
 * Characters of nested text (function bodies per call, `bash -c` strings, here-documents) one
 * file may make us read: a function that calls itself ten times, or functions that fan out ten
 * calls a level, stop here instead of running for ever.
 */
const NESTED_BUDGET_MIN = 200_000;
const NESTED_BUDGET_PER_CHAR = 8;

/** Words that open, close or prefix a compound command; the simple command follows them. */
const KEYWORDS = new Set(['then', 'else', 'elif', 'do', '!', '{', '}', 'exec', 'command', 'builtin', 'in', 'time']);

/** The interpreter: runs each simple command the tokenizer hands it over the scope. */
class ShellScanner implements CommandSink {
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
      tokenizeShell(src, this.scope, { lenient: this.lenient, collapsed: this.collapsed }, this);
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

  heredoc(body: SourceMappedText, consumer: NonNullable<Heredoc['consumer']>): void {
    if (consumer === 'shell') this.scan(body);
    else this.out.push(...scanPython(body, { embedding: this.embedding, env: this.scope.env() }));
  }

  /** One simple command: compound-command keywords first, then what it runs. */
  command(cmd: Command, pipedFrom: Command | undefined): void {
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
        return;
      }
      if (KEYWORDS.has(w)) {
        k++;
        continue;
      }
      break;
    }
    const rest = words.slice(k);
    if (!rest.length && !cmd.arrays.size) return;
    if (cmd.conditional) scope.conditional++;
    try {
      this.simpleCommand(rest, k, cmd, pipedFrom);
    } finally {
      if (cmd.conditional) scope.conditional--;
    }
  }

  private simpleCommand(rest: ArgWord[], offset: number, cmd: Command, pipedFrom: Command | undefined): void {
    if (runScopeCommand(this.scope, rest, offset, cmd)) return;
    const p = matchProgram(rest, this.scope);
    if (!p) return;
    assignHeredocReaders(p, cmd, pipedFrom);
    const range = { start: rest[0].range.start, end: Math.max(rest[rest.length - 1].range.end, cmd.end) };
    switch (p.kind) {
      case 'lm-eval':
      case 'vllm-serve': {
        const inv = launchOf(rest, p, this.embedding, commandEnv(this.scope, p.inlineEnv), range);
        if (cmd.textProblems.length) inv.textProblems = cmd.textProblems;
        if (this.scope.defaults.length) inv.defaults = this.scope.defaults;
        this.out.push(inv);
        return;
      }
      case 'function':
        this.call(p.fn!, rest.slice(p.argsStart), range, cmd.unknownSplat);
        return;
      case 'shell-c':
        this.shellString(rest, p, cmd);
        return;
      case 'eval': {
        const args = rest.slice(p.argsStart);
        if (args.length)
          this.scan(
            joinMapped(
              args.map((a) => a.value),
              range.start,
            ),
          );
        return;
      }
      case 'shell': {
        // `echo "lm_eval …" | bash`
        const prev = pipedFrom && matchProgram(pipedFrom.words, this.scope);
        if (prev?.kind === 'echo' && pipedFrom!.words.length === prev.argsStart + 1)
          this.scan(pipedFrom!.words[prev.argsStart].value);
        return;
      }
    }
  }

  /** `bash -c 'script' NAME ARGS…` ($0 is NAME, $1… the rest), `sbatch --wrap='script'`. */
  private shellString(rest: ArgWord[], p: ProgramMatch, cmd: Command): void {
    const script = rest[p.argsStart];
    if (!script) return;
    const text = script.value.text.startsWith('--wrap=')
      ? sliceMapped(script.value, 7, script.value.text.length)
      : script.value;
    this.scope.pushFrame(rest.slice(p.argsStart + 2), cmd.unknownSplat, script.range.start);
    try {
      this.scan(text);
    } finally {
      this.scope.popFrame();
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
}
