// Directive comments: `# lm-eval-lens: gpu=A100-80GB vllm=0.6.3 harness=0.4.9 disable=CODE,CODE`,
// and `$NAME=value` for a variable the file uses but does not set (`$MODEL=Qwen/Qwen2.5-7B`).
// They work in every editor and in the CLI because they live in the file itself. Any comment
// leader is accepted (`#`, `//`, `<!--`, `--`, `;`), so the same syntax works in shell, Python,
// YAML, JSONC and Markdown. In a notebook a directive inside a cell's source string counts (the
// string is the cell's script text); in other JSON only one in a comment (JSONC) does: a string there
// is data (a package.json description quoting a directive configures nothing).
import type { OffsetRange } from '../shared/findings';

export interface DirectiveValue {
  value: string;
  range: OffsetRange;
}

export interface Directives {
  gpu?: DirectiveValue;
  /** `gpus=4` or the `4x` in `gpu=4xA100-80GB`. */
  gpuCount?: number;
  vllm?: DirectiveValue;
  harness?: DirectiveValue;
  /** `$NAME=value`: what to assume for a shell/Python variable the file reads but never sets. */
  assumed: Record<string, DirectiveValue>;
  /** Codes disabled for the whole file (a directive before any other content). */
  disabledInFile: Set<string>;
  /** Codes disabled on one 0-based line (a directive at the end of that line). */
  disabledOnLine: Map<number, Set<string>>;
  /** Offset where a file-wide directive line can be inserted (after a shebang). */
  fileDirectiveInsertOffset: number;
}

const DIRECTIVE = /(?:#|\/\/|<!--|--|;)\s*lm-eval-lens:[ \t]*([^\n]*)/;
/** What may follow a directive on its line: an HTML comment end, or the rest of a JSON string (notebooks). */
const DIRECTIVE_TAIL = /(\s*-->.*|\\n.*|"\s*,?\s*)$/;

/** Is text[i] inside a JSON string that opened on this line? (JSON strings never span lines.) */
function insideJsonString(line: string, i: number): boolean {
  let inside = false;
  for (let k = 0; k < i; k++) {
    if (line[k] === '\\' && inside) k++;
    else if (line[k] === '"') inside = !inside;
  }
  return inside;
}

/** `.json`, `.jsonc`, `.code-workspace`: JSON whose strings are data (a notebook's are cell text). */
export function isPlainJsonPath(path: string | undefined): boolean {
  return !!path && /\.(json|jsonc|code-workspace)$/i.test(path);
}

/** The directives of a file; `path` tells JSON (directives in comments only) from the rest. */
export function parseDirectives(text: string, path?: string): Directives {
  const jsonData = isPlainJsonPath(path);
  const d: Directives = {
    assumed: {},
    disabledInFile: new Set(),
    disabledOnLine: new Map(),
    fileDirectiveInsertOffset: 0,
  };
  let lineStart = 0;
  let line = 0;
  let sawContent = false;
  if (text.startsWith('#!')) {
    const nl = text.indexOf('\n');
    d.fileDirectiveInsertOffset = nl < 0 ? text.length : nl + 1;
  }
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const lineText = text.slice(lineStart, lineEnd);
    let m = lineText.includes('lm-eval-lens:') ? DIRECTIVE.exec(lineText) : null;
    if (m && jsonData && insideJsonString(lineText, m.index)) m = null;
    const trimmed = lineText.trim();
    const isCommentLine = /^(#|\/\/|<!--|--|;)/.test(trimmed);
    if (m) {
      const bodyStart = lineStart + (m.index ?? 0) + m[0].length - m[1].length;
      for (const tok of tokens(m[1].replace(DIRECTIVE_TAIL, ''), bodyStart)) {
        const eq = tok.text.indexOf('=');
        if (eq <= 0) continue;
        const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(tok.text.slice(0, eq));
        if (variable) {
          d.assumed[variable[1]] = {
            value: tok.text.slice(eq + 1),
            range: { start: tok.start + eq + 1, end: tok.start + tok.text.length },
          };
          continue;
        }
        const key = tok.text.slice(0, eq).toLowerCase();
        const value = tok.text.slice(eq + 1);
        const range = { start: tok.start + eq + 1, end: tok.start + tok.text.length };
        if (key === 'gpu') {
          const multi = /^(\d+)\s*[x×*]\s*(.+)$/i.exec(value);
          if (multi) {
            d.gpuCount = Number(multi[1]);
            d.gpu = { value: multi[2], range: { start: range.start + value.indexOf(multi[2]), end: range.end } };
          } else d.gpu = { value, range };
        } else if (key === 'gpus' || key === 'gpu_count') {
          const n = Number(value);
          if (Number.isInteger(n) && n > 0) d.gpuCount = n;
        } else if (key === 'vllm' || key === 'vllm_version') d.vllm = { value, range };
        else if (key === 'harness' || key === 'lm_eval' || key === 'lm-eval') d.harness = { value, range };
        else if (key === 'disable') {
          const codes = value
            .split(',')
            .map((c) => c.trim().replace(/^lmeval\//, ''))
            .filter(Boolean);
          const whole = isCommentLine && !sawContent;
          const target = whole ? d.disabledInFile : getOrCreate(d.disabledOnLine, isCommentLine ? line + 1 : line);
          // A directive alone on a line mid-file covers the next line (eslint's disable-next-line).
          for (const c of codes) target.add(c);
        }
      }
    }
    if (trimmed && !isCommentLine && !trimmed.startsWith('#!')) sawContent = true;
    if (lineEnd === text.length) break;
    lineStart = lineEnd + 1;
    line++;
  }
  return d;
}

function getOrCreate(map: Map<number, Set<string>>, key: number): Set<string> {
  let s = map.get(key);
  if (!s) {
    s = new Set();
    map.set(key, s);
  }
  return s;
}

function* tokens(body: string, base: number): Generator<{ text: string; start: number }> {
  const re = /\S+/g;
  for (let m = re.exec(body); m; m = re.exec(body)) yield { text: m[0], start: base + m.index };
}

/** Is `code` disabled for a finding spanning lines [startLine, endLine]? */
export function isSuppressed(d: Directives, code: string, startLine: number, endLine: number): boolean {
  if (d.disabledInFile.has(code) || d.disabledInFile.has('all')) return true;
  for (let l = startLine; l <= endLine; l++) {
    const s = d.disabledOnLine.get(l);
    if (s && (s.has(code) || s.has('all'))) return true;
  }
  return false;
}
