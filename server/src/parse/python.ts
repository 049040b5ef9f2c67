// lm-eval launches in Python: `simple_evaluate(...)` / `evaluate(...)` calls with literal keyword
// arguments (the Python API hands a model_args string to simple_parse_args_string, a dict as is),
// and subprocess / os.system calls that run the CLI (handed to the shell reader through a composed
// map). A light tokenizer skips comments and strings; the source is never executed.
import type { OffsetRange } from '../shared/findings';
import { pythonLiteralEval } from './literals';
import {
  concatMapped,
  decodePythonString,
  MappedBuilder,
  mappedRange,
  overlapsHole,
  quotingAt,
  scanForLaunches,
  type HostQuoting,
  type SourceMappedText,
} from './mappedText';
import { parseModelArgs } from './modelArgs';
import { attachSequentialRemoveRanges } from './hints';
import { hostEscapingOf, invocationFromArgv, scanShell, type ArgWord } from './shell';
import type {
  ArgValue,
  EmbeddingKind,
  LaunchScanOptions,
  Located,
  LmEvalInvocation,
  MappedText,
  ModelArg,
  ModelArgsBlock,
  ModelArgsProblem,
  TaskName,
} from './types';

type TokKind = 'name' | 'number' | 'string' | 'op' | 'newline';

interface Tok {
  kind: TokKind;
  /** Index range in the scanned text. */
  start: number;
  end: number;
  text: string;
  str?: SourceMappedText;
  isFString?: boolean;
  /** Bracket depth before this token. */
  depth: number;
}

/** Every lm-eval launch in Python source. `base` maps `text` to the document when it is embedded. */
export function findPythonInvocations(
  text: string,
  base?: MappedText,
  opts: LaunchScanOptions = {},
): LmEvalInvocation[] {
  return scanForLaunches(text, base, opts, scanPython);
}

