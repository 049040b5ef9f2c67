// The fields of a Python `@dataclass` read from its source text, never by running it: what a
// vendored or forked lm-eval's TaskConfig(**cfg) accepts as keyword arguments. Only what the text
// settles is an answer; a class whose keyword arguments the text does not settle (not a dataclass,
// its own __init__, a base class from elsewhere) is a problem with the reason, so callers can say
// that they could not tell rather than guess.

export type DataclassFields =
  | { fields: string[] /** 1-based line of `class Name`. */; line: number }
  | { problem: string; line: number };

interface LogicalLine {
  /** Text of the logical line (continuations joined), comments removed. */
  text: string;
  indent: number;
  /** 1-based line where it starts. */
  line: number;
}

const MAX_SOURCE_CHARS = 2 * 1024 * 1024;
const MAX_BASE_DEPTH = 4;

/** Python logical lines: brackets, backslashes and triple-quoted strings join physical lines. */
function logicalLines(src: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const startLine = line;
    let indent = 0;
    while (src[i] === ' ' || src[i] === '\t') {
      indent += src[i] === '\t' ? 8 - (indent % 8) : 1;
      i++;
    }
    let text = '';
    let depth = 0;
    for (; i < src.length; i++) {
      const c = src[i];
      if (c === '\n') {
        line++;
        if (depth > 0) {
          text += ' ';
          continue;
        }
        i++;
        break;
      }
      if (c === '\\' && src[i + 1] === '\n') {
        i++;
        line++;
        text += ' ';
        continue;
      }
      if (c === '#') {
        while (i + 1 < src.length && src[i + 1] !== '\n') i++;
        continue;
      }
      if (c === '"' || c === "'") {
        const triple = src.startsWith(c.repeat(3), i);
        const quote = triple ? c.repeat(3) : c;
        let j = i + quote.length;
        while (j < src.length && !src.startsWith(quote, j)) {
          if (src[j] === '\\') j++;
          else if (src[j] === '\n') {
            if (!triple) break;
            line++;
          }
          j++;
        }
        text += `${quote}…${quote}`;
        i = Math.min(src.length, j + quote.length) - 1;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      text += c;
    }
    const trimmed = text.trim();
    if (trimmed !== '') out.push({ text: trimmed, indent, line: startLine });
  }
  return out;
}

const CLASS_HEADER = /^class\s+([A-Za-z_]\w*)\s*(?:\(([\s\S]*)\))?\s*:/;
const ANNOTATED = /^([A-Za-z_]\w*)\s*:(?!=)\s*([^=]+?)\s*(?:=(?!=)\s*([\s\S]*))?$/;
const DATACLASS_DECORATOR = /^@\s*(?:dataclasses\.)?dataclass\b/;

/** The fields that `Name(**kwargs)` accepts, for a top-level `@dataclass class Name` in `src`; undefined if there is none. */
export function dataclassFields(src: string, className: string, depth = 0): DataclassFields | undefined {
  const lines = logicalLines(src.length > MAX_SOURCE_CHARS ? src.slice(0, MAX_SOURCE_CHARS) : src);
  // The last top-level definition is the one the module ends up with.
  let at = -1;
  for (let k = 0; k < lines.length; k++)
    if (lines[k].indent === 0 && CLASS_HEADER.exec(lines[k].text)?.[1] === className) at = k;
  if (at < 0) return undefined;
  const header = lines[at];
  const line = header.line;
  const decorators: string[] = [];
  for (let k = at - 1; k >= 0 && lines[k].indent === 0 && lines[k].text.startsWith('@'); k--)
    decorators.push(lines[k].text);
  if (!decorators.some((d) => DATACLASS_DECORATOR.test(d)))
    return { problem: `\`${className}\` is not a @dataclass`, line };
  const fields: string[] = [];
  const bases = (CLASS_HEADER.exec(header.text)?.[2] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '' && !/^(dict|object|Dict|abc\.ABC|ABC)$/.test(b) && !/^metaclass\s*=/.test(b));
  for (const base of bases) {
    const inherited =
      /^[A-Za-z_]\w*$/.test(base) && depth < MAX_BASE_DEPTH ? dataclassFields(src, base, depth + 1) : undefined;
    if (!inherited || 'problem' in inherited)
      return { problem: `\`${className}\` inherits from \`${base}\`, whose fields could not be read`, line };
    fields.push(...inherited.fields);
  }
  // A one-line body (`class X: pass`) has nothing after the colon worth reading.
  const bodyIndent = lines[at + 1]?.indent ?? 0;
  if (bodyIndent === 0) return { fields, line };
  for (let k = at + 1; k < lines.length && lines[k].indent >= bodyIndent; k++) {
    const l = lines[k];
    if (l.indent !== bodyIndent) continue;
    if (/^(?:async\s+)?def\s+__init__\b/.test(l.text))
      return { problem: `\`${className}\` defines its own __init__`, line };
    const m = ANNOTATED.exec(l.text);
    if (!m) continue;
    const [, name, annotation, value] = m;
    if (/^(?:typing\.)?ClassVar\b/.test(annotation) || /^(?:dataclasses\.)?KW_ONLY$/.test(annotation)) continue;
    if (value && /^(?:dataclasses\.)?field\s*\(/.test(value) && /\binit\s*=\s*False\b/.test(value)) continue;
    if (!fields.includes(name)) fields.push(name);
  }
  return { fields, line };
}
