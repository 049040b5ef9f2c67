// JSON string literals (RFC 8259), decoded with the document offset of every character: a notebook
// cell or a launch.json argument is a JSON string before it is a shell command.
import { MappedBuilder, type Decoded, type SourceMappedText } from './mappedText';

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

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
    const e = t[j + 1];
    const simple: Record<string, string> = {
      '"': '"',
      '\\': '\\',
      '/': '/',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
    };
    if (e !== undefined && simple[e] !== undefined) {
      b.add(simple[e], j, j + 2);
      j += 2;
    } else if (e === 'u' && isHex(t[j + 2]) && isHex(t[j + 3]) && isHex(t[j + 4]) && isHex(t[j + 5])) {
      b.add(String.fromCharCode(parseInt(t.slice(j + 2, j + 6), 16)), j, j + 6);
      j += 6;
    } else {
      b.add(c, j, j + 1); // invalid escape: keep it; JSON.parse would have rejected the file
      j++;
    }
  }
  return { value: b.build(j), end: j, unterminated: true };
}
