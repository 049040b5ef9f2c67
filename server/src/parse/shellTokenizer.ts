// The shell tokenizer (POSIX sh / bash): comments, quotes, `\` continuations, separators (`;`,
// `&`, `&&`, `||`, `|`, newlines), redirections, here-documents, function definitions and array
// literals, turning text into simple commands. Each command goes to the interpreter as soon as it
// ends, so what it assigns is known when the next one is decoded.
import { mappedRange, sliceMapped, type SourceMappedText } from './mappedText';
import { newCommand, type Command, type Heredoc } from './shellCommand';
import { arrayLiteral, expandSplat, fieldSplit, SPLAT, wordOf } from './shellExpansion';
import { functionAfterKeyword, functionAtParen, type FunctionDefinition } from './shellFunctions';
import { heredocExtent } from './shellHeredoc';
import type { ShellScope } from './shellScope';
import { decodeShellWord, placeholderLengthAt } from './shellWord';

/** What the tokenizer hands on: each simple command, and here-document bodies someone reads. */
export interface CommandSink {
  /** A simple command that ended; `pipedFrom` is the command whose output it reads (`a | b`). */
  command(cmd: Command, pipedFrom: Command | undefined): void;
  heredoc(body: SourceMappedText, consumer: NonNullable<Heredoc['consumer']>): void;
}

export interface TokenizeOptions {
  /** `\` followed by blanks continues the line without a word about it (text pasted into prose). */
  lenient: boolean;
  /** ` \ ` between words is a lost line break (Markdown). */
  collapsed: boolean;
}

/** Tokenize `src`, handing each simple command to `sink` as it ends. */
export function tokenizeShell(
  src: SourceMappedText,
  scope: ShellScope,
  opts: TokenizeOptions,
  sink: CommandSink,
): void {
  new ShellTokenizer(src, scope, opts, sink).run();
}

class ShellTokenizer {
  private readonly t: string;
  private i = 0;
  private cmd = newCommand();
  /** Here-documents opened on this line: their bodies start on the next one. */
  private lineHeredocs: Heredoc[] = [];
  /** The next word is the target of a redirection. */
  private skipNextWord = false;
  private captureRedirect = false;
  private conditionalNext = false;
  private piped: Command | undefined;

  constructor(
    private readonly src: SourceMappedText,
    private readonly scope: ShellScope,
    private readonly opts: TokenizeOptions,
    private readonly sink: CommandSink,
  ) {
    this.t = src.text;
  }

  run(): void {
    const t = this.t;
    while (this.i < t.length) {
      const c = t[this.i];
      if (c === ' ' || c === '\t' || c === '\r') {
        this.i++;
        continue;
      }
      if (c === '\\' && this.backslash()) continue;
      if (c === '#') {
        const nl = t.indexOf('\n', this.i);
        this.i = nl < 0 ? t.length : nl;
        continue;
      }
      if (c === '\n') {
        this.finish('\n');
        this.i++;
        this.heredocBodies();
        continue;
      }
      if (c === ';' || c === '&' || c === '|') this.operator(c);
      else if (c === '(' || c === ')') this.paren(c);
      else if ((c === '<' || c === '>') && !placeholderLengthAt(t, this.i)) this.redirection(c);
      else this.word();
    }
    this.finish('\n');
    this.heredocBodies();
  }

  /** The command ends at a separator `sep`: hand it over and start the next. */
  private finish(sep: string): void {
    const cmd = this.cmd;
    cmd.conditional = this.conditionalNext;
    this.conditionalNext = false;
    const prev = this.piped;
    if (cmd.words.length || cmd.arrays.size) this.sink.command(cmd, prev);
    this.piped = sep === '|' ? cmd : undefined;
    this.lineHeredocs.push(...cmd.heredocs);
    this.cmd = newCommand();
  }

  /** The bodies of the here-documents opened on the line that just ended. */
  private heredocBodies(): void {
    const heredocs = this.lineHeredocs;
    this.lineHeredocs = [];
    for (const h of heredocs) {
      const { bodyEnd, after } = heredocExtent(this.t, this.i, h);
      if (h.consumer) this.sink.heredoc(sliceMapped(this.src, this.i, bodyEnd), h.consumer);
      this.i = after;
    }
  }

