// lm-eval `--config` run files (v0.4.10+, docs/config_files.md): a YAML mapping whose keys are the
// EvaluatorConfig fields (reference/lm-eval.md §4.2). `model_args` / `gen_kwargs` may be a mapping
// (passed as is) or a `k=v` string (read by simple_parse_args_string, #4020).
import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { OffsetRange } from '../shared/findings';
import {
  asSourceMapped,
  identityMapped,
  mappedRange,
  quotingAt,
  type HostQuoting,
  type SourceMappedText,
} from './mappedText';
import { parseModelArgs } from './modelArgs';
import { decodeYamlScalar } from './yamlScalar';
import { attachSequentialRemoveRanges, setRemoveRange } from './hints';
import { hostEscapingOf } from './lmEvalFlags';
import type {
  ArgValue,
  EmbeddingKind,
  Located,
  LmEvalInvocation,
  MappedText,
  ModelArg,
  ModelArgsBlock,
  ModelArgsProblem,
  TaskName,
} from './types';

/** EvaluatorConfig field names @HEAD: the only keys a run file may have (others raise TypeError). */
export const RUN_CONFIG_KEYS: ReadonlySet<string> = new Set([
  'config',
  'model',
  'model_args',
  'tasks',
  'num_fewshot',
  'batch_size',
  'max_batch_size',
  'device',
  'limit',
  'samples',
  'use_cache',
  'cache_requests',
  'check_integrity',
  'write_out',
  'log_samples',
  'output_path',
  'predict_only',
  'system_instruction',
  'apply_chat_template',
  'fewshot_as_multiturn',
  'show_config',
  'include_path',
  'gen_kwargs',
  'verbosity',
  'wandb_args',
  'wandb_config_args',
  'hf_hub_log_args',
  'trackio_args',
  'seed',
  'trust_remote_code',
  'confirm_run_unsafe_code',
  'metadata',
]);

/** Keys that only a task or group config has. */
const TASK_KEYS = ['task', 'group', 'tag', 'dataset_path', 'doc_to_text', 'doc_to_target', 'include', 'output_type'];

const MAX_YAML_CHARS = 2_000_000;

function parseRoot(text: string): { doc: Document; root: YAMLMap } | undefined {
  if (text.length > MAX_YAML_CHARS || !/\bmodel(_args)?\s*:/.test(text)) return undefined;
  try {
    // lm-eval reads run files with PyYAML (YAML 1.1): `yes`, `on` are booleans there.
    const doc = parseDocument(text, { keepSourceTokens: true, uniqueKeys: false, strict: false, version: '1.1' });
    if (!isMap(doc.contents)) return undefined;
    return { doc, root: doc.contents };
  } catch {
    return undefined;
  }
}

function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) && typeof p.key.value === 'string' ? p.key.value : undefined;
}

/**
 * A YAML whose root mapping reads as lm-eval's EvaluatorConfig: `model:` (a name, not a mapping)
 * or `model_args:`, no task-config keys, and mostly EvaluatorConfig's own keys. A service spec
 * (dstack's `type:`, `commands:`, `resources:` and a `model:` mapping, QA N5) is not one.
 */
export function isRunConfigYaml(text: string): boolean {
  const parsed = parseRoot(text);
  if (!parsed) return false;
  const keys = parsed.root.items.map(keyOf);
  const model = parsed.root.items.find((p) => keyOf(p as Pair) === 'model')?.value as Node | null | undefined;
  if (model && !isScalar(model)) return false;
  const known = keys.filter((k) => k !== undefined && RUN_CONFIG_KEYS.has(k)).length;
  return (
    keys.some((k) => k === 'model' || k === 'model_args') &&
    !keys.some((k) => k !== undefined && TASK_KEYS.includes(k)) &&
    known * 2 >= keys.length
  );
}

export function findRunConfigInvocation(
  text: string,
  base?: MappedText,
  embedding: EmbeddingKind = 'run-config',
): LmEvalInvocation | undefined {
  try {
    if (!isRunConfigYaml(text)) return undefined;
    const parsed = parseRoot(text)!;
    const src = base && base.text === text ? asSourceMapped(base) : identityMapped(text);
    return readRunConfig(src, parsed.root, embedding);
  } catch {
    return undefined;
  }
}

function nodeRange(src: SourceMappedText, n: Node | null | undefined): OffsetRange | undefined {
  if (!n?.range) return undefined;
  return mappedRange(src, n.range[0], n.range[1]);
}

