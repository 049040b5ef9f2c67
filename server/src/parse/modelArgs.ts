// lm-eval's two `key=value` parsers (reference/lm-eval.md §4.4), reimplemented with source ranges:
// (a) the v0.4.10+ CLI (`MergeDictAction` + `key_val_to_dict` + `handle_cli_value_string`) and
// (b) `simple_parse_args_string` + `handle_arg_string` (Python API, string values in --config files).
// Besides lm-eval's own result we report what it would choke on or silently mangle.
import type { OffsetRange } from '../shared/findings';
import { parseJsonObject, pythonFloat, pythonLiteralEval, type JsonMember } from './literals';
import { attachSequentialRemoveRanges, setRemoveRange } from './hints';
import { asSourceMapped, mappedRange, overlapsHole, type SourceMappedText } from './mappedText';
import type { ArgValue, MappedText, ModelArg, ModelArgsDialect, ModelArgsProblem } from './types';

export interface ParsedModelArgs {
  dialect: ModelArgsDialect;
  args: ModelArg[];
  problems: ModelArgsProblem[];
}

/** handle_cli_value_string @HEAD: bool, isnumeric → int, float(), ast.literal_eval, else the string. */
export function coerceCliValue(raw: string): ArgValue {
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (/^[0-9]+$/.test(raw)) return Number(raw); // str.isnumeric(): `-1` and ` 2` fall through to float()
  const f = pythonFloat(raw);
  if (f !== undefined) return f;
  const lit = pythonLiteralEval(raw);
  return lit ? lit.value : raw;
}

/** handle_arg_string @HEAD (values arrive stripped): quotes, bool, none, signed int, float(), else the string. */
export function coercePythonStringValue(raw: string): ArgValue {
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0]) return raw.slice(1, -1);
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'none') return null;
  if (/^[+-]?[0-9]+$/.test(raw)) return Number(raw);
  const f = pythonFloat(raw);
  return f !== undefined ? f : raw;
}

/**
 * Parse one model_args string. Under `cli` a text whose trimmed form starts with `{` is read as
 * JSON (try_parse_json), as is any first value that parses as a JSON object.
 */
export function parseModelArgs(mapped: MappedText, dialect: 'cli' | 'python-string'): ParsedModelArgs {
  try {
    return dialect === 'cli' ? parseCliModelArgsValues([mapped]) : parsePythonStringModelArgs(mapped);
  } catch {
    return { dialect, args: [], problems: [] }; // never reached by design; the server must not fall over
  }
}

/**
 * `--model_args v1 v2 …` (MergeDictAction): the first value is tried as JSON; a JSON object wins
 * and the other values are ignored; otherwise every value is split and merged, later keys winning.
 */
export function parseCliModelArgsValues(values: readonly MappedText[]): ParsedModelArgs {
  if (!values.length) return { dialect: 'cli', args: [], problems: [] };
  const first = asSourceMapped(values[0]);
  const json = tryJsonObject(first, 'cli');
  if (json) return json;
  const args: ModelArg[] = [];
  const problems: ModelArgsProblem[] = [];
  for (const v of values) splitKeyValues(asSourceMapped(v), 'cli', args, problems);
  flagDuplicates(args, problems, 'cli');
  return { dialect: 'cli', args, problems };
}

function parsePythonStringModelArgs(mapped: MappedText): ParsedModelArgs {
  const m = asSourceMapped(mapped);
  const json = tryJsonObject(m, 'python-string');
  if (json) return json;
  const args: ModelArg[] = [];
  const problems: ModelArgsProblem[] = [];
  splitKeyValues(m, 'python-string', args, problems);
  flagDuplicates(args, problems, 'python-string');
  return { dialect: 'python-string', args, problems };
}

