// The key/value lists vLLM and lm-eval print: the engine config ("with config: model='x',
// dtype=torch.bfloat16, ..."), argparse's Namespace(...), and Python dict reprs ("non-default args:
// {'model': 'x', ...}", lm-eval's "with arguments: {...}"). Values that are Python literals are
// read as such (never executed); anything else (enums, object reprs) is kept as text.
import { pythonLiteralEval } from '../parse/literals';

export type ConfigValue = string | number | boolean | null;

/** Split at top-level commas, respecting quotes and (), [], {}, <>. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{' || ch === '<') depth++;
    else if (ch === ')' || ch === ']' || ch === '}' || ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

function configValue(raw: string): ConfigValue {
  const s = raw.trim();
  const literal = pythonLiteralEval(s);
  if (literal) {
    const v = literal.value;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    return s; // containers stay text: no engine setting we read is one
  }
  // torch.bfloat16, LoadFormat.AUTO, DecodingConfig(...): the enum's name or the repr as written.
  return s;
}

/** `key=value, key=value` (engine config, Namespace). */
export function parseKeyValueList(text: string): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const part of topLevelParts(text)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    if (!/^[A-Za-z_][\w.]*$/.test(key)) continue;
    out[key] = configValue(part.slice(eq + 1));
  }
  return out;
}

/** A Python call's keyword arguments (`LLM(model="x", max_model_len=4096, **kw)`): literal values read,
 * an expression (`args.len`) kept as `undefined` (not knowable from the text), `**kw` and positionals skipped. */
export function parseCallKwargs(text: string): { key: string; value?: ConfigValue }[] {
  const out: { key: string; value?: ConfigValue }[] = [];
  for (const part of topLevelParts(text)) {
    const m = /^([A-Za-z_]\w*)\s*=(?!=)([\s\S]*)$/.exec(part);
    if (!m) continue;
    const literal = pythonLiteralEval(m[2].trim());
    const v = literal?.value;
    const scalar = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
    out.push(literal && scalar ? { key: m[1], value: v as ConfigValue } : { key: m[1] });
  }
  return out;
}

/** `{'key': value, ...}` — a dict repr; non-literal values (object reprs) are kept as text. */
export function parseDictRepr(text: string): Record<string, ConfigValue> {
  const s = text.trim();
  if (!s.startsWith('{')) return {};
  const inner = s.endsWith('}') ? s.slice(1, -1) : s.slice(1); // a truncated line keeps what it has
  const out: Record<string, ConfigValue> = {};
  for (const part of topLevelParts(inner)) {
    const m = /^(['"])([^'"]+)\1\s*:\s*([\s\S]*)$/.exec(part);
    if (m) out[m[2]] = configValue(m[3]);
  }
  return out;
}
