// lm-eval launches in Jupyter notebooks (.ipynb, nbformat 4): each code cell's `source` (a list of
// JSON strings or one string) is decoded into one text mapped back to the .ipynb, then read as a
// shell cell (`%%bash`, `%%sh`, `%%script bash`) or as Python whose `!cmd` lines are shell.
import {
  MappedBuilder,
  asSourceMapped,
  concatMapped,
  identityMapped,
  mappedRange,
  sliceMapped,
  type SourceMappedText,
} from './mappedText';
import { parseJsonTree, type JsonNode } from './json';
import { scanPython } from './python';
import { scanShell } from './shell';
import type { Located, LmEvalInvocation, MappedText } from './types';

const SHELL_CELL = /^%%(bash|sh|script\s+(ba|z)?sh)\b/;

/** The decoded source of every code cell, mapped to the notebook text. */
export function notebookCodeCells(src: SourceMappedText): SourceMappedText[] {
  const root = parseJsonTree(src);
  if (root?.kind !== 'object') return [];
  const cells = root.members.find((m) => m.key === 'cells')?.value;
  if (cells?.kind !== 'array') return [];
  const out: SourceMappedText[] = [];
  for (const cell of cells.items) {
    if (cell.kind !== 'object') continue;
    const type = cell.members.find((m) => m.key === 'cell_type')?.value;
    if (type?.kind !== 'string' || type.value.text !== 'code') continue;
    const source = cell.members.find((m) => m.key === 'source')?.value;
    const parts = sourceParts(source);
    if (parts.length) out.push(concatMapped(parts, parts[0].offsets[0]));
  }
  return out;
}

function sourceParts(n: JsonNode | undefined): SourceMappedText[] {
  if (!n) return [];
  if (n.kind === 'string') return [n.value];
  if (n.kind === 'array') return n.items.flatMap((x) => (x.kind === 'string' ? [x.value] : []));
  return [];
}

export function findNotebookInvocations(text: string, base?: MappedText): LmEvalInvocation[] {
  try {
    const src = base && base.text === text ? asSourceMapped(base) : identityMapped(text);
    const out: LmEvalInvocation[] = [];
    const env: Record<string, Located<string>> = {};
    for (const cell of notebookCodeCells(src)) out.push(...cellInvocations(cell, env));
    return out;
  } catch {
    return [];
  }
}

/** One code cell; `env` carries `%env` settings into later cells, as the kernel does. */
export function cellInvocations(cell: SourceMappedText, env: Record<string, Located<string>>): LmEvalInvocation[] {
  const t = cell.text;
  const firstLineEnd = t.indexOf('\n') < 0 ? t.length : t.indexOf('\n');
  if (SHELL_CELL.test(t.slice(0, firstLineEnd).trim())) {
    return scanShell(sliceMapped(cell, Math.min(t.length, firstLineEnd + 1), t.length), {
      embedding: 'notebook',
      env: { ...env },
    });
  }
  const out: LmEvalInvocation[] = [];
  // Python with IPython escapes: blank out `!cmd` and `%magic` lines (continuations included) for
  // the Python reader, and read each `!cmd` as shell.
  const masked = new MappedBuilder(cell);
  const holed = withIpythonHoles(cell);
  let i = 0;
  while (i < t.length) {
    let lineEnd = t.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = t.length;
    const lead = /^[ \t]*/.exec(t.slice(i, lineEnd))![0].length;
    const c = t[i + lead];
    if (c === '!' || c === '%') {
      // A trailing backslash continues the command on the next line.
      let end = lineEnd;
      while (end < t.length && t[end - 1] === '\\') {
        const next = t.indexOf('\n', end + 1);
        end = next < 0 ? t.length : next;
      }
      const body = sliceMapped(holed, i + lead + 1, end);
      if (c === '!') out.push(...scanShell(body, { embedding: 'notebook', env: { ...env } }));
      else {
        const m = /^env\s+([A-Za-z_][A-Za-z0-9_]*)[= ]\s*(\S.*)?$/.exec(body.text.trim());
        if (m && m[2] !== undefined) {
          const vStart = body.text.lastIndexOf(m[2]);
          env[m[1]] = { value: m[2], range: mappedRange(body, vStart, vStart + m[2].length) };
        }
      }
      for (let k = i; k < end; k++) masked.add(t[k] === '\n' ? '\n' : ' ', k, k + 1);
      i = end;
      continue;
    }
    masked.copy(i, Math.min(lineEnd + 1, t.length));
    i = lineEnd + 1;
  }
  out.push(...scanPython(masked.build(t.length), { embedding: 'notebook', env: { ...env } }));
  return out;
}

/** IPython expands `{expr}` and `$name` in `!` lines before the shell runs: `{…}` is unknown to us. */
function withIpythonHoles(cell: SourceMappedText): SourceMappedText {
  const t = cell.text;
  const holes = [...(cell.holes ?? [])];
  const re = /\{[A-Za-z_][A-Za-z0-9_.[\]'"]*\}/g;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    if (t[m.index - 1] === '{') continue;
    holes.push({ start: m.index, end: m.index + m[0].length });
  }
  return holes.length ? { ...cell, holes } : cell;
}
