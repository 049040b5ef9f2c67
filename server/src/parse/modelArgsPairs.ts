// Each piece of a `k=v,k=v` model_args string read as lm-eval reads it, with what it would choke on
// (a bare key, an empty pair) or silently mangle (a comma or stray quote in a value, a key with
// blanks, a key given twice).
import type { OffsetRange } from '../shared/findings';
import { clipUserText } from '../shared/userText';
import { setRemoveRange } from './hints';
import { mappedRange, overlapsHole, type SourceMappedText } from './mappedText';
import { holeMask, indexOutside, QUOTE_OPENERS, splitOnCommas, topLevelGroups, type Piece } from './modelArgsPieces';
import { coerceCliValue, coercePythonStringValue, intendedValue, jsonSuggestion } from './modelArgsValues';
import type { ModelArg, ModelArgsDialect, ModelArgsProblem } from './types';

/** Template placeholders (`<path_to_model>`, `{model_name}`) are values nobody has filled in yet. */
const PLACEHOLDER_VALUE = /<[A-Za-z_][\w.:/ -]{0,80}>|^\{[A-Za-z_][\w.-]{0,80}\}$/;
/** A whole piece standing for arguments left out (`model_args="{...}"`, `...`): any pairs, unknown. */
const ELIDED = /^\s*(?:[{<[(]\s*)?(?:\.{3}|…)(?:\s*[}>\])])?\s*$/;

function problem(
  kind: ModelArgsProblem['kind'],
  severity: ModelArgsProblem['severity'],
  message: string,
  range: OffsetRange,
): ModelArgsProblem {
  return { kind, severity, message, range };
}

/** Every key=value of one model_args string (not a JSON object), added to `args` and `problems`. */
export function splitKeyValues(
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
    readKeylessPiece(m, p, eq, unresolved, dialect, args, problems);
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
            : `Key '${clipUserText(key)}' has surrounding whitespace: lm-eval does not strip keys, so the model receives '${clipUserText(key)}', not '${clipUserText(key.trim())}'. Remove the space${/\s$/.test(key) ? '' : ' after the comma'}.`,
          mappedRange(m, p.start, eq),
        ),
      );
    }
  }
  if (!arg.unresolved) quoteProblems(m, vs, ve, dialect, problems, hasLaterPairs);
}

/** A piece with no `=` lm-eval can see: unknown pairs behind a hole, or a bare key. */
function readKeylessPiece(
  m: SourceMappedText,
  p: Piece,
  eq: number,
  unresolved: boolean,
  dialect: 'cli' | 'python-string',
  args: ModelArg[],
  problems: ModelArgsProblem[],
): void {
  const s = m.text;
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
  const shown = clipUserText(piece.trim());
  // `parallelize: true` (a YAML/JSON habit) is a key and a value with `:` for `=`; else a bare flag.
  const colon = /^\s*([A-Za-z_][\w.]*)\s*:\s*(\S.*?)\s*$/.exec(piece);
  const write = colon ? `${colon[1]}=${clipUserText(colon[2])}` : `${shown}=True for a flag`;
  if (dialect === 'cli') {
    problems.push(
      problem(
        'bare-key',
        'error',
        `'${shown}' has no '=': lm-eval's CLI parser raises "ValueError: not enough values to unpack (expected 2, got 1)". Write ${write}.`,
        mappedRange(m, p.start, p.end),
      ),
    );
    return;
  }
  problems.push(
    problem(
      'bare-key',
      'warning',
      `'${shown}' has no '=': simple_parse_args_string passes it as ${shown}="" (an empty string). Write ${write}.`,
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
    : `lm-eval splits on every comma, so '${clipUserText(key.trim())}' gets only '${clipUserText(s.slice(vs, group[0].end))}' and the rest becomes bogus keys`;
  problems.push(
    problem(
      'comma-in-value',
      'error',
      `The value of '${clipUserText(key.trim())}' contains a comma: ${consequence}. Pass model_args as JSON instead, e.g. ${jsonSuggestion(key.trim(), intended)}.`,
      range,
    ),
  );
}

export function flagDuplicates(args: ModelArg[], problems: ModelArgsProblem[], dialect: ModelArgsDialect): void {
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
          `'${clipUserText(a.key)}' is given more than once (${clipUserText(before.rawValue)} is replaced by ${clipUserText(a.rawValue)}): ${how}.`,
          a.keyRange,
        ),
      );
    }
    seen.set(a.key, a);
  }
}
