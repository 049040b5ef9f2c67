// What the cursor is on: a key or a value, and the path of keys above it. Two readers: the parsed tree
// (hover, definition) and an indentation scan of the raw text (completion, where the YAML is often
// half-typed and does not parse).
import type { YEntry, YNode } from '../yamlTree';

export interface TreeLocation {
  /** Keys from the root; list items appear as '-'. */
  path: string[];
  /** The entry whose key or value holds the offset. */
  entry?: YEntry;
  onKey: boolean;
  /** The innermost node at the offset (a scalar or function when on a value). */
  node?: YNode;
}

const within = (r: { start: number; end: number }, offset: number) => offset >= r.start && offset <= r.end;

export function locateInTree(root: YNode | undefined, offset: number, maxDepth = 64): TreeLocation | undefined {
  let node = root;
  const path: string[] = [];
  let entry: YEntry | undefined;
  for (let depth = 0; node && depth < maxDepth; depth++) {
    if (node.kind === 'map') {
      let next: YNode | undefined;
      for (const e of node.entries) {
        if (within(e.keyRange, offset)) return { path, entry: e, onKey: true, node: e.value };
        if (within(e.value.range, offset) && e.value.range.end > e.value.range.start) {
          entry = e;
          path.push(e.key);
          next = e.value;
          break;
        }
      }
      if (!next) return { path, entry, onKey: false, node };
      node = next;
    } else if (node.kind === 'seq') {
      const item = node.items.find((i) => within(i.range, offset));
      if (!item) return { path, entry, onKey: false, node };
      path.push('-');
      node = item;
    } else {
      return { path, entry, onKey: false, node };
    }
  }
  return undefined;
}

export interface TextLocation {
  /** Parent keys (list items as '-'), outermost first. */
  path: string[];
  /** 'key': typing a key; 'value': typing the value of `key`. */
  position: 'key' | 'value';
  key?: string;
  /** The partial word before the cursor and where it starts. */
  prefix: string;
  prefixStart: number;
}

function indentOf(line: string): number {
  const m = /^( *)(- +)*/.exec(line);
  return m ? m[0].length : 0;
}

export function locateInText(text: string, offset: number): TextLocation {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const path: string[] = [];
  let position: TextLocation['position'] = 'key';
  let key: string | undefined;
  let prefix = '';
  let indent: number;
  const valueMatch = /^( *)((?:- +)*)([^\s:#][^:#]*?)\s*:\s+(.*)$/.exec(before);
  if (valueMatch) {
    position = 'value';
    key = valueMatch[3].trim().replace(/^["']|["']$/g, '');
    prefix = valueMatch[4];
    indent = valueMatch[1].length + valueMatch[2].length;
    if (valueMatch[2]) path.push('-');
  } else {
    const keyMatch = /^( *)((?:- +)*)([\w.-]*)$/.exec(before);
    prefix = keyMatch ? keyMatch[3] : '';
    indent = keyMatch ? keyMatch[1].length + keyMatch[2].length : before.length;
    if (keyMatch?.[2]) path.push('-');
  }
  // Walk up: the nearest earlier line with a smaller indentation is the parent.
  let end = lineStart - 1;
  let scanned = 0;
  while (end > 0 && indent > 0 && scanned < 5000) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    end = start - 1;
    scanned++;
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const lead = /^( *)/.exec(line)![1].length;
    const m = /^( *)((?:- +)*)([^\s:#][^:#]*?)\s*:(\s|$)/.exec(line);
    const itemIndent = indentOf(line);
    if (m && itemIndent < indent) {
      // `- key: value` lines contribute their key only when we are nested under it.
      path.unshift(m[3].trim());
      if (m[2]) path.unshift('-');
      indent = lead;
      continue;
    }
    if (lead < indent && /^ *- /.test(line)) {
      path.unshift('-');
      indent = lead;
    }
  }
  return {
    path: path.filter((p, i) => !(p === '-' && path[i - 1] === '-')),
    position,
    key,
    prefix,
    prefixStart: offset - prefix.length,
  };
}
