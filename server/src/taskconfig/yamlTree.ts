// Parses a task-config YAML the way PyYAML reads it (lm-eval's loader), into a small tree of nodes with
// source ranges. Differences from YAML 1.2 that matter here:
//  - YAML 1.1 scalars (`yes`/`no` are booleans), as PyYAML resolves them;
//  - duplicate keys: PyYAML keeps the last value silently → a `duplicate-key` warning, last value kept;
//  - indentation inside brackets and of quoted continuation lines, never checked by PyYAML: a warning,
//    still validated (pyyamlRepair.ts); keys `yaml` reads and PyYAML rejects: errors (pyyamlSimpleKey.ts);
//  - `!function` is lm-eval's only custom tag; any other application tag is a constructor error.
import { parseDocument, isAlias, isMap, isScalar, isSeq, isPair, type Scalar } from 'yaml';
import type { Document, Node as YamlNode, YAMLMap, YAMLSeq } from 'yaml';
import { repeatsLine, syntaxErrorLines } from './syntaxErrorLines';
import type { Finding, OffsetRange } from '../shared/findings';
import { pyyamlKeyError } from './pyyamlSimpleKey';
import { originalOffset, parsePyyamlIndentation } from './pyyamlRepair';
import type { Repair } from './pyyamlRepair';
import { pythonKeyString, resolvePlainScalar } from './pyyamlScalars';

export type ScalarValue = string | number | boolean | null;

interface NodeBase {
  range: OffsetRange;
  /** Absolute path of the file the node is written in. */
  file: string;
}
export interface YMap extends NodeBase {
  kind: 'map';
  entries: YEntry[];
}
export interface YEntry {
  key: string;
  keyRange: OffsetRange;
  value: YNode;
}
export interface YSeq extends NodeBase {
  kind: 'seq';
  items: YNode[];
}
export interface YScalar extends NodeBase {
  kind: 'scalar';
  value: ScalarValue;
  style: 'plain' | 'single' | 'double' | 'block';
}
export interface YFunction extends NodeBase {
  kind: 'function';
  /** `utils.process_docs` */
  spec: string;
}
export type YNode = YMap | YSeq | YScalar | YFunction;

export interface ParsedYaml {
  file: string;
  text: string;
  root: YNode | undefined;
  /** Syntax-level findings (yaml-syntax, duplicate-key, input-limit), ranges in this file. */
  findings: Finding[];
  /** True when the YAML could not be read as PyYAML would: nothing to validate. */
  fatal: boolean;
  /**
   * When `fatal`: what the `yaml` library still read of the half-typed file (its tree keeps going past
   * errors), for hover, completion and go to definition. Never validated.
   */
  partialRoot?: YNode;
}

/** Beyond this nesting depth nodes are not converted (the `yaml` parser itself survives 20,000). */
export const MAX_NESTING_DEPTH = 200;
/** Aliases may expand to at most this many nodes before we call it a billion-laughs document. */
export const MAX_ALIAS_EXPANSION = 100_000;

const FUNCTION_TAG = {
  tag: '!function',
  resolve: (s: string) => s,
};