  /** A `\` that continues the line (or fails to); false when it starts a word. */
  private backslash(): boolean {
    const t = this.t;
    const i = this.i;
    if (t[i + 1] === '\n' || (t[i + 1] === '\r' && t[i + 2] === '\n')) {
      this.i += t[i + 1] === '\n' ? 2 : 3;
      return true;
    }
    // `\` then blanks (and maybe a comment) at the line end: bash escapes the first blank and
    // ends the command at the line break.
    const m = /^\\[ \t]+(#[^\r\n]*)?(?=\r?\n)/.exec(t.slice(i, i + 1024));
    if (m) {
      if (!this.opts.lenient)
        this.cmd.textProblems.push({
          code: 'broken-line-continuation',
          message: m[1]
            ? "A comment after this '\\': bash continues a line only when '\\' is its last character; here it escapes the blank after it, so the command ends at the end of this line and the next line runs as a command of its own. Put the comment on a line of its own."
            : "Blanks after this '\\': bash continues a line only when '\\' is its last character, so the command ends here and the next line runs as a command of its own. Delete the trailing blanks.",
          range: mappedRange(this.src, i, i + (m[1] ? m[0].length - m[1].length : m[0].length)),
        });
      this.i += m[0].length;
      this.i += t[this.i] === '\r' ? 2 : 1;
      return true;
    }
    if (this.opts.collapsed && (t[i - 1] === ' ' || t[i - 1] === '\t') && (t[i + 1] === ' ' || t[i + 1] === '\t')) {
      this.i++;
      return true;
    }
    return false;
  }

  /** `;`, `&`, `|` and their two-character forms (`&&`, `||`, `;;`, `|&`, `;&`, `&>`). */
  private operator(c: string): void {
    const two = this.t.slice(this.i, this.i + 2);
    if (two === '&&' || two === '||') {
      this.finish(two);
      this.conditionalNext = true;
      this.i += 2;
      return;
    }
    if (two === '&>') {
      this.i += 2;
      if (this.t[this.i] === '>') this.i++;
      this.skipNextWord = true;
      return;
    }
    this.finish(c);
    this.i += two === ';;' || two === '|&' || two === ';&' ? 2 : 1;
  }

  /** `(` / `)`: a function definition's `()`, or a subshell's bounds (which end a command). */
  private paren(c: string): void {
    if (c === '(') {
      const def = functionAtParen(this.src, this.i, this.cmd);
      if (def) {
        this.define(def);
        return;
      }
    }
    this.finish(c);
    this.i++;
  }

  private define(def: FunctionDefinition): void {
    this.scope.functions.set(def.fn.name, def.fn);
    this.i = def.end;
    this.cmd = newCommand();
  }

  /** `<<<`, `<<EOF` / `<<-EOF`, `>`, `>>`, `2>&1`, `<`: the target word is not an argument. */
  private redirection(c: string): void {
    const t = this.t;
    if (t.startsWith('<<<', this.i)) {
      this.i += 3;
      this.skipNextWord = true;
      return;
    }
    if (t.startsWith('<<', this.i)) {
      let j = this.i + 2;
      const stripTabs = t[j] === '-';
      if (stripTabs) j++;
      while (t[j] === ' ' || t[j] === '\t') j++;
      const word = decodeShellWord(this.src, j);
      this.cmd.heredocs.push({ delimiter: word.value.text, stripTabs });
      this.i = Math.max(word.end, j + 1);
      return;
    }
    const out = c === '>';
    this.i++;
    while (t[this.i] === '>' || t[this.i] === '&' || t[this.i] === '|') this.i++;
    // `2>&1`, `>&2`: the target is a descriptor number, not a word we must skip.
    if (/[0-9-]/.test(t[this.i] ?? '') && t[this.i - 1] === '&') {
      while (/[0-9-]/.test(t[this.i] ?? '')) this.i++;
      return;
    }
    this.skipNextWord = true;
    this.captureRedirect = out;
  }

  /** A word: a splat, a redirection's target, an array literal, `function NAME`, or argv words. */
  private word(): void {
    const { src, t, cmd } = this;
    const i = this.i;
    const splat = SPLAT.exec(t.slice(i, i + 80));
    if (splat && !this.skipNextWord) {
      expandSplat(this.scope, splat[1] ?? splat[2], splat[3], cmd);
      this.i += splat[0].length;
      cmd.end = Math.max(cmd.end, src.ends[this.i - 1] ?? 0);
      return;
    }
    const word = decodeShellWord(src, i, this.scope);
    const end = Math.max(word.end, i + 1);
    const afterWord = t[end];
    if (this.skipNextWord) {
      this.skipNextWord = false;
      if (this.captureRedirect) cmd.redirectOut = word.value.text;
      this.captureRedirect = false;
    } else if (/^[0-9]+$/.test(word.value.text) && (afterWord === '>' || afterWord === '<')) {
      // `2>file`: the descriptor belongs to the redirection.
    } else if (word.assignment && word.value.text.length === word.assignment.valueStart && afterWord === '(') {
      // NAME=( … ): an array literal.
      cmd.words.push(wordOf(src, i, end, word));
      this.i = arrayLiteral(src, end, this.scope, cmd, cmd.words.length - 1);
      return;
    } else {
      const def =
        cmd.words.length === 1 && cmd.words[0].value.text === 'function'
          ? functionAfterKeyword(src, end, word.value.text)
          : undefined;
      if (def) {
        this.define(def);
        return;
      }
      for (const w of fieldSplit(src, i, end, word)) cmd.words.push(w);
    }
    this.i = end;
  }
}