function readRunConfig(src: SourceMappedText, root: YAMLMap, embedding: EmbeddingKind): LmEvalInvocation {
  const inv: LmEvalInvocation = { embedding, range: mappedRange(src, 0, src.text.length), env: {} };
  for (const p of root.items) {
    const key = keyOf(p);
    const value = p.value as Node | null;
    if (!key || !value) continue;
    switch (key) {
      case 'model':
        inv.model = scalarLocated(src, value);
        break;
      case 'model_args':
        inv.modelArgs = argsBlock(src, p);
        break;
      case 'gen_kwargs':
        inv.genKwargs = argsBlock(src, p);
        break;
      case 'tasks':
        inv.tasks = taskNames(src, value);
        break;
      case 'batch_size':
        inv.batchSize = scalarLocated(src, value);
        break;
      case 'max_batch_size':
        inv.maxBatchSize = scalarLocated(src, value);
        break;
      case 'device':
        inv.device = scalarLocated(src, value);
        break;
      case 'num_fewshot':
        inv.numFewshot = scalarLocated(src, value);
        break;
      case 'apply_chat_template':
        inv.applyChatTemplate = scalarLocated(src, value);
        break;
      case 'include_path': {
        const loc = scalarLocated(src, value);
        if (loc) inv.includePath = [loc];
        break;
      }
    }
  }
  return inv;
}

function scalarText(s: Scalar): string {
  if (typeof s.value === 'string') return s.value;
  return s.source ?? String(s.value);
}

function scalarLocated(src: SourceMappedText, n: Node): Located<string> | undefined {
  if (!isScalar(n) || n.value === null) return undefined;
  const range = nodeRange(src, n);
  return range ? { value: scalarText(n), range } : undefined;
}

function taskNames(src: SourceMappedText, n: Node): TaskName[] {
  const out: TaskName[] = [];
  const fromScalar = (s: Scalar) => {
    if (typeof s.value !== 'string') return;
    const m = decodeYamlScalar(src, s);
    let start = 0;
    for (let i = 0; i <= m.text.length; i++) {
      if (i === m.text.length || m.text[i] === ',') {
        const piece = m.text.slice(start, i);
        const lead = piece.length - piece.trimStart().length;
        const name = piece.trim();
        if (name) out.push({ name, range: mappedRange(m, start + lead, start + lead + name.length) });
        start = i + 1;
      }
    }
  };
  if (isScalar(n)) fromScalar(n);
  else if (isSeq(n)) for (const item of n.items) if (isScalar(item)) fromScalar(item);
  return out;
}

type BlockWithLayers = ModelArgsBlock & { hostLayers?: HostQuoting[] };

/** `model_args:` / `gen_kwargs:` as a `k=v` string or a mapping. */
function argsBlock(src: SourceMappedText, pair: Pair): ModelArgsBlock | undefined {
  const n = pair.value as Node;
  if (isScalar(n) && typeof n.value === 'string') return stringArgsBlock(src, n);
  if (!isMap(n)) return undefined;
  return mappingArgsBlock(src, n);
}

/** A mapping value, passed to the model as is. */
function mappingArgsBlock(src: SourceMappedText, n: YAMLMap): ModelArgsBlock {
  const { args, problems } = mappingArgs(src, n);
  setMappingRemoveRanges(src, n, args);
  const last = args[args.length - 1];
  // A block mapping's node range runs to the next key: keep the range on the pairs themselves.
  let mapEnd = n.range![1];
  while (mapEnd > n.range![0] && /\s/.test(src.text[mapEnd - 1])) mapEnd--;
  const range = mappedRange(src, n.range![0], mapEnd);
  let indent = '  ';
  const firstKey = n.items[0]?.key as Node | undefined;
  if (firstKey?.range) {
    const lineStart = src.text.lastIndexOf('\n', firstKey.range[0] - 1) + 1;
    indent = src.text.slice(lineStart, firstKey.range[0]).replace(/[^ \t]/g, ' ');
  }
  const block: ModelArgsBlock = {
    dialect: 'mapping',
    range,
    insertOffset: last ? (n.flow ? last.valueRange.end : lineEndAfter(src, n)) : n.flow ? range.start + 1 : range.end,
    hostEscaping: 'none',
    style: { kind: 'yaml-mapping', indent, flow: !!n.flow },
    args,
    problems,
  };
  return block;
}