function parseWithYaml(text: string): Document.Parsed | undefined {
  try {
    return parseDocument(text, {
      version: '1.1',
      merge: true,
      uniqueKeys: false,
      customTags: [FUNCTION_TAG],
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch {
    return undefined;
  }
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}

export function parseTaskYaml(file: string, text: string): ParsedYaml {
  const findings: Finding[] = [];
  let doc = parseWithYaml(text);
  let repair: Repair | undefined;
  if (!doc) {
    return {
      file,
      text,
      root: undefined,
      fatal: true,
      findings: [
        {
          code: 'input-limit',
          severity: 'error',
          message: 'The YAML parser gave up on this file (too deeply nested or too large).',
          range: { start: 0, end: 0 },
        },
      ],
    };
  }
  if (doc.errors.length > 0) {
    const repaired = parsePyyamlIndentation(text, parseWithYaml);
    if (repaired) {
      doc = repaired.doc;
      repair = repaired.repair;
      findings.push(...repaired.findings);
    }
  }
  let exhaustedReported = false;
  const reported = syntaxErrorLines(findings, text);
  for (const e of doc.errors) {
    const exhausted = e.code === 'RESOURCE_EXHAUSTION';
    if (exhausted && exhaustedReported) continue;
    exhaustedReported ||= exhausted;
    if (!exhausted && repeatsLine(reported, text, originalOffset(repair, e.pos[0]))) continue;
    findings.push({
      code: exhausted ? 'input-limit' : 'yaml-syntax',
      severity: 'error',
      message: exhausted
        ? 'The YAML is nested too deeply to read; lm-eval (PyYAML) fails on it as well.'
        : `YAML syntax error: ${firstLine(e.message)}. lm-eval cannot load this file: from v0.4.12 its index skips it without a word; before, the PyYAML error stops lm-eval while it indexes the folder.`,
      // The parser reports errors at end of input one past the text: keep ranges inside the document.
      range: clampRange(
        originalOffset(repair, e.pos[0]),
        originalOffset(repair, Math.max(e.pos[0] + 1, e.pos[1])),
        text.length,
      ),
    });
  }
  const fatal = doc.errors.length > 0;
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') {
      const tagText = text.slice(originalOffset(repair, w.pos[0]), originalOffset(repair, w.pos[1]));
      findings.push({
        code: 'yaml-syntax',
        severity: 'error',
        message: `PyYAML cannot construct the tag \`${tagText}\`: lm-eval registers only \`!function\`. Remove the tag or use \`!function module.attr\`.`,
        range: clampRange(originalOffset(repair, w.pos[0]), originalOffset(repair, w.pos[1]), text.length),
      });
    }
  }
  if (fatal) return { file, text, root: undefined, findings, fatal, partialRoot: partialTree(file, text, repair, doc) };
  const conv = new Converter(file, text, repair, findings, doc);
  const root = doc.contents ? conv.convert(doc.contents as YamlNode, 0) : undefined;
  return { file, text, root, findings, fatal: false };
}

function partialTree(file: string, text: string, repair: Repair | undefined, doc: Document.Parsed): YNode | undefined {
  try {
    return doc.contents ? new Converter(file, text, repair, [], doc).convert(doc.contents as YamlNode, 0) : undefined;
  } catch {
    return undefined;
  }
}

class Converter {
  private readonly anchors = new Map<YamlNode, YNode>();
  private depthReported = false;
  private aliasCost = 0;
  private aliasReported = false;
  private readonly sizes = new Map<YNode, number>();

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly repair: Repair | undefined,
    private readonly findings: Finding[],
    private readonly doc: Document.Parsed,
  ) {}

  private range(r: readonly [number, number, number] | null | undefined): OffsetRange {
    if (!r) return { start: 0, end: 0 };
    return { start: originalOffset(this.repair, r[0]), end: originalOffset(this.repair, r[1]) };
  }

  convert(node: YamlNode, depth: number): YNode {
    if (depth > MAX_NESTING_DEPTH) {
      if (!this.depthReported) {
        this.depthReported = true;
        this.findings.push({
          code: 'input-limit',
          severity: 'warning',
          message: `Nesting deeper than ${MAX_NESTING_DEPTH} levels: the content below is not checked.`,
          range: this.range(node.range),
        });
      }
      return { kind: 'scalar', value: null, style: 'plain', range: this.range(node.range), file: this.file };
    }
    if (isAlias(node)) {
      const target = this.anchors.get(node.resolve(this.doc) as YamlNode);
      return target
        ? this.viaAlias(target, node)
        : { kind: 'scalar', value: null, style: 'plain', range: this.range(node.range), file: this.file };
    }
    if (isMap(node)) return this.convertMap(node, depth);
    if (isSeq(node)) return this.convertSeq(node, depth);
    if (isScalar(node)) return this.convertScalar(node);
    return {
      kind: 'scalar',
      value: null,
      style: 'plain',
      range: this.range((node as { range?: [number, number, number] }).range),
      file: this.file,
    };
  }

  private convertMap(node: YAMLMap, depth: number): YMap {
    const map: YMap = { kind: 'map', entries: [], range: this.range(node.range), file: this.file };
    if (node.anchor) this.anchors.set(node, map);
    const index = new Map<string, number>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as YamlNode | null;
      const keyRange = k?.range ? this.range(k.range) : map.range;
      const value: YNode = pair.value
        ? this.convert(pair.value as YamlNode, depth + 1)
        : {
            kind: 'scalar',
            value: null,
            style: 'plain',
            range: { start: keyRange.end, end: keyRange.end },
            file: this.file,
          };
      const keyError = k ? pyyamlKeyError(this.text, keyRange) : undefined;
      if (keyError) this.findings.push(keyError);
      let key: string;
      if (k && isScalar(k)) {
        key = scalarKey(k, this.text.slice(keyRange.start, keyRange.end));
        if (key === '<<' && k.type === 'PLAIN') {
          this.mergeKey(map, index, value);
          continue;
        }
      } else {
        key = k ? this.text.slice(keyRange.start, keyRange.end) : '';
        this.findings.push({
          code: 'yaml-syntax',
          severity: 'error',
          message: 'A collection used as a mapping key: PyYAML raises "found unhashable key". Use a plain string key.',
          range: keyRange,
        });
      }
      this.setEntry(map, index, { key, keyRange, value });
    }
    return map;
  }

  /** PyYAML keeps the last of two equal keys; the earlier one is reported. */
  private setEntry(map: YMap, index: Map<string, number>, entry: YEntry): void {
    const prev = index.get(entry.key);
    if (prev === undefined) {
      index.set(entry.key, map.entries.length);
      map.entries.push(entry);
      return;
    }
    const earlier = map.entries[prev];
    this.findings.push({
      code: 'duplicate-key',
      severity: 'warning',
      message: `Duplicate key \`${entry.key}\`: PyYAML keeps the last value silently, so this one is ignored. Remove one of them (other YAML tools reject the file).`,
      range: earlier.keyRange,
      related: [{ file: this.file, range: entry.keyRange, message: 'the value that wins' }],
    });
    map.entries[prev] = entry;
  }

  private convertSeq(node: YAMLSeq, depth: number): YSeq {
    const seq: YSeq = { kind: 'seq', items: [], range: this.range(node.range), file: this.file };
    if (node.anchor) this.anchors.set(node, seq);
    for (const item of node.items) {
      seq.items.push(
        item
          ? this.convert(item as YamlNode, depth + 1)
          : { kind: 'scalar', value: null, style: 'plain', range: seq.range, file: this.file },
      );
    }
    return seq;
  }

  private convertScalar(node: Scalar): YNode {
    const range = this.range(node.range);
    const source = this.text.slice(range.start, range.end);
    if (node.type === 'PLAIN' && !node.tag && source === '=')
      this.findings.push({
        code: 'yaml-syntax',
        severity: 'error',
        message:
          'PyYAML reads a bare `=` as the YAML 1.1 value tag and has no constructor for it ("could not determine a constructor for the tag \'tag:yaml.org,2002:value\'"), so lm-eval cannot load this file. Quote it: `"="`.',
        range,
      });
    const out: YNode =
      node.tag === '!function'
        ? { kind: 'function', spec: String(node.value ?? '').trim(), range, file: this.file }
        : { kind: 'scalar', value: scalarValue(node, source), style: scalarStyle(node), range, file: this.file };
    if (node.anchor) this.anchors.set(node, out);
    return out;
  }

  /** An alias shares the anchored node; count how much it would expand to (billion laughs). */
  private viaAlias(target: YNode, alias: YamlNode): YNode {
    this.aliasCost += this.expandedSize(target);
    if (this.aliasCost > MAX_ALIAS_EXPANSION) {
      if (!this.aliasReported) {
        this.aliasReported = true;
        this.findings.push({
          code: 'input-limit',
          severity: 'warning',
          message: `Aliases in this file expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} nodes (a "billion laughs" document); anything that copies the config will blow up. Write the values out or drop the aliases.`,
          range: this.range(alias.range),
        });
      }
      return { kind: 'scalar', value: null, style: 'plain', range: this.range(alias.range), file: this.file };
    }
    return target;
  }

  private expandedSize(node: YNode): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (node.kind === 'map') for (const e of node.entries) size += this.expandedSize(e.value);
    else if (node.kind === 'seq') for (const i of node.items) size += this.expandedSize(i);
    size = Math.min(size, Number.MAX_SAFE_INTEGER);
    this.sizes.set(node, size);
    return size;
  }

  /** `<<: *base` (YAML 1.1 merge key, which PyYAML's SafeLoader supports): keys not already set. */
  private mergeKey(map: YMap, index: Map<string, number>, value: YNode): void {
    const sources = value.kind === 'seq' ? value.items : [value];
    for (const src of sources) {
      if (src.kind !== 'map') continue;
      for (const e of src.entries) {
        if (index.has(e.key)) continue;
        index.set(e.key, map.entries.length);
        map.entries.push(e);
      }
    }
  }
}

