// Where PyYAML (lm-eval's loader: pure Python, or libyaml when installed) does not check indentation and
// YAML 1.2 (the `yaml` package) does:
//  - inside a flow collection (`[...]`, `{...}`): PyYAML's scanner ignores indentation while
//    flow_level > 0 (scanner.py `unwind_indent` returns at once, `scan_plain` only stops at a lower
//    column in block context; libyaml's `yaml_parser_unroll_indent` the same), so items and the
//    closing bracket may sit at any column, even 0;
//  - the continuation lines of a quoted scalar (`scan_flow_scalar_breaks` only looks for document
//    separators), in block context too (upstream acpbench/boolq_cot_2shot, xnli_eu/xnli_eu.yaml).
// There the leading spaces of a line carry no meaning (flow folding strips them), so we parse a copy
// with those lines indented past their key and map offsets back. A document marker (`---` or `...` at
// column 0) still ends the document for PyYAML even there: its line is left alone and stays an error.
// Real cases: lmms-eval's tempcompass/_default_template_yaml (`post_prompt: {` closed at column 0).
import { isScalar, visit, type Document } from 'yaml';
import type { Finding } from '../shared/findings';

export interface RepairSite {
  /** A flow collection (its outermost bracket) or a quoted scalar written in block context. */
  kind: 'flow' | 'quoted';
  /** Original offset of the bracket or the opening quote. */
  start: number;
  /** Original range of its first under-indented line. */
  line: { start: number; end: number };
}

export interface Repair {
  text: string;
  /** Offsets in the original text where spaces were inserted, ascending, with how many. */
  insertions: { at: number; count: number }[];
  sites: RepairSite[];
}

interface OpenFlow {
  depth: number;
  /** Lines inside are indented at least this much in the copy (past the key the collection opens on). */
  required: number;
  start: number;
}

/** After these a `[`, `{` or quote starts a node (block context: a line start, `- `, `: `, `? `). */
const BLOCK_STARTERS = new Set(['', '-', ':', '?']);
const FLOW_STARTERS = new Set(['', '-', ':', '?', '[', '{', ',']);

function lineIndent(text: string, lineStart: number): number {
  let i = lineStart;
  while (text[i] === ' ') i++;
  return i - lineStart;
}

/** Column where the block content of a line begins: past indentation and `- ` sequence indicators. */
function contentColumn(text: string, lineStart: number): number {
  let i = lineStart;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) i += 1;
    else break;
  }
  return i - lineStart;
}

function isBreakOrEnd(c: string | undefined): boolean {
  return c === undefined || c === '\n' || c === '\r';
}

function isBlankOrEnd(c: string | undefined): boolean {
  return isBreakOrEnd(c) || c === ' ' || c === '\t';
}

