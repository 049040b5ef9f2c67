// lm-eval launches in Markdown fenced code blocks (``` and ~~~, CommonMark): the info string picks
// the reader; `console` / `shell-session` blocks keep only the `$ ` prompt lines (and their
// continuations), since the rest is output.
import { MappedBuilder, asSourceMapped, identityMapped, type SourceMappedText } from './mappedText';
import { scanPython } from './python';
import { findRunConfigInvocation } from './runConfig';
import { scanShell } from './shell';
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

export function fencedBlocks(src: SourceMappedText): FencedBlock[] {
  const t = src.text;
  const out: FencedBlock[] = [];
  let i = 0;
  let open: { fence: string; indent: number; info: string; bodyStart: number } | undefined;
  while (i <= t.length) {
    let lineEnd = t.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = t.length;
    const line = t.slice(i, lineEnd).replace(/\r$/, '');
    if (!open) {
      const m = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/.exec(line);
      if (m && !(m[2][0] === '`' && line.slice(m[1].length + m[2].length).includes('`'))) {
        open = {
          fence: m[2],
          indent: m[1].length,
          info: m[3].toLowerCase().replace(/^\{\.?|\}$/g, ''),
          bodyStart: lineEnd + 1,
        };
      }
    } else {
      const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (m && m[1][0] === open.fence[0] && m[1].length >= open.fence.length) {
        out.push({ info: open.info, body: bodyOf(src, open.bodyStart, i, open.indent) });
        open = undefined;
      }
    }
    if (lineEnd >= t.length) break;
    i = lineEnd + 1;
  }
  // An unclosed fence runs to the end of the document (CommonMark).
  if (open && open.bodyStart <= t.length)
    out.push({ info: open.info, body: bodyOf(src, open.bodyStart, t.length, open.indent) });
  return out;
}

/** Content lines with the fence's indentation removed (up to that many spaces per line). */
function bodyOf(src: SourceMappedText, start: number, end: number, indent: number): SourceMappedText {
  const t = src.text;
  const b = new MappedBuilder(src);
  let i = Math.min(start, end);
  while (i < end) {
    let lineEnd = t.indexOf('\n', i);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let k = i;
    while (k < lineEnd && k - i < indent && t[k] === ' ') k++;
    b.copy(k, Math.min(lineEnd + 1, end));
    i = lineEnd + 1;
  }
  return b.build(end);
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
    continuing = (continuing || !!prompt) && /\\\r?$/.test(line);
    if (lineEnd < t.length) b.add('\n', lineEnd, lineEnd + 1);
    i = lineEnd + 1;
  }
  return b.build(t.length);
}

export function findMarkdownInvocations(text: string, base?: MappedText): LmEvalInvocation[] {
  try {
    const src = base && base.text === text ? asSourceMapped(base) : identityMapped(text);
    const out: LmEvalInvocation[] = [];
    for (const block of fencedBlocks(src)) {
      const info = block.info;
      if (SHELL_INFOS.has(info)) out.push(...scanShell(block.body, { embedding: 'markdown' }));
      else if (SESSION_INFOS.has(info)) out.push(...scanShell(stripPrompts(block.body), { embedding: 'markdown' }));
      else if (PYTHON_INFOS.has(info)) out.push(...scanPython(block.body, { embedding: 'markdown' }));
      else if (YAML_INFOS.has(info)) {
        const inv = findRunConfigInvocation(block.body.text, block.body, 'markdown');
        if (inv) out.push(inv);
      } else if (info === '' || info === 'text') {
        const body = block.body.text;
        if (/lm[-_]eval/.test(body))
          out.push(
            ...scanShell(/^\s*\$ /m.test(body) ? stripPrompts(block.body) : block.body, { embedding: 'markdown' }),
          );
        if (/simple_evaluate\s*\(/.test(body)) out.push(...scanPython(block.body, { embedding: 'markdown' }));
      }
    }
    return out;
  } catch {
    return [];
  }
}