/** A mapping key as Python's str() of what PyYAML built (`yes:` is `True`, `~:` is `None`). */
function scalarKey(node: Scalar, source: string): string {
  if (node.type === 'PLAIN' && !node.tag && !source.includes('\n'))
    return pythonKeyString(resolvePlainScalar(source), source);
  return node.value === null ? 'None' : String(node.value);
}

function scalarStyle(node: Scalar): YScalar['style'] {
  switch (node.type) {
    case 'QUOTE_SINGLE':
      return 'single';
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL':
      return 'block';
    default:
      return 'plain';
  }
}

/** The value PyYAML gives a scalar: plain untagged scalars are resolved by PyYAML's rules, not the
 * `yaml` package's YAML 1.1 schema (which reads `y`/`n` as booleans and `1e3` as a float). */
function scalarValue(node: Scalar, source: string): ScalarValue {
  if (node.type === 'PLAIN' && !node.tag) {
    // A plain scalar over several lines is folded first (`yaml` did that); one line is its text.
    const text = source.includes('\n') && typeof node.value === 'string' ? node.value : source;
    const r = resolvePlainScalar(text);
    switch (r.kind) {
      case 'null':
        return null;
      case 'bool':
      case 'int':
      case 'float':
        return r.value;
      default:
        return text;
    }
  }
  const v: unknown = node.value;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  // Timestamps, binary and the like: keep the text as written.
  return source;
}

