// Mapping keys the `yaml` package reads and PyYAML rejects. Without `?`, PyYAML takes a key only as a
// "simple key": on one line with its `:` (scanner.py `stale_possible_simple_keys` drops a candidate at
// the line break; libyaml the same), in block and flow mappings alike; and a `:` with no key before it
// is a parser error ("while parsing a block mapping … expected <block end>, but found ':'"). The
// `yaml` package reads `{c\n: 1}`, `{c\nd: 1}` (key "c d"), `: 1` and `key\n  : 1` without a word.
import type { Finding, OffsetRange } from '../shared/findings';

/** The character before `offset`, past spaces and tabs. */
function charBefore(text: string, offset: number): string | undefined {
  let i = offset - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return text[i];
}

/** Past spaces, line breaks and comments from `from`: where the next token starts, and whether a line
 * break was crossed. */
function nextToken(text: string, from: number): { at: number; crossedLine: boolean } {
  let crossedLine = false;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') crossedLine = true;
    else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    } else if (c !== ' ' && c !== '\t' && c !== '\r') break;
    i++;
  }
  return { at: i, crossedLine };
}

/** An error when the implicit key at `key` (original offsets) is missing or is not a simple key. */
export function pyyamlKeyError(text: string, key: OffsetRange): Finding | undefined {
  if (charBefore(text, key.start) === '?') return undefined; // an explicit key (`? key`) may be anything
  if (key.start === key.end)
    return {
      code: 'yaml-syntax',
      severity: 'error',
      message:
        "A `:` with no key before it. PyYAML raises \"expected <block end>, but found ':'\" (in brackets \"expected ',' or '}'\"), so lm-eval cannot load this file. Write the key before the `:`, or join this line to the one above.",
      range: { start: key.start, end: key.start + 1 },
    };
  const spansLines = text.slice(key.start, key.end).includes('\n');
  const next = nextToken(text, key.end);
  if (!spansLines && !(next.crossedLine && text[next.at] === ':')) return undefined;
  return {
    code: 'yaml-syntax',
    severity: 'error',
    message:
      "This mapping key does not end on the line it starts on. PyYAML needs a key and its `:` on one line (it raises \"could not find expected ':'\" or \"expected ',' or '}', but got ':'\"), so lm-eval cannot load this file. Put the key and its `:` on one line.",
    range: key,
  };
}