function tryJsonObject(m: SourceMappedText, dialect: 'cli' | 'python-string'): ParsedModelArgs | undefined {
  const startsWithBrace = m.text.trimStart().startsWith('{');
  if (!startsWithBrace) return undefined;
  if (overlapsHole(m, 0, m.text.length) && !parseJsonObject(m.text).ok) {
    return { dialect: 'json', args: [], problems: [] }; // `{"a": $X}`: unknown until run time
  }
  const r = parseJsonObject(m.text);
  if (!r.ok) {
    if (dialect === 'python-string') return undefined; // simple_parse_args_string just splits it
    const at = r.errorAt;
    const range = at < m.text.length ? mappedRange(m, at, at + 1) : mappedRange(m, 0, m.text.length);
    return {
      dialect: 'json',
      args: [],
      problems: [
        {
          kind: 'invalid-json',
          severity: 'error',
          message: `model_args starts with '{' but is not valid JSON (${r.message}): lm-eval raises "ValueError: Invalid JSON". JSON needs double-quoted keys and strings, lowercase true/false and null.`,
          range,
        },
      ],
    };
  }
  const args = r.members.map((mem) => jsonMemberArg(m, mem));
  attachSequentialRemoveRanges(
    args,
    r.members.map((mem) => mappedRange(m, mem.keyStart, mem.valueEnd)),
  );
  const problems: ModelArgsProblem[] = [];
  flagDuplicates(args, problems, 'json');
  if (dialect === 'python-string') {
    problems.push({
      kind: 'invalid-json',
      severity: 'warning',
      message:
        'A JSON object in a model_args string is not parsed as JSON by simple_parse_args_string (Python API, --config string values): it is split on commas. Pass a dict / YAML mapping instead.',
      range: mappedRange(m, r.openAt, r.closeAt + 1),
    });
  }
  return { dialect: 'json', args, problems };
}

function jsonMemberArg(m: SourceMappedText, mem: JsonMember): ModelArg {
  const rawText = m.text.slice(mem.valueStart, mem.valueEnd);
  const arg: ModelArg = {
    key: mem.key,
    value: mem.value,
    rawValue: typeof mem.value === 'string' ? mem.value : rawText,
    keyRange: mappedRange(m, mem.keyStart, mem.keyEnd),
    valueRange: mappedRange(m, mem.valueStart, mem.valueEnd),
    range: mappedRange(m, mem.keyStart, mem.valueEnd),
  };
  if (overlapsHole(m, mem.valueStart, mem.valueEnd)) arg.unresolved = true;
  return arg;
}

interface Piece {
  start: number;
  end: number;
}

/**
 * Characters inside unresolved spans: a `$(nvidia-smi --format=csv,noheader)` we cannot run holds
 * no separators we could know of, so its commas, quotes and brackets are not read.
 */
function holeMask(m: SourceMappedText): Uint8Array | undefined {
  if (!m.holes?.length) return undefined;
  const mask = new Uint8Array(m.text.length);
  for (const h of m.holes) mask.fill(1, Math.max(0, h.start), Math.min(m.text.length, h.end));
  return mask;
}

/** The first `ch` in s[from, to) outside unresolved spans, or -1. */
function indexOutside(s: string, ch: string, from: number, to: number, mask?: Uint8Array): number {
  for (let i = s.indexOf(ch, from); i >= 0 && i < to; i = s.indexOf(ch, i + 1)) if (!mask?.[i]) return i;
  return -1;
}

/** Template placeholders (`<path_to_model>`, `{model_name}`) are values nobody has filled in yet. */
const PLACEHOLDER_VALUE = /<[A-Za-z_][\w.:/ -]{0,80}>|^\{[A-Za-z_][\w.-]{0,80}\}$/;
/** A whole piece standing for arguments left out (`model_args="{...}"`, `...`): any pairs, unknown. */
const ELIDED = /^\s*(?:[{<[(]\s*)?(?:\.{3}|…)(?:\s*[}>\])])?\s*$/;

/** Index spans of `s` split on every comma (outside unresolved spans). */
function splitOnCommas(s: string, from: number, to: number, mask?: Uint8Array): Piece[] {
  const out: Piece[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (s[i] === ',' && !mask?.[i]) {
      out.push({ start, end: i });
      start = i + 1;
    }
  }
  out.push({ start, end: to });
  return out;
}

const QUOTE_OPENERS = '=,[({: \t';