export function tokenizePython(src: SourceMappedText): Tok[] {
  const t = src.text;
  const toks: Tok[] = [];
  let depth = 0;
  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && t[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      const nl = t.indexOf('\n', i);
      i = nl < 0 ? t.length : nl;
      continue;
    }
    if (c === '\n') {
      if (depth === 0 && toks.length && toks[toks.length - 1].kind !== 'newline')
        toks.push({ kind: 'newline', start: i, end: i + 1, text: '\n', depth });
      i++;
      continue;
    }
    if (c === '"' || c === "'" || (/[rRbBuUfF]/.test(c) && /^[rRbBuUfF]{0,2}['"]/.test(t.slice(i, i + 3)))) {
      const s = decodePythonString(src, i);
      if (s) {
        toks.push({
          kind: 'string',
          start: i,
          end: s.end,
          text: t.slice(i, s.end),
          str: s.value,
          isFString: s.isFString,
          depth,
        });
        i = Math.max(s.end, i + 1);
        continue;
      }
    }
    if (/[A-Za-z_\u00c0-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < t.length && /[A-Za-z0-9_\u00c0-\uffff]/.test(t[j])) j++;
      toks.push({ kind: 'name', start: i, end: j, text: t.slice(i, j), depth });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(t[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < t.length && /[0-9A-Za-z_.]/.test(t[j])) {
        if ((t[j] === 'e' || t[j] === 'E') && (t[j + 1] === '+' || t[j + 1] === '-')) j++;
        j++;
      }
      toks.push({ kind: 'number', start: i, end: j, text: t.slice(i, j), depth });
      i = j;
      continue;
    }
    if ('([{'.includes(c)) {
      toks.push({ kind: 'op', start: i, end: i + 1, text: c, depth });
      depth++;
      i++;
      continue;
    }
    if (')]}'.includes(c)) {
      depth = Math.max(0, depth - 1);
      toks.push({ kind: 'op', start: i, end: i + 1, text: c, depth });
      i++;
      continue;
    }
    const two = t.slice(i, i + 2);
    const op = ['**', '==', '!=', '<=', '>=', '->', ':=', '+=', '-=', '*=', '/='].includes(two) ? two : c;
    toks.push({ kind: 'op', start: i, end: i + op.length, text: op, depth });
    i += op.length;
  }
  return toks;
}

/** Index of the token closing the bracket opened at toks[k], or toks.length. */
function closingIndex(toks: Tok[], k: number): number {
  const d = toks[k].depth;
  for (let j = k + 1; j < toks.length; j++)
    if (toks[j].depth === d && ')]}'.includes(toks[j].text) && toks[j].kind === 'op') return j;
  return toks.length;
}

/** Top-level comma-separated items of the bracket opened at toks[open] (exclusive of brackets). */
function items(toks: Tok[], open: number, close: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const d = toks[open].depth + 1;
  let s = open + 1;
  for (let j = open + 1; j <= close; j++) {
    if (j === close || (toks[j].depth === d && toks[j].kind === 'op' && toks[j].text === ',')) {
      if (j > s) out.push([s, j]);
      s = j + 1;
    }
  }
  return out;
}

interface Binding {
  at: number; // token index of the name
  from: number;
  to: number;
}

interface Ctx {
  src: SourceMappedText;
  toks: Tok[];
  bindings: Map<string, Binding[]>;
  embedding: EmbeddingKind;
}

export function scanPython(src: SourceMappedText, opts: LaunchScanOptions = {}): LmEvalInvocation[] {
  const toks = tokenizePython(src);
  const ctx: Ctx = { src, toks, bindings: new Map(), embedding: opts.embedding ?? 'python' };
  const env: Record<string, Located<string>> = { ...(opts.env ?? {}) };
  const out: LmEvalInvocation[] = [];
  const envAt: Array<{ at: number; name: string; loc: Located<string> }> = [];

  for (let k = 0; k < toks.length; k++) {
    const tk = toks[k];
    // NAME = <expr> at statement start: remember it for later references.
    if (
      tk.kind === 'name' &&
      toks[k + 1]?.text === '=' &&
      (k === 0 || toks[k - 1].kind === 'newline' || toks[k - 1].text === ';')
    ) {
      let end = k + 2;
      while (
        end < toks.length &&
        !(toks[end].kind === 'newline' || (toks[end].text === ';' && toks[end].depth === tk.depth))
      )
        end++;
      const list = ctx.bindings.get(tk.text) ?? [];
      list.push({ at: k, from: k + 2, to: end });
      ctx.bindings.set(tk.text, list);
    }
    // os.environ["X"] = "v"
    if (tk.text === 'os' && toks[k + 1]?.text === '.' && toks[k + 2]?.text === 'environ' && toks[k + 3]?.text === '[') {
      const key = toks[k + 4];
      if (key?.kind === 'string' && toks[k + 5]?.text === ']' && toks[k + 6]?.text === '=') {
        const val = stringExpr(ctx, k + 7, statementEnd(toks, k + 7));
        if (val && key.str)
          envAt.push({
            at: k,
            name: key.str.text,
            loc: { value: val.mapped.text, range: mappedRange(val.mapped, 0, val.mapped.text.length) },
          });
      }
    }
    if (tk.kind !== 'name' || toks[k + 1]?.text !== '(') continue;
    const envHere = () => {
      const e = { ...env };
      for (const x of envAt) if (x.at < k) e[x.name] = x.loc;
      return e;
    };
    const dotted = dottedName(toks, k);
    const open = k + 1;
    const close = closingIndex(toks, open);
    if (
      /(^|\.)simple_evaluate$/.test(dotted) ||
      /^(evaluate|lm_eval\.evaluate|evaluator\.evaluate|lm_eval\.evaluator\.evaluate)$/.test(dotted)
    ) {
      const inv = apiCall(ctx, k, open, close, envHere());
      if (inv) out.push(inv);
      continue;
    }
    if (
      /^(subprocess\.)?(run|Popen|call|check_call|check_output)$/.test(dotted) ||
      /^(os\.system|os\.popen|subprocess\.getoutput|subprocess\.getstatusoutput)$/.test(dotted)
    ) {
      out.push(...subprocessCall(ctx, open, close, envHere()));
    }
  }
  return out;
}

function statementEnd(toks: Tok[], k: number): number {
  const d = toks[k]?.depth ?? 0;
  let j = k;
  while (
    j < toks.length &&
    !(toks[j].kind === 'newline' || (toks[j].depth === d && toks[j].text === ';')) &&
    !(toks[j].depth < d)
  )
    j++;
  return j;
}

function dottedName(toks: Tok[], k: number): string {
  let name = toks[k].text;
  let j = k;
  while (j >= 2 && toks[j - 1].text === '.' && toks[j - 2].kind === 'name') {
    name = `${toks[j - 2].text}.${name}`;
    j -= 2;
  }
  if (j >= 1 && toks[j - 1].text === '.') return `?.${name}`; // `obj().evaluate(...)`: not ours
  return name;
}

function kwargs(ctx: Ctx, open: number, close: number): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  for (const [a, b] of items(ctx.toks, open, close)) {
    if (ctx.toks[a].kind === 'name' && ctx.toks[a + 1]?.text === '=' && a + 2 < b) m.set(ctx.toks[a].text, [a + 2, b]);
  }
  return m;
}

/** Follow a bare name to the literal it was last bound to before token `at`. */
function resolveName(ctx: Ctx, from: number, to: number, at: number, depth = 0): [number, number] {
  const toks = ctx.toks;
  if (depth > 8 || to - from !== 1 || toks[from].kind !== 'name') return [from, to];
  const list = ctx.bindings.get(toks[from].text);
  if (!list) return [from, to];
  let best: Binding | undefined;
  for (const b of list) if (b.at < at) best = b;
  if (!best) return [from, to];
  return resolveName(ctx, best.from, best.to, best.at, depth + 1);
}

interface StringExpr {
  mapped: SourceMappedText;
  range: OffsetRange;
  isFString: boolean;
}

/** Adjacent string literals (implicit concatenation), optionally in parentheses. */
function stringExpr(ctx: Ctx, from: number, to: number): StringExpr | undefined {
  const toks = ctx.toks;
  let a = from;
  let b = to;
  while (b - a >= 2 && toks[a].text === '(' && closingIndex(toks, a) === b - 1) {
    a++;
    b--;
  }
  if (a >= b) return undefined;
  const parts: SourceMappedText[] = [];
  let isFString = false;
  for (let j = a; j < b; j++) {
    const tk = toks[j];
    if (tk.kind !== 'string' || !tk.str) return undefined;
    parts.push(tk.str);
    isFString ||= !!tk.isFString;
  }
  const range = { start: ctx.src.offsets[toks[a].start] ?? 0, end: ctx.src.ends[toks[b - 1].end - 1] ?? 0 };
  return { mapped: concatMapped(parts, range.start), range, isFString };
}

function tokRange(ctx: Ctx, from: number, to: number): OffsetRange {
  const toks = ctx.toks;
  return { start: ctx.src.offsets[toks[from].start] ?? 0, end: ctx.src.ends[toks[to - 1].end - 1] ?? 0 };
}

function sourceText(ctx: Ctx, from: number, to: number): string {
  return ctx.src.text.slice(ctx.toks[from].start, ctx.toks[to - 1].end);
}

function located(ctx: Ctx, span: [number, number], at: number): Located<string> {
  const [a, b] = resolveName(ctx, span[0], span[1], at);
  const s = stringExpr(ctx, a, b);
  if (s) return { value: s.mapped.text, range: s.range };
  return { value: sourceText(ctx, a, b), range: tokRange(ctx, a, b) };
}

function apiCall(
  ctx: Ctx,
  at: number,
  open: number,
  close: number,
  env: Record<string, Located<string>>,
): LmEvalInvocation | undefined {
  const kw = kwargs(ctx, open, close);
  const isSimple = ctx.toks[at].text === 'simple_evaluate';
  if (!isSimple && !kw.has('model') && !kw.has('model_args') && !kw.has('tasks')) return undefined;
  const inv: LmEvalInvocation = {
    embedding: ctx.embedding,
    range: tokRange(ctx, at, Math.min(close + 1, ctx.toks.length)),
    env,
  };
  const model = kw.get('model');
  if (model) inv.model = located(ctx, model, at);
  const ma = kw.get('model_args');
  if (ma) inv.modelArgs = argsBlock(ctx, ma, at);
  const gk = kw.get('gen_kwargs');
  if (gk) inv.genKwargs = argsBlock(ctx, gk, at);
  const tasks = kw.get('tasks');
  if (tasks) inv.tasks = taskList(ctx, tasks, at);
  const simple: Array<[string, 'batchSize' | 'maxBatchSize' | 'device' | 'numFewshot' | 'applyChatTemplate']> = [
    ['batch_size', 'batchSize'],
    ['max_batch_size', 'maxBatchSize'],
    ['device', 'device'],
    ['num_fewshot', 'numFewshot'],
    ['apply_chat_template', 'applyChatTemplate'],
  ];
  for (const [name, field] of simple) {
    const span = kw.get(name);
    if (span) inv[field] = located(ctx, span, at);
  }
  return inv;
}

function taskList(ctx: Ctx, span: [number, number], at: number): TaskName[] {
  const [a, b] = resolveName(ctx, span[0], span[1], at);
  const toks = ctx.toks;
  const out: TaskName[] = [];
  const fromString = (s: SourceMappedText) => {
    let start = 0;
    for (let i = 0; i <= s.text.length; i++) {
      if (i === s.text.length || s.text[i] === ',') {
        const name = s.text.slice(start, i).trim();
        const lead = s.text.slice(start, i).length - s.text.slice(start, i).trimStart().length;
        if (name && !overlapsHole(s, start + lead, start + lead + name.length))
          out.push({ name, range: mappedRange(s, start + lead, start + lead + name.length) });
        start = i + 1;
      }
    }
  };
  if (toks[a]?.text === '[' || toks[a]?.text === '(') {
    const close = closingIndex(toks, a);
    for (const [x, y] of items(toks, a, close)) {
      const [p, q] = resolveName(ctx, x, y, at);
      const s = stringExpr(ctx, p, q);
      if (s) fromString(s.mapped);
    }
    return out;
  }
  const s = stringExpr(ctx, a, b);
  if (s) fromString(s.mapped);
  return out;
}

type BlockWithLayers = ModelArgsBlock & { hostLayers?: HostQuoting[]; kwargsCall?: boolean };

function argsBlock(ctx: Ctx, span: [number, number], at: number): ModelArgsBlock | undefined {
  const [a, b] = resolveName(ctx, span[0], span[1], at);
  const toks = ctx.toks;
  const s = stringExpr(ctx, a, b);
  if (s) {
    const parsed = parseModelArgs(s.mapped, 'python-string');
    const last = parsed.args[parsed.args.length - 1];
    const m = s.mapped;
    const insertOffset = last ? last.range.end : m.offsets[m.text.length];
    const layers = quotingAt(m, Math.max(0, m.text.length - 1));
    const block: BlockWithLayers = {
      dialect: parsed.dialect,
      range: s.range,
      insertOffset,
      hostEscaping: hostEscapingOf(layers.length ? layers : ['python']),
      style:
        parsed.dialect === 'json' ? { kind: 'json-object', separator: ', ' } : { kind: 'kv-string', separator: ',' },
      args: parsed.args,
      problems: parsed.problems,
    };
    block.hostLayers = layers.length ? layers : ['python'];
    if (parsed.dialect === 'json') {
      const close = m.text.lastIndexOf('}');
      if (!last && close >= 0) block.insertOffset = m.offsets[close];
    }
    return block;
  }
  if (toks[a]?.text === '{' && closingIndex(toks, a) === b - 1) return dictBlock(ctx, a, b - 1, at);
  if (
    toks[a]?.kind === 'name' &&
    toks[a].text === 'dict' &&
    toks[a + 1]?.text === '(' &&
    closingIndex(toks, a + 1) === b - 1
  ) {
    return dictCallBlock(ctx, a + 1, b - 1, at);
  }
  return undefined;
}

function pyValue(
  ctx: Ctx,
  from: number,
  to: number,
  at: number,
): { value: ArgValue; raw: string; unresolved: boolean } {
  const [a, b] = resolveName(ctx, from, to, at);
  const s = stringExpr(ctx, a, b);
  if (s) return { value: s.mapped.text, raw: s.mapped.text, unresolved: !!s.mapped.holes?.length };
  const text = sourceText(ctx, a, b);
  const lit = pythonLiteralEval(text);
  if (lit) return { value: lit.value, raw: text, unresolved: false };
  return { value: text, raw: text, unresolved: true };
}

function dictBlock(ctx: Ctx, open: number, close: number, at: number): ModelArgsBlock {
  const toks = ctx.toks;
  const args: ModelArg[] = [];
  let keyQuote: '"' | "'" = '"';
  for (const [x, y] of items(toks, open, close)) {
    let colon = -1;
    for (let j = x; j < y; j++)
      if (toks[j].text === ':' && toks[j].depth === toks[open].depth + 1) {
        colon = j;
        break;
      }
    if (colon < 0) continue; // `**other`: unknown pairs
    const key = stringExpr(ctx, x, colon);
    if (!key) continue;
    if (!args.length && toks[x].text.endsWith("'")) keyQuote = "'"; // the user's style: their first key
    const v = pyValue(ctx, colon + 1, y, at);
    const arg: ModelArg = {
      key: key.mapped.text,
      value: v.value,
      rawValue: v.raw,
      keyRange: key.range,
      valueRange: tokRange(ctx, colon + 1, y),
      range: tokRange(ctx, x, y),
    };
    if (v.unresolved) arg.unresolved = true;
    args.push(arg);
  }
  const problems = duplicateProblems(args);
  attachSequentialRemoveRanges(
    args,
    args.map((x) => x.range),
  );
  const last = args[args.length - 1];
  const sepMatch = /,(\s*)/.exec(sourceText(ctx, open, close + 1));
  const block: BlockWithLayers = {
    dialect: 'mapping',
    range: tokRange(ctx, open, close + 1),
    insertOffset: last ? last.range.end : (ctx.src.offsets[toks[open].end] ?? 0),
    hostEscaping: 'none',
    style: {
      kind: 'python-dict',
      keyQuote,
      separator: sepMatch && !sepMatch[1].includes('\n') ? `,${sepMatch[1]}` : ', ',
    },
    args,
    problems,
  };
  return block;
}

function dictCallBlock(ctx: Ctx, open: number, close: number, at: number): ModelArgsBlock {
  const toks = ctx.toks;
  const args: ModelArg[] = [];
  for (const [x, y] of items(toks, open, close)) {
    if (toks[x].kind !== 'name' || toks[x + 1]?.text !== '=') continue;
    const v = pyValue(ctx, x + 2, y, at);
    const arg: ModelArg = {
      key: toks[x].text,
      value: v.value,
      rawValue: v.raw,
      keyRange: tokRange(ctx, x, x + 1),
      valueRange: tokRange(ctx, x + 2, y),
      range: tokRange(ctx, x, y),
    };
    if (v.unresolved) arg.unresolved = true;
    args.push(arg);
  }
  attachSequentialRemoveRanges(
    args,
    args.map((x) => x.range),
  );
  const last = args[args.length - 1];
  const block: BlockWithLayers = {
    dialect: 'mapping',
    range: tokRange(ctx, open - 1, close + 1),
    insertOffset: last ? last.range.end : (ctx.src.offsets[toks[open].end] ?? 0),
    hostEscaping: 'none',
    style: { kind: 'python-dict', keyQuote: '"', separator: ', ' },
    args,
    problems: duplicateProblems(args),
  };
  block.kwargsCall = true;
  return block;
}

function duplicateProblems(args: ModelArg[]): ModelArgsProblem[] {
  const seen = new Set<string>();
  const out: ModelArgsProblem[] = [];
  for (const a of args) {
    if (seen.has(a.key))
      out.push({
        kind: 'duplicate-key',
        severity: 'warning',
        message: `'${a.key}' is given more than once: Python keeps the last value.`,
        range: a.keyRange,
      });
    seen.add(a.key);
  }
  return out;
}

function subprocessCall(
  ctx: Ctx,
  open: number,
  close: number,
  env: Record<string, Located<string>>,
): LmEvalInvocation[] {
  const toks = ctx.toks;
  const its = items(toks, open, close);
  if (!its.length) return [];
  const [x, y] = resolveName(ctx, its[0][0], its[0][1], open);
  const s = stringExpr(ctx, x, y);
  if (s) return scanShell(s.mapped, { embedding: ctx.embedding === 'python' ? 'shell' : ctx.embedding, env });
  if (toks[x]?.text !== '[' && toks[x]?.text !== '(') return [];
  const listClose = closingIndex(toks, x);
  const words: ArgWord[] = [];
  for (const [p, q] of items(toks, x, listClose)) {
    const [rp, rq] = resolveName(ctx, p, q, open);
    const str = stringExpr(ctx, rp, rq);
    if (str) {
      words.push({ value: str.mapped, range: str.range });
      continue;
    }
    const text = sourceText(ctx, rp, rq);
    const range = tokRange(ctx, rp, rq);
    const b = new MappedBuilder(ctx.src);
    if (text === 'sys.executable') b.add('python', toks[rp].start, toks[rq - 1].end);
    else b.addHole(text, toks[rp].start, toks[rq - 1].end);
    words.push({ value: b.build(toks[rq - 1].end), range });
  }
  const inv = invocationFromArgv(words, { embedding: ctx.embedding, env });
  return inv ? [inv] : [];
}
