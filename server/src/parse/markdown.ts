// Launches in Markdown (READMEs, issue text): fenced code blocks (``` and ~~~, CommonMark) at any
// indentation, inside list items and blockquotes (`> ` prefixes are removed line by line), the info
// string picking the reader; `console` / `shell-session` blocks keep only the `$ ` prompt lines;
// and command lines pasted into prose without a fence (`lm_eval …`, `$ python -m lm_eval …`,
// `vllm serve …`, `docker run … IMAGE`, in a paragraph, a list item or an inline code span). All
// shell text of one document shares one scope, so `export OPT=…` in an earlier block reaches a
// later one.
//
// Hand-written rather than markdown-it: launches need the document offset of every character,
// markdown-it's tokens carry line maps only (and re-expand tabs inside containers), and the subset
// needed here — container prefixes and fence indentation — is a few dozen lines, against ~100 KB
// and six packages in the server bundle.
import { MappedBuilder, asSourceMapped, identityMapped, type SourceMappedText } from './mappedText';
import { scanPython } from './python';
import { findContainerSpecInvocations } from './containerSpecs';
import { findRunConfigInvocation } from './runConfig';
import { finishShellScope, scanShell } from './shell';
import { ShellScope } from './shellScope';
import type { LaunchScanOptions } from './launchScanOptions';
import type { LmEvalInvocation, MappedText } from './types';

export interface FencedBlock {
  info: string;
  /** The block's content lines, mapped to the document. */
  body: SourceMappedText;
}

const SHELL_INFOS = new Set(['bash', 'sh', 'shell', 'zsh', 'shellscript', 'sbatch', 'slurm']);
const SESSION_INFOS = new Set(['console', 'shell-session', 'sh-session', 'bash-session']);
const PYTHON_INFOS = new Set(['python', 'py', 'python3', 'ipython', 'ipython3']);
const YAML_INFOS = new Set(['yaml', 'yml']);