/**
 * Group naive comma pieces into the pieces a quote- and bracket-aware reader sees (lm-eval after
 * #4179: a quote opens only at the start of a token and when it has a partner). A group of more
 * than one naive piece is a value that was meant to hold a comma.
 */
function topLevelGroups(s: string, pieces: Piece[], mask?: Uint8Array): Piece[][] {
  const groups: Piece[][] = [];
  let current: Piece[] = [];
  let depth = 0;
  let quote: string | undefined;
  for (const p of pieces) {
    current.push(p);
    for (let i = p.start; i < p.end; i++) {
      if (mask?.[i]) continue;
      const c = s[i];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (
        (c === '"' || c === "'") &&
        (i === 0 || QUOTE_OPENERS.includes(s[i - 1])) &&
        s.indexOf(c, i + 1) !== -1
      ) {
        quote = c;
      } else if (c === '[' || c === '(' || c === '{') depth++;
      else if (c === ']' || c === ')' || c === '}') depth = Math.max(0, depth - 1);
    }
    if (!quote && depth === 0) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length) groups.push(current);
  return groups;
}

function problem(
  kind: ModelArgsProblem['kind'],
  severity: ModelArgsProblem['severity'],
  message: string,
  range: OffsetRange,
): ModelArgsProblem {
  return { kind, severity, message, range };
}

function splitKeyValues(
  m: SourceMappedText,
  dialect: 'cli' | 'python-string',
  args: ModelArg[],
  problems: ModelArgsProblem[],
): void {
  const s = m.text;
  let from = 0;
  let to = s.length;
  if (dialect === 'python-string') {
    // simple_parse_args_string strips the whole string first.
    while (from < to && /\s/.test(s[from])) from++;
    while (to > from && /\s/.test(s[to - 1])) to--;
  }
  if (from === to) return; // `if not args: return {}` in both parsers
  const mask = holeMask(m);
  const pieces = splitOnCommas(s, from, to, mask);
  const groups = topLevelGroups(s, pieces, mask);
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g];
    const before = args.length;
    // Removing a pair takes the comma after it, or for the last pair the comma before it.
    const gs = group[0].start;
    const ge = group[group.length - 1].end;
    const removal =
      ge < to ? mappedRange(m, gs, ge + 1) : gs > from ? mappedRange(m, gs - 1, ge) : mappedRange(m, gs, ge);
    const attach = () => {
      for (let k = before; k < args.length; k++) setRemoveRange(args[k], removal);
    };
    if (group.length > 1) {
      commaInValue(m, group, dialect, args, problems, g < groups.length - 1);
      attach();
      continue;
    }
    const p = group[0];
    if (p.start === p.end) {
      if (dialect === 'cli' && !overlapsHole(m, p.start, p.end)) {
        // The empty piece of `a=1,,b=2` or `a=1,`: underline the comma that made it.
        const comma = p.end < to ? p.end : p.start - 1;
        problems.push(
          problem(
            'empty-pair',
            'error',
            `Empty key=value pair (${p.end >= to ? 'trailing comma' : 'two commas in a row'}): lm-eval's CLI parser raises "ValueError: not enough values to unpack (expected 2, got 1)". Remove the extra comma.`,
            mappedRange(m, comma, comma + 1),
          ),
        );
      }
      continue;
    }
    readPair(m, p, dialect, args, problems, g < groups.length - 1, mask);
    attach();
  }
}

