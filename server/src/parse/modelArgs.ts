// lm-eval's two `key=value` parsers (reference/lm-eval.md §4.4), reimplemented with source ranges:
// (a) the v0.4.10+ CLI (`MergeDictAction` + `key_val_to_dict` + `handle_cli_value_string`) and
// (b) `simple_parse_args_string` + `handle_arg_string` (Python API, string values in --config files).
// Besides lm-eval's own result we report what it would choke on or silently mangle. The steps:
// modelArgsJson.ts (a JSON object), modelArgsPieces.ts (cutting on commas), modelArgsPairs.ts (each
// key=value and its problems), modelArgsValues.ts (the value lm-eval makes of the text).
import { asSourceMapped } from './mappedText';
import { tryJsonObject } from './modelArgsJson';
import { flagDuplicates, splitKeyValues } from './modelArgsPairs';
import type { MappedText, ModelArg, ModelArgsProblem, ParsedModelArgs } from './types';

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
