// JSON string literals (RFC 8259), decoded with the document offset of every character: a notebook
// cell or a launch.json argument is a JSON string before it is a shell command.
import { MappedBuilder, type Decoded, type SourceMappedText } from './mappedText';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * The JSON escape sequence whose `\` is at t[j]: the character it stands for and how many source
 * characters it takes (`\n` 2, `\u00e9` 6). Undefined for an invalid escape.
 */
export function jsonEscapeAt(t: string, j: number): { value: string; length: number } | undefined {
  const e = t[j + 1];
  if (e !== undefined && SIMPLE_ESCAPES[e] !== undefined) return { value: SIMPLE_ESCAPES[e], length: 2 };
  if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(j + 2, j + 6)))
    return { value: String.fromCharCode(parseInt(t.slice(j + 2, j + 6), 16)), length: 6 };
  return undefined;
}

/** Decode the JSON string literal whose `"` is at src.text[i]. */
export function decodeJsonString(src: SourceMappedText, i: number): Decoded {
  const t = src.text;
  const b = new MappedBuilder(src);
  b.layer = 'json';
  let j = i + 1;
  while (j < t.length) {
    const c = t[j];
    if (c === '"') return { value: b.build(j), end: j + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      b.add(c, j, j + 1);
      j++;
      continue;
    }
    const escaped = jsonEscapeAt(t, j);
    if (escaped) {
      b.add(escaped.value, j, j + escaped.length);
      j += escaped.length;
    } else {
      b.add(c, j, j + 1); // invalid escape: keep it; JSON.parse would have rejected the file
      j++;
    }
  }
  return { value: b.build(j), end: j, unterminated: true };
}
