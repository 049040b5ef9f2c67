// lm-eval launches in JSON / JSONC files such as .vscode/launch.json and tasks.json: argv arrays
// (a debug configuration's `args` under `"module": "lm_eval"` or an lm_eval `program`, or any array
// holding `--model_args`) and strings holding a whole shell command line. Strings are decoded with
// their JSON escapes so ranges land on the exact source characters.
import type { OffsetRange } from '../shared/findings';
import { decodeJsonString } from './jsonString';
import { asSourceMapped, identityMapped, mappedRange, type SourceMappedText } from './mappedText';
import { invocationFromFlags } from './lmEvalFlags';
import { scanShell } from './shell';
import type { ArgWord } from './shellCommand';
import { invocationFromArgv } from './shellLaunch';
import { matchLmEvalLaunch } from './shellPrograms';
import type { EmbeddingKind, Located, LmEvalInvocation, MappedText } from './types';

export type JsonNode =
  | {
      kind: 'object';
      start: number;
      end: number;
      members: Array<{ key: string; keyNode: JsonString; value: JsonNode }>;
    }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | JsonString
  | { kind: 'other'; start: number; end: number; text: string };

export interface JsonString {
  kind: 'string';
  start: number;
  end: number;
  value: SourceMappedText;
}

const MAX_DEPTH = 256;

/**
 * A forgiving JSONC reader: comments, trailing commas and garbage are skipped rather than fatal,
 * so a half-typed launch.json still yields what can be read. Indices are into `src.text`.
 */
export function parseJsonTree(src: SourceMappedText): JsonNode | undefined {
  const t = src.text;
  let i = 0;
  const skip = () => {
    for (;;) {
      while (i < t.length && /\s/.test(t[i])) i++;
      if (t.startsWith('//', i)) {
        const nl = t.indexOf('\n', i);
        i = nl < 0 ? t.length : nl + 1;
      } else if (t.startsWith('/*', i)) {
        const close = t.indexOf('*/', i + 2);
        i = close < 0 ? t.length : close + 2;
      } else return;
    }
  };
  const value = (depth: number): JsonNode | undefined => {
    skip();
    if (i >= t.length) return undefined;
    const c = t[i];
    if (c === '"') {
      const d = decodeJsonString(src, i);
      const node: JsonString = { kind: 'string', start: i, end: d.end, value: d.value };
      i = Math.max(d.end, i + 1);
      return node;
    }
    if ((c === '{' || c === '[') && depth < MAX_DEPTH) {
      const start = i;
      i++;
      const close = c === '{' ? '}' : ']';
      const members: Array<{ key: string; keyNode: JsonString; value: JsonNode }> = [];
      const items: JsonNode[] = [];
      for (;;) {
        skip();
        if (i >= t.length) break;
        if (t[i] === close) {
          i++;
          break;
        }
        if (t[i] === ',') {
          i++;
          continue;
        }
        const before = i;
        if (c === '{') {
          const k = value(depth + 1);
          skip();
          if (k?.kind === 'string' && t[i] === ':') {
            i++;
            const v = value(depth + 1);
            if (v) members.push({ key: k.value.text, keyNode: k, value: v });
          }
        } else {
          const v = value(depth + 1);
          if (v) items.push(v);
        }
        if (i === before) i++; // never stall on garbage
      }
      return c === '{' ? { kind: 'object', start, end: i, members } : { kind: 'array', start, end: i, items };
    }
    const m = /^[^\s,:\]}/]+/.exec(t.slice(i, i + 64));
    const text = m ? m[0] : t[i];
    const node: JsonNode = { kind: 'other', start: i, end: i + text.length, text };
    i += text.length;
    return node;
  };
  try {
    return value(0);
  } catch {
    return undefined;
  }
}

