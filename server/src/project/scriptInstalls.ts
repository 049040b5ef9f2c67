// Installs written in the launch's own script: `pip install vllm==0.6.3`, `python -m pip install`,
// `uv pip install`, `uv add`, `uv run --with vllm==0.6.3 lm_eval …`, `conda install vllm=0.6.3`,
// `!pip install` / `%pip install` in notebooks. Read line by line, so they are found in shell
// scripts, Python strings, notebook JSON and Markdown code blocks alike.
import { LineIndex } from '../parse/lineIndex';
import { fromUrl, parseRequirement } from './requirement';
import { trackedPackage, type PackagePin } from './types';

export interface InstallPin extends PackagePin {
  /** Offset of the install command in the text. */
  offset: number;
}

// The command only: its words are read by `installWords`, which stops at the next shell operator, so
// the scan resumes there and finds a second install on the same line (`pip install -U pip && pip install vllm==0.6.3`).
const INSTALL_RE =
  /(?:^|[\s;&|!%"'([{`])((?:python3?(?:\.\d+)?\s+-m\s+)?(?:uv\s+)?pip3?\s+install|uv\s+add|(?:conda|mamba|micromamba)\s+install|uv\s+(?:run|tool\s+run)|uvx)(?=[ \t]|\\[ \t]*\r?\n|\\\\\\n)/g;

/** A line continuation at `i`: `\` + newline (blanks after the `\` tolerated, as bash users write them by mistake and `commandEnd` reads them). */
const CONTINUATION_RE = /\\[ \t]*\r?\n/y;
/**
 * The same inside a JSON or Python string: an escaped backslash then `\n` (a notebook cell's
 * `!pip install \` line), and, in a notebook's list of source lines, the string that holds the next line.
 */
const ESCAPED_CONTINUATION_RE = /\\\\\\n(?:"[ \t]*,[ \t]*\r?\n[ \t]*")?/y;

interface InstallWord {
  word: string;
  /** Offset of the word's first character in the text. */
  offset: number;
}

/**
 * Shell-like words after an install command, up to a command separator, a comment, the end of its
 * (`\`-continued) line or of the notebook string it sits in. `end` is where reading stopped: the
 * next install is searched from there.
 */
function installWords(text: string, from: number): { words: InstallWord[]; end: number } {
  const out: InstallWord[] = [];
  let cur = '';
  let at = from;
  let quote: string | undefined;
  let had = false;
  let lineEnd = nextLineEnd(text, from);
  const push = () => {
    if (cur || had) out.push({ word: cur, offset: at });
    cur = '';
    had = false;
  };
  let i = from;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') break;
    if (quote) {
      if (c === quote) quote = undefined;
      else cur += c;
      continue;
    }
    if (c === '\\') {
      const joined = continuationEnd(text, i);
      if (joined !== undefined) {
        push();
        i = joined - 1;
        lineEnd = nextLineEnd(text, joined);
        continue;
      }
      if (text[i + 1] === 'n') break; // the end of a line inside a JSON or Python string (notebooks)
    }
    if (c === '"' || c === "'") {
      // a quote that closes the string the command sits in (Python, JSON) ends the command
      const close = text.indexOf(c, i + 1);
      if (close < 0 || close >= lineEnd) break;
      if (!cur && !had) at = i;
      quote = c;
      had = true;
      continue;
    }
    if (/[;&|)`]/.test(c)) break;
    if (c === '#' && !cur && !had) {
      i = lineEnd; // a comment: nothing after it on the line is run
      break;
    }
    if (/\s/.test(c)) {
      push();
      continue;
    }
    if (!cur && !had) at = i;
    cur += c;
  }
  push();
  return { words: out, end: i };
}

function nextLineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** Where the next line's text starts when a continuation begins at `i`, or undefined. */
function continuationEnd(text: string, i: number): number | undefined {
  for (const re of [CONTINUATION_RE, ESCAPED_CONTINUATION_RE]) {
    re.lastIndex = i;
    if (re.test(text)) return re.lastIndex;
  }
  return undefined;
}

export function scriptInstallPins(text: string): InstallPin[] {
  const out: InstallPin[] = [];
  if (text.length > 16 * 1024 * 1024) return out;
  let lines: LineIndex | undefined;
  const lineOf = (offset: number) => {
    lines ??= new LineIndex(text);
    return lines.lineOf(offset) + 1;
  };
  INSTALL_RE.lastIndex = 0;
  for (let m = INSTALL_RE.exec(text); m; m = INSTALL_RE.exec(text)) {
    const offset = m.index + m[0].indexOf(m[1]);
    const read = installWords(text, m.index + m[0].length);
    // the next install is searched after these words (`&& pip install …`), never inside them
    INSTALL_RE.lastIndex = Math.max(read.end, m.index + m[0].length);
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    if (/^\s*#/.test(text.slice(lineStart, offset))) continue; // commented out
    const command = m[1].replace(/\s+/g, ' ');
    const isRun = /^uv (run|tool run)$|^uvx$/.test(command);
    const isConda = /^(conda|mamba|micromamba) install$/.test(command);
    const ws = read.words;
    for (let i = 0; i < ws.length; i++) {
      let w = ws[i].word;
      let line = lineOf(ws[i].offset);
      if (isRun) {
        // only `--with REQ` / `--with=REQ` / `--from REQ` name packages; the rest is the command run
        const flag = /^--(with|from)(?:=(.*))?$/.exec(w);
        if (!flag) {
          if (!w.startsWith('-')) break;
          continue;
        }
        if (flag[2] === undefined && ws[i + 1]) line = lineOf(ws[i + 1].offset);
        w = flag[2] ?? ws[++i]?.word ?? '';
        for (const part of w.split(',')) pushPin(out, part, command, line, offset, false);
        continue;
      }
      if (w.startsWith('-')) {
        if (
          /^(-r|--requirement|-c|--constraint|-i|--index-url|--extra-index-url|-f|--find-links|-c|--channel)$/.test(w)
        )
          i++;
        continue;
      }
      const expanded = expandVariables(w, text, offset);
      if (expanded)
        pushPin(
          out,
          expanded.word,
          command,
          line,
          offset,
          isConda,
          expanded.written && `${command} ${expanded.written}`,
        );
    }
  }
  return out;
}

/**
 * `vllm==$V` / `"vllm==${VLLM_VERSION}"` with `V=0.4.2` assigned earlier in the script (QA D7): the
 * last assignment before the install, as the script runs top to bottom. A variable the text does
 * not set to a literal (`$(…)`, another variable, the environment) leaves the word unknown: no pin.
 */
function expandVariables(word: string, text: string, before: number): { word: string; written?: string } | undefined {
  if (!word.includes('$')) return { word };
  let unknown = false;
  const values: string[] = [];
  const out = word.replace(
    /\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g,
    (_m, braced: string | undefined, fallback: string | undefined, plain: string | undefined) => {
      const name = (braced ?? plain) as string;
      const value = lastAssignment(text, name, before);
      if (value !== undefined && (value !== '' || fallback === undefined)) {
        values.push(`${name}=${value}`);
        return value;
      }
      if (fallback !== undefined && !fallback.includes('$')) return fallback;
      unknown = true;
      return '';
    },
  );
  if (unknown || out.includes('$')) return undefined;
  return { word: out, written: values.length ? `${word} with ${values.join(', ')}` : undefined };
}

/** The literal value of the last `NAME=value` (also `export`/`declare`/`local`/`readonly`) before `before`. */
function lastAssignment(text: string, name: string, before: number): string | undefined {
  const re = new RegExp(
    `^[ \\t]*(?:(?:export|declare|typeset|local|readonly)(?:[ \\t]+-\\w+)*[ \\t]+)?${name}=(?:"([^"$\`\\\\\\n]*)"|'([^'\\n]*)'|([^\\s;&|$\`'"\\\\]*))(?=[ \\t]*(?:[;&#]|\\r?$))`,
    'gm',
  );
  let value: string | undefined;
  for (let m = re.exec(text); m && m.index < before; m = re.exec(text)) value = m[1] ?? m[2] ?? m[3];
  return value;
}

function pushPin(
  out: InstallPin[],
  word: string,
  command: string,
  line: number,
  offset: number,
  conda: boolean,
  written = `${command} ${word}`,
): void {
  if (!word) return;
  if (conda) {
    const m = /^(?:[\w.-]+::)?([A-Za-z0-9][\w.-]*?)(?:(==|=|>=|<=|>|<)(.+))?$/.exec(word);
    const pkg = m ? trackedPackage(m[1]) : undefined;
    if (!m || !pkg) return;
    const op = !m[2] || m[2] === '=' ? '' : m[2];
    out.push({
      package: pkg,
      spec: m[3] ? `${op}${m[3]}` : '',
      dialect: 'conda',
      line,
      written,
      offset,
    });
    return;
  }
  const r = /^(git\+|https?:)/.test(word) ? fromUrl(word) : parseRequirement(word);
  if (r) out.push({ ...r, line, written, offset });
}