/** `---` or `...` at column 0 followed by a blank: PyYAML ends the document there, in any context. */
function isDocumentMarker(text: string, lineStart: number): boolean {
  const three = text.slice(lineStart, lineStart + 3);
  return (three === '---' || three === '...') && isBlankOrEnd(text[lineStart + 3]);
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** Past the content lines of a block scalar (blank, or indented more than its parent). */
function skipBlockScalarLines(text: string, lineStart: number, parentIndent: number): number {
  while (lineStart < text.length) {
    const ind = lineIndent(text, lineStart);
    if (!isBreakOrEnd(text[lineStart + ind]) && ind <= parentIndent) break;
    lineStart = lineEnd(text, lineStart) + 1;
  }
  return Math.min(lineStart, text.length);
}

class IndentScanner {
  readonly insertions: Repair['insertions'] = [];
  readonly sites: RepairSite[] = [];
  private i = 0;
  private lineStart = 0;
  /** What the last token was: '' (none on this line), an indicator, 'scalar' or 'word' (plain text). */
  private prev = '';
  private flow: OpenFlow | undefined;
  /** Inside a plain scalar of block context: the column of the collection that holds it. PyYAML goes on
   * with the scalar on a later line indented past that column (scanner.py `scan_plain`), where a
   * bracket or a quote is text. */
  private plainOwner: number | undefined;
  /** Column of the last `- ` or `? ` indicator on this line. */
  private indicatorColumn = 0;
  /** Columns of the open block collections, innermost last (PyYAML's `indents`). */
  private readonly blockIndents: number[] = [];

  constructor(private readonly text: string) {}

  scan(): void {
    const { text } = this;
    while (this.i < text.length) {
      const ch = text[this.i];
      if (ch === '\n') this.newLine();
      else if (ch === ' ' || ch === '\t' || ch === '\r') this.i++;
      else if (ch === '#' && (this.i === this.lineStart || isBlankOrEnd(text[this.i - 1]))) {
        this.i = lineEnd(text, this.i);
        this.plainOwner = undefined; // a comment ends a plain scalar
      } else if (this.flow) this.flowToken(ch);
      else this.blockToken(ch);
    }
  }

  private newLine(): void {
    this.i++;
    this.lineStart = this.i;
    if (this.flow) {
      // A comment line inside brackets may sit at any column for both parsers.
      if (this.text[this.lineStart + lineIndent(this.text, this.lineStart)] !== '#')
        this.reindent(this.lineStart, this.flow.required, 'flow', this.flow.start);
    } else if (this.plainOwner !== undefined && this.continuesPlain(this.lineStart)) this.prev = 'word';
    else this.startBlockLine();
  }

  /** A line of block context: collections indented deeper than its first token are closed. */
  private startBlockLine(): void {
    this.prev = '';
    this.plainOwner = undefined;
    const ind = lineIndent(this.text, this.lineStart);
    const c = this.text[this.lineStart + ind];
    if (isBreakOrEnd(c) || c === '#') return;
    while (this.blockIndents.length > 0 && this.blockIndents[this.blockIndents.length - 1] > ind)
      this.blockIndents.pop();
  }

  /** A block mapping or sequence at `column` (a key or a `- `): opened unless it is already the innermost. */
  private openBlock(column: number): void {
    const top = this.blockIndents[this.blockIndents.length - 1] ?? -1;
    if (column > top) this.blockIndents.push(column);
  }

  /** Whether the line at `lineStart` goes on with the open plain scalar (a blank line keeps it open). */
  private continuesPlain(lineStart: number): boolean {
    const ind = lineIndent(this.text, lineStart);
    const c = this.text[lineStart + ind];
    if (isBreakOrEnd(c)) return true;
    if (c === '#' || (ind === 0 && isDocumentMarker(this.text, lineStart))) return false;
    return ind > this.plainOwner!;
  }

  private blockToken(ch: string): void {
    const { text } = this;
    const starts = BLOCK_STARTERS.has(this.prev);
    if ((ch === '[' || ch === '{') && starts) {
      this.flow = { depth: 1, required: contentColumn(text, this.lineStart) + 1, start: this.i };
      this.prev = ch;
      this.i++;
    } else if ((ch === '|' || ch === '>') && this.prev !== '?' && starts) this.blockScalar();
    else if ((ch === '"' || ch === "'") && starts)
      this.quoted(contentColumn(text, this.lineStart) + 1, 'quoted', this.i);
    else if ((ch === '!' || ch === '&') && starts) this.skipWord();
    else {
      const before = this.prev;
      this.indicatorOrWord(ch, false);
      if (this.prev === '-' || this.prev === '?') {
        this.indicatorColumn = this.i - 1 - this.lineStart;
        this.openBlock(this.indicatorColumn);
      } else if (this.prev === ':') {
        this.plainOwner = undefined;
        this.openBlock(contentColumn(text, this.lineStart));
      } else if (this.prev === 'word' && starts) this.plainOwner = this.ownerColumn(before);
    }
  }

  /** The column of the collection holding a plain scalar that starts after `before`: the key's for a
   * value, the indicator's after `- `, else the innermost open collection's. */
  private ownerColumn(before: string): number {
    if (before === ':') return contentColumn(this.text, this.lineStart);
    if (before === '-' || before === '?') return this.indicatorColumn;
    return this.blockIndents[this.blockIndents.length - 1] ?? -1;
  }

  private flowToken(ch: string): void {
    const flow = this.flow!;
    if (ch === '[' || ch === '{') {
      flow.depth++;
      this.prev = ch;
      this.i++;
    } else if (ch === ']' || ch === '}') {
      if (--flow.depth === 0) this.flow = undefined;
      this.prev = 'scalar';
      this.i++;
    } else if (ch === ',') {
      this.prev = ',';
      this.i++;
    } else if ((ch === '"' || ch === "'") && FLOW_STARTERS.has(this.prev))
      this.quoted(flow.required, 'flow', flow.start);
    else if ((ch === '!' || ch === '&') && FLOW_STARTERS.has(this.prev)) this.skipWord();
    else this.indicatorOrWord(ch, true);
  }

  /** `:` followed by a blank is an indicator (in flow also before a bracket or comma, or after a quoted
   * key: JSON style); so are `-` and `?` followed by a blank where a node may start (inside a plain
   * scalar they are text); anything else is plain text. */
  private indicatorOrWord(ch: string, inFlow: boolean): void {
    const after = this.text[this.i + 1];
    let indicator = false;
    if (ch === ':') indicator = isBlankOrEnd(after) || (inFlow && (this.prev === 'scalar' || ',[]{}'.includes(after)));
    else if (ch === '-' || ch === '?') indicator = this.prev !== 'word' && isBlankOrEnd(after);
    this.prev = indicator ? ch : 'word';
    this.i++;
  }

  /** A tag or anchor before a node: skipped, the token-start state kept. */
  private skipWord(): void {
    while (this.i < this.text.length && !isBlankOrEnd(this.text[this.i])) this.i++;
  }

  private blockScalar(): void {
    const { text } = this;
    const col = this.i - this.lineStart;
    const content = contentColumn(text, this.lineStart);
    // `key: |` → the content is indented past the key; `- |` → past the `-`.
    const parentIndent = content === col ? Math.max(0, col - 2) : content;
    const next = lineEnd(text, this.i) + 1;
    this.i = next >= text.length ? text.length : skipBlockScalarLines(text, next, parentIndent);
    this.lineStart = this.i;
    this.startBlockLine();
  }

  /** A quoted scalar from the quote at `i`: continuation lines are indented at least `required`. */
  private quoted(required: number, kind: RepairSite['kind'], siteStart: number): void {
    const { text } = this;
    const quote = text[this.i];
    let i = this.i + 1;
    while (i < text.length) {
      const c = text[i];
      // An escaped line break (`\` at the end of the line) still continues on the next line.
      if (quote === '"' && c === '\\') i += isBreakOrEnd(text[i + 1]) ? 1 : 2;
      else if (c === quote && quote === "'" && text[i + 1] === "'") i += 2;
      else if (c === quote) break;
      else {
        if (c === '\n') {
          this.lineStart = i + 1;
          this.reindent(i + 1, required, kind, siteStart);
        }
        i++;
      }
    }
    this.i = i + 1;
    this.prev = 'scalar';
  }

  /** A line that goes on inside a flow collection or a quoted scalar: indented to `required` when it
   * is not; the first such line of each place is where the warning goes. */
  private reindent(lineStart: number, required: number, kind: RepairSite['kind'], siteStart: number): void {
    if (!this.needsIndent(lineStart, required)) return;
    this.insertions.push({ at: lineStart, count: required - lineIndent(this.text, lineStart) });
    const last = this.sites[this.sites.length - 1];
    if (last?.kind !== kind || last.start !== siteStart)
      this.sites.push({ kind, start: siteStart, line: { start: lineStart, end: lineEnd(this.text, lineStart) } });
  }

  private needsIndent(lineStart: number, required: number): boolean {
    const ind = lineIndent(this.text, lineStart);
    if (ind >= required || isBreakOrEnd(this.text[lineStart + ind])) return false;
    return !(ind === 0 && isDocumentMarker(this.text, lineStart));
  }
}

/** A re-indented copy when some flow collection or quoted scalar goes on at a column PyYAML accepts
 * and YAML 1.2 does not; else undefined. */
export function repairPyyamlIndentation(text: string): Repair | undefined {
  const scanner = new IndentScanner(text);
  scanner.scan();
  const { insertions } = scanner;
  if (insertions.length === 0) return undefined;
  let out = '';
  let last = 0;
  for (const ins of insertions) {
    out += text.slice(last, ins.at) + ' '.repeat(ins.count);
    last = ins.at;
  }
  out += text.slice(last);
  return { text: out, insertions, sites: scanner.sites };
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

/**
 * Whether every inserted run of spaces lies inside a flow collection or a quoted scalar of `doc` (the
 * parse of the repaired text). Only there do leading spaces mean nothing; a line the scanner took for
 * flow content that YAML reads as block structure would change the document, so such a repair is
 * refused and the original errors stand.
 */
export function repairOnlyReindents(repair: Repair, doc: Document.Parsed): boolean {
  const inside: [number, number][] = [];
  visit(doc, (_key, node) => {
    if (isScalar(node)) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range)
        inside.push([node.range[0], node.range[1]]);
      return undefined;
    }
    const n = node as { flow?: boolean; range?: [number, number, number] | null };
    if (n.flow && n.range) {
      inside.push([n.range[0], n.range[1]]);
      return visit.SKIP;
    }
    return undefined;
  });
  let shift = 0;
  for (const ins of repair.insertions) {
    const at = ins.at + shift;
    shift += ins.count;
    if (!inside.some(([s, e]) => s < at && at < e)) return false;
  }
  return true;
}