function readPair(
  m: SourceMappedText,
  p: Piece,
  dialect: 'cli' | 'python-string',
  args: ModelArg[],
  problems: ModelArgsProblem[],
  hasLaterPairs: boolean,
  mask?: Uint8Array,
): void {
  const s = m.text;
  const eq = indexOutside(s, '=', p.start, p.end, mask);
  const unresolved = overlapsHole(m, p.start, p.end) || ELIDED.test(s.slice(p.start, p.end));
  if (eq < 0 || eq >= p.end || overlapsHole(m, p.start, eq)) {
    if (unresolved) {
      // `$EXTRA_ARGS` (or `${KEY}=1`) may expand to any pairs: nothing to say statically.
      args.push({
        key: s.slice(p.start, eq >= 0 ? eq : p.end),
        value: '',
        rawValue: eq >= 0 ? s.slice(eq + 1, p.end) : '',
        keyRange: mappedRange(m, p.start, eq >= 0 ? eq : p.end),
        valueRange: mappedRange(m, eq >= 0 ? eq + 1 : p.end, p.end),
        range: mappedRange(m, p.start, p.end),
        unresolved: true,
        keyUnresolved: true,
      });
      return;
    }
    const piece = s.slice(p.start, p.end);
    if (dialect === 'cli') {
      problems.push(
        problem(
          'bare-key',
          'error',
          `'${piece.trim()}' has no '=': lm-eval's CLI parser raises "ValueError: not enough values to unpack (expected 2, got 1)". Write ${piece.trim()}=True for a flag.`,
          mappedRange(m, p.start, p.end),
        ),
      );
      return;
    }
    problems.push(
      problem(
        'bare-key',
        'warning',
        `'${piece.trim()}' has no '=': simple_parse_args_string passes it as ${piece.trim()}="" (an empty string). Write ${piece.trim()}=True for a flag.`,
        mappedRange(m, p.start, p.end),
      ),
    );
    args.push({
      key: piece,
      value: '',
      rawValue: '',
      keyRange: mappedRange(m, p.start, p.end),
      valueRange: mappedRange(m, p.end, p.end),
      range: mappedRange(m, p.start, p.end),
    });
    return;
  }
  const key = s.slice(p.start, eq);
  let vs = eq + 1;
  let ve = p.end;
  if (dialect === 'python-string') {
    while (vs < ve && /\s/.test(s[vs])) vs++;
    while (ve > vs && /\s/.test(s[ve - 1])) ve--;
  }
  const rawValue = s.slice(vs, ve);
  const arg: ModelArg = {
    key,
    value: dialect === 'cli' ? coerceCliValue(rawValue) : coercePythonStringValue(rawValue),
    rawValue,
    keyRange: mappedRange(m, p.start, eq),
    valueRange: mappedRange(m, vs, ve),
    range: mappedRange(m, p.start, ve),
  };
  if ((unresolved && overlapsHole(m, eq + 1, p.end)) || PLACEHOLDER_VALUE.test(rawValue)) arg.unresolved = true;
  args.push(arg);
  if (key !== key.trim() || key === '') {
    if (!overlapsHole(m, p.start, eq)) {
      problems.push(
        problem(
          'whitespace-in-key',
          'warning',
          key === ''
            ? `Empty key before '=': lm-eval passes "" as a keyword argument.`
            : `Key '${key}' has surrounding whitespace: lm-eval does not strip keys, so the model receives '${key}', not '${key.trim()}'. Remove the space${/\s$/.test(key) ? '' : ' after the comma'}.`,
          mappedRange(m, p.start, eq),
        ),
      );
    }
  }
  if (!arg.unresolved) quoteProblems(m, vs, ve, dialect, problems, hasLaterPairs);
}

/** A stray quote in a value: unbalanced, or an apostrophe that newer quote-aware splitters misread. */
function quoteProblems(
  m: SourceMappedText,
  vs: number,
  ve: number,
  dialect: 'cli' | 'python-string',
  problems: ModelArgsProblem[],
  hasLaterPairs: boolean,
): void {
  const s = m.text;
  const first = s[vs];
  if ((first === '"' || first === "'") && (ve - vs < 2 || s[ve - 1] !== first)) {
    if (s.indexOf(first, vs + 1) < 0 || s.indexOf(first, vs + 1) >= ve) {
      problems.push(
        problem(
          'unbalanced-quote',
          'error',
          `The value opens a ${first === '"' ? 'double' : 'single'} quote that is never closed: lm-eval keeps the quote character in the value${dialect === 'cli' ? '' : ' (it only strips a matching pair)'}.`,
          mappedRange(m, vs, vs + 1),
        ),
      );
      return;
    }
  }
  if (!hasLaterPairs) return;
  for (let i = vs + 1; i < ve; i++) {
    const c = s[i];
    if ((c === "'" || c === '"') && !QUOTE_OPENERS.includes(s[i - 1]) && !(i === ve - 1 && s[vs] === c)) {
      problems.push(
        problem(
          'apostrophe-in-value',
          'warning',
          `The ${c === "'" ? 'apostrophe' : 'quote'} inside this value is read as an opening quote by lm-eval's quote-aware splitter (#4178), which then swallows every later key=value pair. Pass model_args as JSON, or put this pair last.`,
          mappedRange(m, i, i + 1),
        ),
      );
      return;
    }
  }
}