/** A `k=v` string value, read by simple_parse_args_string. */
function stringArgsBlock(src: SourceMappedText, n: Scalar): ModelArgsBlock {
  const m = decodeYamlScalar(src, n);
  const parsed = parseModelArgs(m, 'python-string');
  const last = parsed.args[parsed.args.length - 1];
  const layers = quotingAt(m, Math.max(0, m.text.length - 1));
  const range = nodeRange(src, n)!;
  const closeQuote = n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE' ? range.end - 1 : range.end;
  const block: BlockWithLayers = {
    dialect: parsed.dialect,
    range,
    insertOffset: last ? last.range.end : closeQuote,
    hostEscaping: hostEscapingOf(layers),
    style: parsed.dialect === 'json' ? { kind: 'json-object', separator: ', ' } : { kind: 'kv-string', separator: ',' },
    args: parsed.args,
    problems: parsed.problems,
  };
  block.hostLayers = layers;
  return block;
}

/** The pairs of a mapping value (passed to the model as is), and keys given twice. */
function mappingArgs(src: SourceMappedText, n: YAMLMap): { args: ModelArg[]; problems: ModelArgsProblem[] } {
  const args: ModelArg[] = [];
  const problems: ModelArgsProblem[] = [];
  const seen = new Set<string>();
  for (const p of n.items) {
    const k = p.key as Node | null;
    const v = p.value as Node | null;
    if (!isScalar(k) || !k.range) continue;
    const key = scalarText(k);
    const keyRange = nodeRange(src, k)!;
    const valueRange = (v && nodeRange(src, v)) ?? { start: keyRange.end, end: keyRange.end };
    let value: ArgValue = null;
    let rawValue = '';
    if (isScalar(v)) {
      value = toArgValue(v.value);
      rawValue = typeof v.value === 'string' ? v.value : (v.source ?? String(v.value));
    } else if (v) {
      value = toArgValue(v.toJSON());
      rawValue = src.text.slice(v.range![0], v.range![1]);
    }
    args.push({
      key,
      value,
      rawValue,
      keyRange,
      valueRange,
      range: { start: keyRange.start, end: Math.max(keyRange.end, valueRange.end) },
    });
    if (seen.has(key)) {
      problems.push({
        kind: 'duplicate-key',
        severity: 'warning',
        message: `'${key}' is given more than once in model_args: the last value wins.`,
        range: keyRange,
      });
    }
    seen.add(key);
  }
  return { args, problems };
}

/** What a fix removes with each pair: the pair and its comma in a flow mapping, its whole line(s) in a block one. */
function setMappingRemoveRanges(src: SourceMappedText, n: YAMLMap, args: ModelArg[]): void {
  if (n.flow) {
    attachSequentialRemoveRanges(
      args,
      args.map((x) => x.range),
    );
    return;
  }
  const t = src.text;
  for (const p of n.items) {
    const k = p.key as Node | null;
    const v = p.value as Node | null;
    const arg = args.find((a) => k?.range && a.keyRange.start === mappedRange(src, k.range[0], k.range[0]).start);
    if (!arg || !k?.range) continue;
    const lineStart = t.lastIndexOf('\n', k.range[0] - 1) + 1;
    const valueEnd = v?.range ? v.range[1] : k.range[1];
    const nl = t.indexOf('\n', Math.max(valueEnd - 1, k.range[1]));
    const lineEnd = nl < 0 ? t.length : nl + 1;
    setRemoveRange(arg, mappedRange(src, lineStart, lineEnd));
  }
}

/** Document offset of the line break ending the mapping's last pair (after any trailing comment). */
function lineEndAfter(src: SourceMappedText, n: YAMLMap): number {
  const lastPair = n.items[n.items.length - 1];
  const v = (lastPair.value ?? lastPair.key) as Node | null;
  const end = v?.range ? v.range[1] : 0;
  const t = src.text;
  const at = end > 0 && t[end - 1] === '\n' ? end - 1 : t.indexOf('\n', end) < 0 ? t.length : t.indexOf('\n', end);
  return mappedRange(src, at, at).start;
}

function toArgValue(v: unknown): ArgValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toArgValue);
  if (typeof v === 'object') {
    const o: { [k: string]: ArgValue } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = toArgValue(x);
    return o;
  }
  return String(v);
}