export function findJsonInvocations(
  text: string,
  base?: MappedText,
  embedding: EmbeddingKind = 'json',
): LmEvalInvocation[] {
  try {
    const src = base && base.text === text ? asSourceMapped(base) : identityMapped(text);
    const root = parseJsonTree(src);
    if (!root) return [];
    const out: LmEvalInvocation[] = [];
    walk(src, root, out, embedding, 0);
    return out;
  } catch {
    return [];
  }
}

function docRange(src: SourceMappedText, n: { start: number; end: number }): OffsetRange {
  return mappedRange(src, n.start, n.end);
}

function argWord(src: SourceMappedText, n: JsonNode): ArgWord | undefined {
  if (n.kind !== 'string') return undefined;
  return { value: n.value, range: docRange(src, n) };
}

function envOf(obj: Extract<JsonNode, { kind: 'object' }>): Record<string, Located<string>> {
  const env: Record<string, Located<string>> = {};
  const e = obj.members.find((m) => m.key === 'env' || m.key === 'environment');
  if (e?.value.kind !== 'object') return env;
  for (const m of e.value.members) {
    if (m.value.kind === 'string')
      env[m.key] = { value: m.value.value.text, range: mappedRange(m.value.value, 0, m.value.value.text.length) };
  }
  return env;
}

function walk(
  src: SourceMappedText,
  n: JsonNode,
  out: LmEvalInvocation[],
  embedding: EmbeddingKind,
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  if (n.kind === 'object') {
    const get = (k: string) => n.members.find((m) => m.key === k)?.value;
    const module = get('module');
    const program = get('program');
    const args = get('args');
    const runsLmEval =
      (module?.kind === 'string' && /^lm_eval(\.__main__)?$/.test(module.value.text)) ||
      (program?.kind === 'string' && /(^|[/\\])lm[-_]eval(\.exe)?$/.test(program.value.text));
    if (runsLmEval && args?.kind === 'array') {
      const words = args.items.map((x) => argWord(src, x)).filter((w): w is ArgWord => !!w);
      const first = args.items.length ? args.items[0] : undefined;
      const last = args.items.length ? args.items[args.items.length - 1] : undefined;
      const range =
        first && last ? { start: docRange(src, first).start, end: docRange(src, last).end } : docRange(src, args);
      const ws = words[0]?.value.text === 'run' ? words.slice(1) : words;
      out.push(invocationFromFlags(ws, embedding, envOf(n), range));
      for (const m of n.members) if (m.value !== args) walk(src, m.value, out, embedding, depth + 1);
      return;
    }
    for (const m of n.members) {
      if (m.value.kind === 'array' && argvInvocation(src, m.value, out, embedding, envOf(n))) continue;
      walk(src, m.value, out, embedding, depth + 1);
    }
    return;
  }
  if (n.kind === 'array') {
    if (argvInvocation(src, n, out, embedding, {})) return;
    for (const x of n.items) walk(src, x, out, embedding, depth + 1);
    return;
  }
  if (n.kind === 'string' && /lm[-_]eval/.test(n.value.text)) {
    out.push(...scanShell(n.value, { embedding }));
  }
}

/** An array of strings that is an lm-eval argv (program first) or lm-eval's own flags. */
function argvInvocation(
  src: SourceMappedText,
  arr: Extract<JsonNode, { kind: 'array' }>,
  out: LmEvalInvocation[],
  embedding: EmbeddingKind,
  env: Record<string, Located<string>>,
): boolean {
  if (!arr.items.length || !arr.items.every((x) => x.kind === 'string')) return false;
  const words = arr.items.map((x) => argWord(src, x)!);
  const range = { start: words[0].range.start, end: words[words.length - 1].range.end };
  if (matchLmEvalLaunch(words)) {
    const inv = invocationFromArgv(words, { embedding, env });
    if (inv) {
      out.push(inv);
      return true;
    }
  }
  if (words.some((w) => w.value.text === '--model_args' || w.value.text.startsWith('--model_args='))) {
    out.push(invocationFromFlags(words, embedding, env, range));
    return true;
  }
  return false;
}
