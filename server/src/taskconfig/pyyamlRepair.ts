// PyYAML (what lm-eval loads configs with) does not check the indentation of the continuation lines of
// a quoted scalar (scanner.scan_flow_scalar_breaks only looks for document separators); YAML 1.2 and
// the `yaml` package require them to be indented past the parent block. Upstream configs rely on this
// (acpbench/boolq_cot_2shot/*.yaml, evalita_llm/_evalita-mp_*, xnli_eu/xnli_eu.yaml,
// jsonschema_bench/jsonschema_bench_easy.yaml). Re-indenting those lines does not change the value (flow
// folding strips leading whitespace), so we parse a re-indented copy and map offsets back.

export interface Repair {
  text: string;
  /** Offsets in the original text where spaces were inserted, ascending, with how many. */
  insertions: { at: number; count: number }[];
  /** Original offsets of the quoted scalars that needed it (start of the scalar). */
  scalarStarts: number[];
  /** Original ranges of the first under-indented line of each such scalar. */
  lineRanges: { start: number; end: number }[];
}

const TOKEN_STARTERS = new Set(['', '-', ':', '?', '[', '{', ',']);

function lineIndent(text: string, lineStart: number): number {
  let i = lineStart;
  while (i < text.length && text[i] === ' ') i++;
  return i - lineStart;
}

/** Column where the block content of a line begins: past indentation and `- ` sequence indicators. */
function contentColumn(text: string, lineStart: number): number {
  let i = lineStart;
  for (;;) {
    while (i < text.length && text[i] === ' ') i++;
    if (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) i += 1;
    else break;
  }
  return i - lineStart;
}

/** Past the content lines of a block scalar (blank, or indented more than its parent); undefined at
 * the end of the text. */
function skipBlockScalarLines(text: string, lineStart: number, parentIndent: number): number | undefined {
  while (lineStart < text.length) {
    const ind = lineIndent(text, lineStart);
    const c = text[lineStart + ind];
    const blank = c === '\n' || c === '\r' || c === undefined;
    if (!blank && ind <= parentIndent) break;
    const nl = text.indexOf('\n', lineStart);
    if (nl < 0) return undefined;
    lineStart = nl + 1;
  }
  return lineStart;
}

interface QuotedScan {
  /** Offset of the closing quote (or the end of the text). */
  end: number;
  /** Spaces to insert before continuation lines indented less than `required`. */
  insertions: Repair['insertions'];
  /** The first such line. */
  firstBadLine?: { start: number; end: number };
}

/** Scan the quoted scalar opening at `open`; continuation lines must be indented at least `required`. */
function scanQuotedScalar(text: string, open: number, required: number): QuotedScan {
  const quote = text[open];
  const n = text.length;
  const out: QuotedScan = { end: n, insertions: [] };
  let i = open + 1;
  while (i < n) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i += 2;
        continue;
      }
      break;
    }
    if (c === '\n') {
      const ls = i + 1;
      const ind = lineIndent(text, ls);
      const next = text[ls + ind];
      if (next !== '\n' && next !== '\r' && next !== undefined && ind < required) {
        out.insertions.push({ at: ls, count: required - ind });
        if (!out.firstBadLine) {
          const e = text.indexOf('\n', ls);
          out.firstBadLine = { start: ls, end: e < 0 ? n : e };
        }
      }
    }
    i++;
  }
  out.end = i;
  return out;
}

/** A re-indented copy when some quoted scalar is continued at a too-low indentation; else undefined. */
export function repairQuotedScalarIndentation(text: string): Repair | undefined {
  const insertions: Repair['insertions'] = [];
  const scalarStarts: number[] = [];
  const lineRanges: Repair['lineRanges'] = [];
  let lineStart = 0;
  let prevSignificant = '';
  let blockParentIndent = -1; // inside a block scalar: lines indented more than this belong to it
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '\n') {
      i++;
      lineStart = i;
      prevSignificant = '';
      if (blockParentIndent >= 0) {
        const after = skipBlockScalarLines(text, lineStart, blockParentIndent);
        if (after === undefined) return finish();
        lineStart = after;
        i = lineStart;
        blockParentIndent = -1;
      }
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#' && (i === lineStart || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if ((ch === '|' || ch === '>') && (prevSignificant === ':' || prevSignificant === '-' || prevSignificant === '')) {
      // A block scalar header: content follows on the next lines.
      const col = i - lineStart;
      const content = contentColumn(text, lineStart);
      // `key: |` → content is indented past the key; `- |` → past the `-`.
      blockParentIndent = content === col ? Math.max(0, col - 2) : content;
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if ((ch === '!' || ch === '&') && TOKEN_STARTERS.has(prevSignificant)) {
      // A tag or anchor before a value: skip it, keep the token-start state.
      while (i < n && !/\s/.test(text[i])) i++;
      continue;
    }
    if ((ch === '"' || ch === "'") && TOKEN_STARTERS.has(prevSignificant)) {
      const start = i;
      const scanned = scanQuotedScalar(text, i, contentColumn(text, lineStart) + 1);
      insertions.push(...scanned.insertions);
      if (scanned.firstBadLine) {
        lineRanges.push(scanned.firstBadLine);
        scalarStarts.push(start);
      }
      i = scanned.end + 1;
      prevSignificant = 'scalar';
      continue;
    }
    // Any other character: part of a plain scalar or an indicator.
    if (ch === ':' || ch === '-' || ch === '?') {
      const after = text[i + 1];
      prevSignificant =
        after === undefined || after === ' ' || after === '\t' || after === '\n' || after === '\r' ? ch : 'word';
    } else if (ch === '[' || ch === '{' || ch === ',') prevSignificant = ch;
    else prevSignificant = 'word';
    i++;
  }
  return finish();

  function finish(): Repair | undefined {
    if (insertions.length === 0) return undefined;
    let out = '';
    let last = 0;
    for (const ins of insertions) {
      out += text.slice(last, ins.at) + ' '.repeat(ins.count);
      last = ins.at;
    }
    out += text.slice(last);
    return { text: out, insertions, scalarStarts, lineRanges };
  }
}

/** Maps an offset in the repaired text back to the original text. */
export function originalOffset(repair: Repair | undefined, offset: number): number {
  if (!repair) return offset;
  let shift = 0;
  // Insertions are few (a handful of lines); a linear walk is fine.
  for (const ins of repair.insertions) {
    const at = ins.at + shift; // position of the insertion in repaired text
    if (offset < at) break;
    if (offset < at + ins.count) return ins.at;
    shift += ins.count;
  }
  return offset - shift;
}