/** A value whose brackets or quotes span commas: lm-eval splits it into garbage. */
function commaInValue(
  m: SourceMappedText,
  group: Piece[],
  dialect: 'cli' | 'python-string',
  args: ModelArg[],
  problems: ModelArgsProblem[],
  hasLaterPairs: boolean,
): void {
  const s = m.text;
  const start = group[0].start;
  const end = group[group.length - 1].end;
  const eq = s.indexOf('=', start);
  const range = mappedRange(m, start, end);
  if (eq < 0 || eq >= group[0].end) {
    // The first piece has no key: treat every piece on its own (bare keys and all).
    for (const p of group) if (p.start < p.end) readPair(m, p, dialect, args, problems, hasLaterPairs);
    return;
  }
  const key = s.slice(start, eq);
  let vs = eq + 1;
  let ve = end;
  if (dialect === 'python-string') {
    while (vs < ve && /\s/.test(s[vs])) vs++;
    while (ve > vs && /\s/.test(s[ve - 1])) ve--;
  }
  const rawValue = s.slice(vs, ve);
  const intended = intendedValue(rawValue);
  const arg: ModelArg = {
    key,
    value: intended,
    rawValue,
    keyRange: mappedRange(m, start, eq),
    valueRange: mappedRange(m, vs, ve),
    range,
  };
  if (overlapsHole(m, vs, ve)) arg.unresolved = true;
  args.push(arg);
  if (overlapsHole(m, start, end)) return; // what the unknown part holds decides; nothing to say
  const raises =
    dialect === 'cli' && group.slice(1).some((p) => s.indexOf('=', p.start) < 0 || s.indexOf('=', p.start) >= p.end);
  const consequence = raises
    ? `lm-eval's CLI splits on every comma, so the piece after it has no '=' and lm-eval raises ValueError`
    : `lm-eval splits on every comma, so '${key.trim()}' gets only '${s.slice(vs, group[0].end)}' and the rest becomes bogus keys`;
  problems.push(
    problem(
      'comma-in-value',
      'error',
      `The value of '${key.trim()}' contains a comma: ${consequence}. Pass model_args as JSON instead, e.g. ${jsonSuggestion(key.trim(), intended)}.`,
      range,
    ),
  );
}

/** What the user meant: a Python or JSON literal, or a quoted string without its quotes. */
function intendedValue(raw: string): ArgValue {
  const t = raw.trim();
  const lit = pythonLiteralEval(t);
  if (lit) return lit.value;
  return t;
}

function jsonSuggestion(key: string, value: ArgValue): string {
  const text = `{${JSON.stringify(key)}: ${JSON.stringify(value)}}`;
  return text.length > 120 ? `{${JSON.stringify(key)}: …}` : text;
}

function flagDuplicates(args: ModelArg[], problems: ModelArgsProblem[], dialect: ModelArgsDialect): void {
  const seen = new Map<string, ModelArg>();
  for (const a of args) {
    if (a.unresolved && a.rawValue === '' && a.key.includes('$')) continue;
    const before = seen.get(a.key);
    if (before) {
      const how =
        dialect === 'cli'
          ? 'lm-eval logs "Overwriting key" and keeps the last value'
          : dialect === 'json'
            ? 'json.loads keeps the last value'
            : 'the last value wins silently';
      problems.push(
        problem(
          'duplicate-key',
          'warning',
          `'${a.key}' is given more than once (${before.rawValue} is replaced by ${a.rawValue}): ${how}.`,
          a.keyRange,
        ),
      );
    }
    seen.set(a.key, a);
  }
}