// ---------------------------------------------------------------------------------------------------
// Small accessors used by the rules.

export function entryOf(map: YMap | undefined, key: string): YEntry | undefined {
  if (!map) return undefined;
  for (const e of map.entries) if (e.key === key) return e;
  return undefined;
}

export function scalarString(node: YNode | undefined): string | undefined {
  return node && node.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

export function describeNode(node: YNode): string {
  switch (node.kind) {
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    case 'function':
      return `\`!function ${node.spec}\``;
    default:
      return node.value === null
        ? 'null'
        : typeof node.value === 'string'
          ? `the string "${node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value}"`
          : `\`${String(node.value)}\``;
  }
}

/** The value as plain data (functions as `!function spec` strings), for JSON-schema checks. Shared
 * (aliased) nodes are visited once per path; the converter has already bounded their expansion. */
export function toPlain(node: YNode, budget: { left: number }): unknown {
  if (--budget.left < 0) return null;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'function':
      return `!function ${node.spec}`;
    case 'seq':
      return node.items.map((i) => toPlain(i, budget));
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const e of node.entries) o[e.key] = toPlain(e.value, budget);
      return o;
    }
  }
}

function clampRange(start: number, end: number, length: number): { start: number; end: number } {
  const s = Math.max(0, Math.min(start, length));
  return { start: s, end: Math.max(s, Math.min(end, length)) };
}