/** Blockquote markers at the start of a line (`> `, `>> `, ` > > `). */
const QUOTE_PREFIX = /^(?: {0,3}> ?)+/;
/** A list item marker: the fence may follow it on the same line (`- ```bash`). */
const LIST_MARKER = /^ *(?:[-*+]|\d{1,9}[.)])(?: +|$)/;
const FENCE_OPEN = /^( *)(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;

interface Line {
  start: number;
  /** End of the line's text (before `\r\n`). */
  end: number;
  /** Where the content starts after blockquote markers. */
  contentStart: number;
  quoteDepth: number;
}

function linesOf(t: string): Line[] {
  const out: Line[] = [];
  let i = 0;
  while (i <= t.length) {
    let nl = t.indexOf('\n', i);
    if (nl < 0) nl = t.length;
    const end = nl > i && t[nl - 1] === '\r' ? nl - 1 : nl;
    const text = t.slice(i, end);
    const q = QUOTE_PREFIX.exec(text);
    out.push({
      start: i,
      end,
      contentStart: i + (q ? q[0].length : 0),
      quoteDepth: q ? (q[0].match(/>/g) ?? []).length : 0,
    });
    if (nl >= t.length) break;
    i = nl + 1;
  }
  return out;
}

interface Region {
  kind: 'fence' | 'prose';
  info: string;
  body: SourceMappedText;
}

/** Fenced blocks and prose lines, in document order. */
function regions(src: SourceMappedText): Region[] {
  const t = src.text;
  const lines = linesOf(t);
  const out: Region[] = [];
  let prose: Line[] = [];
  const flushProse = () => {
    if (prose.length) out.push({ kind: 'prose', info: '', body: linesBody(src, prose, () => 0) });
    prose = [];
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    let content = t.slice(line.contentStart, line.end);
    let markerWidth = 0;
    const marker = LIST_MARKER.exec(content);
    if (marker && FENCE_OPEN.test(content.slice(marker[0].length))) {
      markerWidth = marker[0].length;
      content = content.slice(markerWidth);
    }
    const open = FENCE_OPEN.exec(content);
    if (!open) {
      prose.push(line);
      continue;
    }
    flushProse();
    const fence = open[2];
    const indent = markerWidth + open[1].length;
    // Inside a list item (a marker on this line, or an indentation no top-level fence has) a
    // less-indented line ends the item, and the block with it.
    const nested = markerWidth > 0 || indent >= 4;
    const info = open[3].toLowerCase().replace(/^\{\.?|\}$/g, '');
    const body: Line[] = [];
    let m = n + 1;
    for (; m < lines.length; m++) {
      const l = lines[m];
      if (l.quoteDepth < line.quoteDepth) break; // the blockquote ended
      const text = t.slice(l.contentStart, l.end);
      const close = /^( *)(`{3,}|~{3,})[ \t]*$/.exec(text);
      if (close && close[2][0] === fence[0] && close[2].length >= fence.length) {
        m++;
        break;
      }
      if (nested && text.trim() && /^ */.exec(text)![0].length < indent) break;
      body.push(l);
    }
    out.push({ kind: 'fence', info, body: linesBody(src, body, () => indent) });
    n = m - 1;
  }
  flushProse();
  return out;
}

/** The lines' content (after container prefixes, up to `indent` spaces removed), joined with their line breaks. */
function linesBody(src: SourceMappedText, lines: Line[], indent: (l: Line) => number): SourceMappedText {
  const t = src.text;
  const b = new MappedBuilder(src);
  for (const l of lines) {
    let k = l.contentStart;
    const max = indent(l);
    while (k < l.end && k - l.contentStart < max && t[k] === ' ') k++;
    b.copy(k, l.end);
    if (l.end < t.length) b.add('\n', l.end, l.end + 1);
  }
  return b.build(lines.length ? lines[lines.length - 1].end : 0);
}

/** Fenced code blocks only (CommonMark fences, in lists and blockquotes too). */
export function fencedBlocks(src: SourceMappedText): FencedBlock[] {
  return regions(src)
    .filter((r) => r.kind === 'fence')
    .map((r) => ({ info: r.info, body: r.body }));
}

/** Keep `$ cmd` lines (prompt removed) and their `\` continuations; blank out output lines. */
export function stripPrompts(body: SourceMappedText): SourceMappedText {
  const t = body.text;
  const b = new MappedBuilder(body);
  let i = 0;
  let continuing = false;
  while (i < t.length) {
    let lineEnd = t.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = t.length;
    const line = t.slice(i, lineEnd);
    const prompt = /^\s*(?:\([^)]*\)\s*)?[^\s$#]*[$#] /.exec(line);
    if (continuing) b.copy(i, lineEnd);
    else if (prompt && line.slice(0, prompt[0].length).includes('$')) b.copy(i + prompt[0].length, lineEnd);
    continuing = (continuing || !!prompt) && /\\[ \t]*\r?$/.test(line);
    if (lineEnd < t.length) b.add('\n', lineEnd, lineEnd + 1);
    i = lineEnd + 1;
  }
  return b.build(t.length);
}

/** A command line in prose: an lm-eval or vLLM server launch, optionally after a `$ ` prompt. */
const PROSE_COMMAND =
  /^(?:[$#>]\s+)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:lm_eval|lm-eval|python3?\s+-m\s+lm_eval|accelerate\s+launch\b.*\blm_eval|vllm\s+serve|python3?\s+-m\s+vllm\.entrypoints|(?:sudo\s+)?(?:docker|podman)\s+run)\b/;

/**
 * An inline code span in a sentence is often a reference to the command, not a run of it
 * ("the `lm-eval --model_args="{...}" --batch_size=auto` command uses …"). It is a launch when
 * it says what runs: tasks or a --config (lm-eval without them exits "Need to specify task to
 * evaluate"), a model in --model_args, or a vLLM server.
 */
function namesWhatRuns(command: string): boolean {
  return (
    /(?:^|\s)(?:--tasks|-t|--config|-C)(?:[=\s]|$)/.test(command) ||
    /(?:^|[\s,{'"=])"?(?:pretrained|model)"?\s*[=:]\s*[^\s,{}.…<>]/.test(command) ||
    /vllm\s+serve|vllm\.entrypoints|(?:docker|podman)\s+run\b.*vllm/.test(command)
  );
}

/**
 * Command lines of prose paragraphs (and their `\` continuations, blanks after the `\` tolerated
 * as pasted text has them), and inline code spans holding a command. Everything else is blanked
 * out so offsets stay put.
 */
function proseCommands(body: SourceMappedText): SourceMappedText | undefined {
  const t = body.text;
  if (!/lm[-_]eval|vllm/.test(t)) return undefined;
  const b = new MappedBuilder(body);
  let any = false;
  let i = 0;
  let continuing = false;
  while (i < t.length) {
    let lineEnd = t.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = t.length;
    const line = t.slice(i, lineEnd);
    const lead = LIST_MARKER.exec(line)?.[0].length ?? /^\s*/.exec(line)![0].length;
    const content = line.slice(lead);
    if (continuing) {
      b.copy(i, lineEnd);
    } else if (PROSE_COMMAND.test(content) && /\s--?[A-Za-z]/.test(content)) {
      const prompt = /^[$#>]\s+/.exec(content)?.[0].length ?? 0;
      b.copy(i + lead + prompt, lineEnd);
      any = true;
      continuing = true;
    } else {
      // `lm_eval …` in an inline code span: one command of its own.
      const re = /(`+)([^`]+)\1/g;
      for (let m = re.exec(line); m; m = re.exec(line)) {
        const inner = m[2].trim();
        if (!PROSE_COMMAND.test(inner) || !/\s--?[A-Za-z]/.test(inner) || !namesWhatRuns(inner)) continue;
        const at = i + m.index + m[1].length + m[2].indexOf(inner);
        b.copy(at, at + inner.length);
        b.add('\n', at + inner.length, at + inner.length);
        any = true;
      }
    }
    continuing = continuing && /\\[ \t]*$/.test(line);
    if (lineEnd < t.length) b.add('\n', lineEnd, lineEnd + 1);
    i = lineEnd + 1;
  }
  return any ? b.build(t.length) : undefined;
}

export function findMarkdownInvocations(
  text: string,
  base?: MappedText,
  opts: LaunchScanOptions = {},
): LmEvalInvocation[] {
  try {
    const src = base && base.text === text ? asSourceMapped(base) : identityMapped(text);
    const out: LmEvalInvocation[] = [];
    const scope = new ShellScope(opts.env, opts.assumed);
    const shell = { embedding: 'markdown' as const, shellScope: scope, collapsedContinuations: true };
    for (const r of regions(src)) {
      const info = r.info;
      if (r.kind === 'prose') {
        const commands = proseCommands(r.body);
        if (commands) out.push(...scanShell(commands, { ...shell, lenientContinuations: true }));
      } else if (SHELL_INFOS.has(info)) out.push(...scanShell(r.body, shell));
      else if (SESSION_INFOS.has(info)) out.push(...scanShell(stripPrompts(r.body), shell));
      else if (PYTHON_INFOS.has(info)) out.push(...scanPython(r.body, { embedding: 'markdown' }));
      else if (YAML_INFOS.has(info)) {
        const inv = findRunConfigInvocation(r.body.text, r.body, 'markdown');
        out.push(...(inv ? [inv] : findContainerSpecInvocations(r.body.text, r.body)));
      } else if (info === '' || info === 'text') {
        const body = r.body.text;
        if (/lm[-_]eval|vllm\s+serve/.test(body))
          out.push(...scanShell(/^\s*\$ /m.test(body) ? stripPrompts(r.body) : r.body, shell));
        if (/simple_evaluate\s*\(/.test(body)) out.push(...scanPython(r.body, { embedding: 'markdown' }));
      }
    }
    out.push(...finishShellScope(scope, 'markdown'));
    return out;
  } catch {
    return [];
  }
}
