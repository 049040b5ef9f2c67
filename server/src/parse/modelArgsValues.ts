// One model_args value as lm-eval converts it: the CLI's handle_cli_value_string, the Python API's
// handle_arg_string, and what the user meant when lm-eval mangles it (reference/lm-eval.md §4.4).
import { clipUserText } from '../shared/userText';
import { pythonFloat, pythonLiteralEval } from './literals';
import type { ArgValue } from './types';

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

/** What the user meant: a Python or JSON literal, or a quoted string without its quotes. */
export function intendedValue(raw: string): ArgValue {
  const t = raw.trim();
  const lit = pythonLiteralEval(t);
  if (lit) return lit.value;
  return t;
}

export function jsonSuggestion(key: string, value: ArgValue): string {
  const text = `{${JSON.stringify(key)}: ${JSON.stringify(value)}}`;
  return text.length > 120 ? `{${JSON.stringify(clipUserText(key))}: …}` : text;
}
