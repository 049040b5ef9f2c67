// YAML scalars (YAML 1.2 as the `yaml` package reads them): plain and quoted flow scalars fold line
// breaks; block scalars strip indentation, fold (`>`) and chomp. Checked against the parser's own
// value: when our decoding disagrees, every character maps to the whole scalar (coarse but safe).
import { identityMapped, MappedBuilder, type SourceMappedText } from './mappedText';

/** The shape of a `yaml` Scalar node this decoder needs. */
export interface YamlScalarLike {
  type?: string;
  value: unknown;
  range?: [number, number, number] | null;
  source?: string;
}

export function decodeYamlScalar(src: SourceMappedText, node: YamlScalarLike): SourceMappedText {
  const t = src.text;
  const r = node.range;
  if (!r) return identityMapped('');
  const [start, end] = [Math.max(0, r[0]), Math.min(t.length, r[1])];
  const b = new MappedBuilder(src);
  b.layer = node.type === 'QUOTE_DOUBLE' ? 'yaml-double' : node.type === 'QUOTE_SINGLE' ? 'yaml-single' : 'none';
  switch (node.type) {
    case 'QUOTE_DOUBLE':
      foldFlow(src, start + 1, t[end - 1] === '"' && end - 1 > start ? end - 1 : end, b, 'double');
      break;
    case 'QUOTE_SINGLE':
      foldFlow(src, start + 1, t[end - 1] === "'" && end - 1 > start ? end - 1 : end, b, 'single');
      break;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      decodeBlockScalar(src, start, end, b);
      break;
    default:
      foldFlow(src, start, end, b, 'plain');
  }
  const decoded = b.build(end);
  const expected = typeof node.value === 'string' ? node.value : (node.source ?? decoded.text);
  if (decoded.text === expected) return decoded;
  // Fallback: the parser's value, every character pointing at the whole scalar.
  const fb = new MappedBuilder(src);
  fb.add(expected, start, end);
  return fb.build(end);
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

function foldFlow(
  src: SourceMappedText,
  start: number,
  end: number,
  b: MappedBuilder,
  style: 'plain' | 'single' | 'double',
): void {
  const t = src.text;
  let pending: number[] = []; // blanks not yet emitted: dropped if a line break follows
  let j = start;
  // Plain scalars never start with blanks in the range; quoted ones keep their leading blanks.
  while (j < end) {
    const c = t[j];
    if (c === '\n' || c === '\r') {
      pending = [];
      const breakAt = j;
      let breaks = 0;
      while (j < end && (t[j] === '\n' || t[j] === '\r' || isBlank(t[j]))) {
        if (t[j] === '\n') breaks++;
        j++;
      }
      if (breaks <= 1) b.add(' ', breakAt, breakAt + 1);
      else for (let k = 1; k < breaks; k++) b.add('\n', breakAt, breakAt + 1);
      continue;
    }
    if (isBlank(c)) {
      pending.push(j);
      j++;
      continue;
    }
    for (const p of pending) b.add(t[p], p, p + 1);
    pending = [];
    if (style === 'single' && c === "'" && t[j + 1] === "'") {
      b.add("'", j, j + 2);
      j += 2;
      continue;
    }
    if (style === 'double' && c === '\\') {
      j = yamlDoubleEscape(t, j, end, b);
      continue;
    }
    b.add(c, j, j + 1);
    j++;
  }
  for (const p of pending) b.add(t[p], p, p + 1);
}

const YAML_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

function yamlDoubleEscape(t: string, j: number, end: number, b: MappedBuilder): number {
  const e = t[j + 1];
  if (e === '\n' || e === '\r') {
    // Escaped line break: joined without a space, the next line's indentation dropped.
    let k = j + 1;
    if (t[k] === '\r') k++;
    if (t[k] === '\n') k++;
    while (k < end && isBlank(t[k])) k++;
    return k;
  }
  if (e !== undefined && YAML_ESCAPES[e] !== undefined) {
    b.add(YAML_ESCAPES[e], j, j + 2);
    return j + 2;
  }
  const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  const hex = t.slice(j + 2, j + 2 + hexLen);
  if (hexLen && hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
    const cp = parseInt(hex, 16);
    b.add(cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd', j, j + 2 + hexLen);
    return j + 2 + hexLen;
  }
  b.add('\\', j, j + 1);
  return j + 1;
}

function decodeBlockScalar(src: SourceMappedText, start: number, end: number, b: MappedBuilder): void {
  const t = src.text;
  const folded = t[start] === '>';
  let h = start + 1;
  let chomp: 'clip' | 'strip' | 'keep' = 'clip';
  let explicitIndent = 0;
  while (h < end && /[-+1-9]/.test(t[h])) {
    if (t[h] === '-') chomp = 'strip';
    else if (t[h] === '+') chomp = 'keep';
    else explicitIndent = Number(t[h]);
    h++;
  }
  const nl = t.indexOf('\n', h);
  if (nl < 0 || nl >= end) return;
  // Lines of the body: [lineStart, lineEnd) without the line break.
  const lines: Array<{ s: number; e: number }> = [];
  let s = nl + 1;
  while (s < end) {
    let e = t.indexOf('\n', s);
    if (e < 0 || e > end) e = end;
    lines.push({ s, e: e > s && t[e - 1] === '\r' ? e - 1 : e });
    s = e + 1;
  }
  let indent = 0;
  if (explicitIndent) {
    // Relative to the parent's indentation, which the first body line reveals only approximately.
    const first = lines.find((l) => t.slice(l.s, l.e).trim() !== '');
    const lead = first ? /^ */.exec(t.slice(first.s, first.e))![0].length : 0;
    indent = lead;
  } else {
    for (const l of lines) {
      const text = t.slice(l.s, l.e);
      if (text.trim() !== '') {
        indent = /^ */.exec(text)![0].length;
        break;
      }
    }
  }
  type Line = { s: number; e: number; empty: boolean; more: boolean };
  const body: Line[] = lines.map((l) => {
    const cs = Math.min(l.s + indent, l.e);
    const empty = t.slice(l.s, l.e).trim() === '' && l.e - l.s <= indent;
    return { s: cs, e: l.e, empty: empty || cs >= l.e, more: isBlank(t[cs]) && cs < l.e };
  });
  // Trailing empty lines belong to chomping, not content.
  let last = body.length - 1;
  while (last >= 0 && body[last].empty) last--;
  let prevContent: Line | undefined;
  let emptyRun: Line[] = [];
  for (let k = 0; k <= last; k++) {
    const line = body[k];
    if (line.empty) {
      emptyRun.push(line);
      continue;
    }
    if (prevContent) {
      const brk = prevContent.e;
      if (!folded || prevContent.more || line.more) {
        b.add('\n', brk, brk + 1);
        for (const el of emptyRun) b.add('\n', el.e, el.e + 1);
      } else if (emptyRun.length === 0) {
        b.add(' ', brk, brk + 1);
      } else {
        for (const el of emptyRun) b.add('\n', el.e, el.e + 1);
      }
    } else {
      for (const el of emptyRun) b.add('\n', el.e, el.e + 1);
    }
    emptyRun = [];
    b.copy(line.s, line.e);
    prevContent = line;
  }
  if (!prevContent || chomp === 'strip') {
    if (chomp === 'keep') for (const el of body) b.add('\n', el.e, el.e + 1);
    return;
  }
  if (prevContent.e < t.length && t[prevContent.e] === '\n') b.add('\n', prevContent.e, prevContent.e + 1);
  else if (prevContent.e < t.length && t[prevContent.e] === '\r') b.add('\n', prevContent.e, prevContent.e + 2);
  else if (prevContent.e >= t.length) b.add('\n', prevContent.e, prevContent.e); // the parser supplies the final break at EOF
  if (chomp === 'keep')
    for (let k = last + 1; k < body.length; k++) if (body[k].e < end) b.add('\n', body[k].e, body[k].e + 1);
}
