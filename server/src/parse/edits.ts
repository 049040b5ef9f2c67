// Style-preserving edits to model_args for quick fixes: a new pair goes where the user would have
// written it, in their syntax (kv-string, JSON, Python dict, YAML mapping), escaped through every
// host layer around it (a `"…"` shell word inside a notebook's JSON string gets both escapings).
import type { OffsetEdit } from '../shared/findings';
import { blockHints, removeRangeOf } from './hints';
import type { HostQuoting } from './mappedText';
import type { ModelArg, ModelArgsBlock } from './types';

export type EditValue = string | number | boolean;

function numberText(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 1e6) / 1e6);
}

/** Python's repr-like literal with the user's quote. */
function pythonLiteral(value: EditValue, quote: '"' | "'"): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return numberText(value);
  const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').split(quote).join(`\\${quote}`);
  return `${quote}${body}${quote}`;
}

const YAML_PLAIN_SAFE = /^[A-Za-z_./][A-Za-z0-9_./:@+-]*$/;
const YAML_RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

function yamlLiteral(value: EditValue): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return numberText(value);
  return YAML_PLAIN_SAFE.test(value) && !YAML_RESERVED.test(value) ? value : JSON.stringify(value);
}

/** Escape text for one host quoting layer. */
function escapeFor(layer: HostQuoting, text: string): string {
  switch (layer) {
    case 'json':
    case 'yaml-double':
      return JSON.stringify(text).slice(1, -1);
    case 'python':
      return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/"/g, '\\"').replace(/\n/g, '\\n');
    case 'shell-double':
      return text.replace(/([\\"$`])/g, '\\$1');
    case 'shell-single':
      return text.replace(/'/g, `'\\''`);
    case 'shell-plain':
      return text.replace(/([\s\\'"$`;&|<>()*?[\]#~{}!])/g, '\\$1');
    case 'yaml-single':
      return text.replace(/'/g, "''");
    default:
      return text;
  }
}

function layersOf(block: ModelArgsBlock): HostQuoting[] {
  const hinted = blockHints(block).hostLayers;
  if (hinted) return hinted;
  return block.hostEscaping === 'none' ? [] : [block.hostEscaping];
}

/** Escape text written between the args for every layer, innermost first. */
function escapeHost(block: ModelArgsBlock, text: string): string {
  const layers = layersOf(block);
  let out = text;
  for (let k = layers.length - 1; k >= 0; k--) out = escapeFor(layers[k], out);
  return out;
}

/** The value as the block's syntax writes it, escaped for its host (what an edit inserts). */
export function formatArgValue(block: ModelArgsBlock, value: EditValue): string {
  switch (block.style.kind) {
    case 'kv-string':
      // Both lm-eval parsers read True/true as a bool; True is what lm-eval's docs write.
      return escapeHost(
        block,
        typeof value === 'boolean' ? (value ? 'True' : 'False') : typeof value === 'number' ? numberText(value) : value,
      );
    case 'json-object':
      return escapeHost(block, JSON.stringify(typeof value === 'number' ? Number(numberText(value)) : value));
    case 'python-dict':
      return pythonLiteral(value, block.style.keyQuote);
    case 'yaml-mapping':
      return yamlLiteral(value);
    case 'cli-flags':
      return typeof value === 'boolean'
        ? value
          ? 'True'
          : 'False'
        : escapeFor('shell-plain', typeof value === 'number' ? numberText(value) : value);
  }
}

/** `gpu_memory_utilization` → `--gpu-memory-utilization`. */
function cliFlag(key: string): string {
  return `--${key.replace(/_/g, '-')}`;
}

/** Add `key=value` after the last pair, in the block's style. */
export function insertModelArg(block: ModelArgsBlock, key: string, value: EditValue): OffsetEdit | undefined {
  const at = { start: block.insertOffset, end: block.insertOffset };
  const v = formatArgValue(block, value);
  const hasArgs = block.args.length > 0;
  const style = block.style;
  switch (style.kind) {
    case 'kv-string':
      return { range: at, newText: escapeHost(block, `${hasArgs ? style.separator : ''}${key}=`) + v };
    case 'json-object':
      return { range: at, newText: escapeHost(block, `${hasArgs ? style.separator : ''}${JSON.stringify(key)}: `) + v };
    case 'python-dict': {
      const sep = hasArgs ? style.separator : '';
      if (blockHints(block).kwargsCall) return { range: at, newText: `${sep}${key}=${v}` };
      return { range: at, newText: `${sep}${pythonLiteral(key, style.keyQuote)}: ${v}` };
    }
    case 'yaml-mapping': {
      const k = yamlLiteral(key);
      if (style.flow) return { range: at, newText: `${hasArgs ? ', ' : ''}${k}: ${v}` };
      return { range: at, newText: `\n${style.indent}${k}: ${v}` };
    }
    case 'cli-flags':
      if (style.appendable === false) return undefined;
      // A boolean engine flag is written bare (`--enforce-eager`); false is the default, never added.
      if (typeof value === 'boolean') return value ? { range: at, newText: ` ${cliFlag(key)}` } : undefined;
      return { range: at, newText: ` ${cliFlag(key)} ${v}` };
  }
}

/** Rewrite one pair's value in place. */
export function replaceModelArgValue(block: ModelArgsBlock, arg: ModelArg, value: EditValue): OffsetEdit | undefined {
  if (arg.valueRange.end < arg.valueRange.start) return undefined;
  if (block.style.kind === 'cli-flags' && arg.valueRange.start === arg.valueRange.end) {
    // A bare boolean flag: `--enforce-eager` ↔ `--no-enforce-eager`.
    if (typeof value !== 'boolean')
      return { range: { start: arg.keyRange.end, end: arg.keyRange.end }, newText: ` ${formatArgValue(block, value)}` };
    return { range: { ...arg.keyRange }, newText: value ? cliFlag(arg.key) : `--no-${arg.key.replace(/_/g, '-')}` };
  }
  return { range: { ...arg.valueRange }, newText: formatArgValue(block, value) };
}

/** Delete one pair with its separator. */
export function removeModelArg(_block: ModelArgsBlock, arg: ModelArg): OffsetEdit | undefined {
  const range = removeRangeOf(arg) ?? arg.range;
  if (range.end < range.start) return undefined;
  return { range: { ...range }, newText: '' };
}