const SITE_MESSAGES: Record<RepairSite['kind'], string> = {
  quoted:
    'This quoted string continues on a line indented less than its key. PyYAML (and so lm-eval) accepts it, but YAML 1.2 tools such as the Red Hat YAML extension reject the file. Indent the continuation lines past the key.',
  flow: 'This bracketed list or mapping goes on at a line indented less than its key. PyYAML (and so lm-eval) ignores indentation inside brackets and loads it, but YAML 1.2 tools such as the Red Hat YAML extension reject the file. Indent its lines, closing bracket included, past the key.',
};

/**
 * When the `yaml` parse of `text` has errors that are only PyYAML-accepted indentation: the parse of
 * the re-indented copy, with a warning per place. Undefined when re-indenting does not clear every
 * error (the original errors are the ones to report).
 */
export function parsePyyamlIndentation(
  text: string,
  parse: (text: string) => Document.Parsed | undefined,
): { doc: Document.Parsed; repair: Repair; findings: Finding[] } | undefined {
  const repair = repairPyyamlIndentation(text);
  const doc = repair && parse(repair.text);
  if (!repair || !doc || doc.errors.length > 0 || !repairOnlyReindents(repair, doc)) return undefined;
  const findings: Finding[] = repair.sites.map((site) => ({
    code: 'yaml-syntax',
    severity: 'warning',
    message: SITE_MESSAGES[site.kind],
    range: site.line,
  }));
  return { doc, repair, findings };
}
