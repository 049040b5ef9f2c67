// lm-eval launches in Python: `simple_evaluate(...)` / `evaluate(...)` calls (the Python API hands a
// model_args string to simple_parse_args_string, a dict as is), keyword arguments given directly or
// through `**kwargs` of a dict literal / `dict(...)`, lm-eval's vLLM model built directly
// (`VLLM(pretrained=…)` from lm_eval.models.vllm_causallms, alone or passed as `lm=`/`model=`),
// and subprocess / os.system calls that run the CLI (handed to the shell reader through a composed
// map). Values are read by pythonExpr.ts (constants, f-strings, .format, %, +, reassignment,
// branches); the source is never executed.
import type { OffsetRange } from '../shared/findings';
import { attachSequentialRemoveRanges } from './hints';
import { pythonLiteralEval } from './literals';
import {
  MappedBuilder,
  mappedRange,
  overlapsHole,
  quotingAt,
  scanForLaunches,
  type HostQuoting,
  type SourceMappedText,
} from './mappedText';
import { parseModelArgs } from './modelArgs';
import {
  evalString,
  nameAlternatives,
  resolveSpan,
  sourceText,
  tokRange,
  type Binding,
  type PyCtx,
  type StrValue,
} from './pythonExpr';
import { closingIndex, items, statementEnd, tokenizePython, type Tok } from './pythonTokens';
import { hostEscapingOf, invocationFromArgv, scanShell, type ArgWord } from './shell';
import type {
  ArgValue,
  LaunchScanOptions,
  Located,
  LmEvalInvocation,
  MappedText,
  ModelArg,
  ModelArgsBlock,
  ModelArgsProblem,
  TaskName,
} from './types';

export { tokenizePython } from './pythonTokens';

/** Every lm-eval launch in Python source. `base` maps `text` to the document when it is embedded. */
export function findPythonInvocations(
  text: string,
  base?: MappedText,
  opts: LaunchScanOptions = {},
): LmEvalInvocation[] {
  return scanForLaunches(text, base, opts, scanPython);
}

/** Keyword arguments of a call: name → token span of the value (`**d` entries merged in). */
type Kwargs = Map<string, [number, number]>;

const API_CALL =
  /(^|\.)simple_evaluate$|^(evaluate|lm_eval\.evaluate|evaluator\.evaluate|lm_eval\.evaluator\.evaluate)$/;
const SUBPROCESS =
  /^((subprocess\.)?(run|Popen|call|check_call|check_output)|os\.system|os\.popen|subprocess\.getoutput|subprocess\.getstatusoutput)$/;
/** lm-eval's vLLM model class, built directly (lm_eval/models/vllm_causallms.py). */
const VLLM_CLASS = /^((lm_eval\.models\.)?vllm_causallms\.)?VLLM$/;

export function scanPython(src: SourceMappedText, opts: LaunchScanOptions = {}): LmEvalInvocation[] {
  const toks = tokenizePython(src);
  const ctx: PyCtx = {
    src,
    toks,
    bindings: new Map(),
    embedding: opts.embedding ?? 'python',
    environ: [],
    assumed: opts.assumed,
  };
  const env: Record<string, Located<string>> = opts.env ?? {};
  const out: LmEvalInvocation[] = [];
  const importsVllmClass = /vllm_causallms/.test(src.text);
  /** VLLM(...) constructions, by their `(` token; consumed when an evaluate call uses them. */
  const modelObjects = new Map<number, { at: number; open: number; close: number; used: boolean }>();
  const envAt = (k: number) => {
    if (!ctx.environ.some((e) => e.at < k)) return env;
    const e = { ...env };
    for (const x of ctx.environ) if (x.at < k) e[x.name] = x.loc;
    return e;
  };

  for (let k = 0; k < toks.length; k++) {
    const tk = toks[k];
    const statementStart = k === 0 || toks[k - 1].kind === 'newline' || toks[k - 1].text === ';';
    if (tk.kind === 'name' && statementStart) recordBinding(ctx, k);
    // os.environ["X"] = "v"
    if (tk.text === 'os' && toks[k + 1]?.text === '.' && toks[k + 2]?.text === 'environ' && toks[k + 3]?.text === '[') {
      const key = toks[k + 4];
      if (key?.kind === 'string' && toks[k + 5]?.text === ']' && toks[k + 6]?.text === '=') {
        const val = evalString(ctx, k + 7, statementEnd(toks, k + 7), k);
        if (val && key.str && !val.mapped.holes?.length)
          ctx.environ.push({
            at: k,
            name: key.str.text,
            loc: { value: val.mapped.text, range: mappedRange(val.mapped, 0, val.mapped.text.length) },
            value: val.mapped,
          });
      }
    }
    if (tk.kind !== 'name' || toks[k + 1]?.text !== '(') continue;
    const dotted = dottedName(toks, k);
    const open = k + 1;
    const close = closingIndex(toks, open);
    if (API_CALL.test(dotted)) {
      out.push(...apiCall(ctx, k, open, close, envAt(k), modelObjects));
      continue;
    }
    if (importsVllmClass && VLLM_CLASS.test(dotted)) {
      modelObjects.set(open, { at: k, open, close, used: false });
      continue;
    }
    if (SUBPROCESS.test(dotted)) out.push(...subprocessCall(ctx, open, close, envAt(k)));
  }
  // A VLLM(...) that no evaluate call uses is a launch of its own (the engine starts right there).
  for (const m of modelObjects.values()) {
    if (m.used) continue;
    out.push(modelObjectLaunch(ctx, m.at, m.open, m.close, envAt(m.at)));
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

/** `NAME = v`, `NAME += v`, `NAME: T = v`, `NAME["k"] = v` at the start of a statement. */
function recordBinding(ctx: PyCtx, k: number): void {
  const toks = ctx.toks;
  const tk = toks[k];
  let target = tk.text;
  let j = k + 1;
  if (toks[j]?.text === '[' && toks[j + 1]?.kind === 'string' && toks[j + 2]?.text === ']') {
    target = `${tk.text}[${JSON.stringify(toks[j + 1].str?.text ?? '')}]`;
    j += 3;
  } else if (toks[j]?.text === ':' && toks[j + 1]?.kind === 'name') {
    // An annotation: `MODEL_ARGS: str = "…"`.
    j += 2;
    while (toks[j]?.text === '.' || (toks[j]?.kind === 'name' && toks[j - 1]?.text === '.')) j++;
  }
  const op = toks[j]?.text;
  if (op !== '=' && op !== '+=') return;
  const end = statementEnd(toks, j + 1);
  if (end <= j + 1) return;
  const list = ctx.bindings.get(target) ?? [];
  const b: Binding = { at: k, from: j + 1, to: end, indent: tk.indent, append: op === '+=' };
  list.push(b);
  ctx.bindings.set(target, list);
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

/** Keyword arguments, with `**NAME` (a dict literal or `dict(...)` bound earlier, and `NAME["k"] = v` after it) merged. */
function kwargs(ctx: PyCtx, open: number, close: number, at: number): Kwargs {
  const toks = ctx.toks;
  const m: Kwargs = new Map();
  for (const [a, b] of items(toks, open, close)) {
    if (toks[a].kind === 'name' && toks[a + 1]?.text === '=' && a + 2 < b) m.set(toks[a].text, [a + 2, b]);
    else if (toks[a].text === '**' && a + 1 < b) {
      for (const [key, span] of dictEntries(ctx, a + 1, b, at)) if (!m.has(key)) m.set(key, span);
    }
  }
  return m;
}

/** Entries of the dict an expression holds: literal `{…}`, `dict(…)`, plus later `NAME["k"] = v`. */
function dictEntries(ctx: PyCtx, from: number, to: number, at: number): Kwargs {
  const toks = ctx.toks;
  const out: Kwargs = new Map();
  const [a, b] = resolveSpan(ctx, from, to, at);
  if (toks[a]?.text === '{' && closingIndex(toks, a) === b - 1) {
    for (const [x, y] of items(toks, a, b - 1)) {
      const colon = colonAt(toks, x, y, toks[a].depth + 1);
      if (colon < 0) continue;
      const key = evalString(ctx, x, colon, at);
      if (key && !key.mapped.holes?.length) out.set(key.mapped.text, [colon + 1, y]);
    }
  } else if (toks[a]?.text === 'dict' && toks[a + 1]?.text === '(' && closingIndex(toks, a + 1) === b - 1) {
    for (const [x, y] of items(toks, a + 1, b - 1))
      if (toks[x].kind === 'name' && toks[x + 1]?.text === '=') out.set(toks[x].text, [x + 2, y]);
  }
  if (to - from === 1 && toks[from].kind === 'name') {
    const prefix = `${toks[from].text}[`;
    for (const [target, list] of ctx.bindings) {
      if (!target.startsWith(prefix)) continue;
      const last = list.filter((x) => x.at < at).pop();
      if (last) out.set(JSON.parse(target.slice(prefix.length, -1)) as string, [last.from, last.to]);
    }
  }
  return out;
}

function colonAt(toks: Tok[], from: number, to: number, depth: number): number {
  for (let j = from; j < to; j++) if (toks[j].text === ':' && toks[j].depth === depth) return j;
  return -1;
}

function located(ctx: PyCtx, span: [number, number], at: number): Located<string> {
  const s = evalString(ctx, span[0], span[1], at);
  if (s) return { value: s.mapped.text, range: s.range };
  const [a, b] = resolveSpan(ctx, span[0], span[1], at);
  return { value: sourceText(ctx, a, b), range: tokRange(ctx, a, b) };
}

function apiCall(
  ctx: PyCtx,
  at: number,
  open: number,
  close: number,
  env: Record<string, Located<string>>,
  modelObjects: Map<number, { at: number; open: number; close: number; used: boolean }>,
): LmEvalInvocation[] {
  const toks = ctx.toks;
  const kw = kwargs(ctx, open, close, at);
  const isSimple = toks[at].text === 'simple_evaluate';
  // `evaluate(lm=VLLM(…))`, `simple_evaluate(model=lm)` with `lm = VLLM(…)`: the object is the launch.
  const objectSpan = kw.get('lm') ?? kw.get('model');
  const object = objectSpan && modelObjectAt(ctx, objectSpan, at, modelObjects);
  if (!isSimple && !kw.has('model') && !kw.has('model_args') && !kw.has('tasks') && !object) return [];
  const range = tokRange(ctx, at, Math.min(close + 1, toks.length));
  const base: LmEvalInvocation = object
    ? { ...modelObjectLaunch(ctx, object.at, object.open, object.close, env), range }
    : { embedding: ctx.embedding, range, env };
  if (object) object.used = true;
  const model = kw.get('model');
  if (model && !object) base.model = located(ctx, model, at);
  const tasks = kw.get('tasks') ?? kw.get('task_dict');
  if (tasks) base.tasks = taskList(ctx, tasks, at);
  const simple: Array<[string, 'batchSize' | 'maxBatchSize' | 'device' | 'numFewshot' | 'applyChatTemplate']> = [
    ['batch_size', 'batchSize'],
    ['max_batch_size', 'maxBatchSize'],
    ['device', 'device'],
    ['num_fewshot', 'numFewshot'],
    ['apply_chat_template', 'applyChatTemplate'],
  ];
  for (const [name, field] of simple) {
    const span = kw.get(name);
    if (span) base[field] = located(ctx, span, at);
  }
  const gk = kw.get('gen_kwargs');
  if (gk) base.genKwargs = argsBlocks(ctx, gk, at)[0];
  const ma = kw.get('model_args');
  if (!ma || object) return [base];
  // A model_args name set differently in branches (all known): the launch is checked with each.
  const blocks = argsBlocks(ctx, ma, at);
  if (!blocks.length) return [base];
  return blocks.map((modelArgs) => ({ ...base, modelArgs }));
}

/** The VLLM(...) construction an `lm=`/`model=` argument refers to (directly or through a name). */
function modelObjectAt(
  ctx: PyCtx,
  span: [number, number],
  at: number,
  objects: Map<number, { at: number; open: number; close: number; used: boolean }>,
): { at: number; open: number; close: number; used: boolean } | undefined {
  const [a, b] = resolveSpan(ctx, span[0], span[1], at);
  for (let j = a; j < b; j++) {
    const o = objects.get(j);
    if (o && o.close === b - 1) return o;
  }
  return undefined;
}

/** `VLLM(pretrained=…, tensor_parallel_size=…)`: lm-eval's vllm model, its keywords the model_args. */
function modelObjectLaunch(
  ctx: PyCtx,
  at: number,
  open: number,
  close: number,
  env: Record<string, Located<string>>,
): LmEvalInvocation {
  const nameRange = tokRange(ctx, at, at + 1);
  const inv: LmEvalInvocation = {
    embedding: ctx.embedding,
    range: tokRange(ctx, at, Math.min(close + 1, ctx.toks.length)),
    env,
    model: { value: 'vllm', range: nameRange },
    modelArgs: dictCallBlock(ctx, open, close, at),
  };
  const kw = kwargs(ctx, open, close, at);
  const bs = kw.get('batch_size');
  if (bs) inv.batchSize = located(ctx, bs, at);
  return inv;
}

function taskList(ctx: PyCtx, span: [number, number], at: number): TaskName[] {
  const toks = ctx.toks;
  let [a, b] = resolveSpan(ctx, span[0], span[1], at);
  // `get_task_dict([...])`, `tasks.get_task_dict([...])`, `TaskManager().load(...)`: the names inside.
  if (toks[a]?.kind === 'name' && toks[b - 1]?.text === ')') {
    let j = a;
    while (toks[j + 1]?.text === '.' && toks[j + 2]?.kind === 'name') j += 2;
    if (/get_task_dict$/.test(toks[j].text) && toks[j + 1]?.text === '(') {
      const args = items(toks, j + 1, closingIndex(toks, j + 1));
      if (args[0]) [a, b] = resolveSpan(ctx, args[0][0], args[0][1], at);
    }
  }
  const out: TaskName[] = [];
  const fromString = (s: SourceMappedText) => {
    let start = 0;
    for (let i = 0; i <= s.text.length; i++) {
      if (i === s.text.length || s.text[i] === ',') {
        const piece = s.text.slice(start, i);
        const name = piece.trim();
        const lead = piece.length - piece.trimStart().length;
        if (name && !overlapsHole(s, start + lead, start + lead + name.length))
          out.push({ name, range: mappedRange(s, start + lead, start + lead + name.length) });
        start = i + 1;
      }
    }
  };
  if (toks[a]?.text === '[' || toks[a]?.text === '(') {
    const close = closingIndex(toks, a);
    for (const [x, y] of items(toks, a, close)) {
      const s = evalString(ctx, x, y, at);
      if (s) fromString(s.mapped);
    }
    return out;
  }
  const s = evalString(ctx, a, b, at);
  if (s) fromString(s.mapped);
  return out;
}

type BlockWithLayers = ModelArgsBlock & { hostLayers?: HostQuoting[]; kwargsCall?: boolean };

/** The model_args block(s) of a value: one per branch value when a name differs by branch. */
function argsBlocks(ctx: PyCtx, span: [number, number], at: number): ModelArgsBlock[] {
  const toks = ctx.toks;
  if (span[1] - span[0] === 1 && toks[span[0]].kind === 'name') {
    const alts = nameAlternatives(ctx, toks[span[0]].text, at);
    if (alts && alts.length > 1) return alts.map((v) => stringBlock(v));
  }
  const s = evalString(ctx, span[0], span[1], at);
  if (s) return [stringBlock(s)];
  const [a, b] = resolveSpan(ctx, span[0], span[1], at);
  if (toks[a]?.text === '{' && closingIndex(toks, a) === b - 1) return [dictBlock(ctx, a, b - 1, at)];
  if (
    toks[a]?.kind === 'name' &&
    toks[a].text === 'dict' &&
    toks[a + 1]?.text === '(' &&
    closingIndex(toks, a + 1) === b - 1
  )
    return [dictCallBlock(ctx, a + 1, b - 1, at)];
  return [];
}

function stringBlock(s: StrValue): ModelArgsBlock {
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
    style: parsed.dialect === 'json' ? { kind: 'json-object', separator: ', ' } : { kind: 'kv-string', separator: ',' },
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

function pyValue(
  ctx: PyCtx,
  from: number,
  to: number,
  at: number,
): { value: ArgValue; raw: string; unresolved: boolean } {
  const s = evalString(ctx, from, to, at);
  if (s) return { value: s.mapped.text, raw: s.mapped.text, unresolved: !!s.mapped.holes?.length };
  const [a, b] = resolveSpan(ctx, from, to, at);
  const text = sourceText(ctx, a, b);
  const lit = pythonLiteralEval(text);
  if (lit) return { value: lit.value, raw: text, unresolved: false };
  return { value: text, raw: text, unresolved: true };
}

function dictBlock(ctx: PyCtx, open: number, close: number, at: number): ModelArgsBlock {
  const toks = ctx.toks;
  const args: ModelArg[] = [];
  let keyQuote: '"' | "'" = '"';
  for (const [x, y] of items(toks, open, close)) {
    const colon = colonAt(toks, x, y, toks[open].depth + 1);
    if (colon < 0) continue; // `**other`: unknown pairs
    const key = evalString(ctx, x, colon, at);
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
    if (key.mapped.holes?.length) arg.keyUnresolved = true;
    args.push(arg);
  }
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
    problems: duplicateProblems(args),
  };
  return block;
}

function dictCallBlock(ctx: PyCtx, open: number, close: number, at: number): ModelArgsBlock {
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
  ctx: PyCtx,
  open: number,
  close: number,
  env: Record<string, Located<string>>,
): LmEvalInvocation[] {
  const toks = ctx.toks;
  const its = items(toks, open, close);
  if (!its.length) return [];
  const s = evalString(ctx, its[0][0], its[0][1], open);
  if (s) return scanShell(s.mapped, { embedding: ctx.embedding === 'python' ? 'shell' : ctx.embedding, env });
  const [x] = resolveSpan(ctx, its[0][0], its[0][1], open);
  if (toks[x]?.text !== '[' && toks[x]?.text !== '(') return [];
  const listClose = closingIndex(toks, x);
  const words: ArgWord[] = [];
  for (const [p, q] of items(toks, x, listClose)) {
    const str = evalString(ctx, p, q, open);
    if (str) {
      words.push({ value: str.mapped, range: str.range });
      continue;
    }
    const [rp, rq] = resolveSpan(ctx, p, q, open);
    const text = sourceText(ctx, rp, rq);
    const range: OffsetRange = tokRange(ctx, rp, rq);
    const b = new MappedBuilder(ctx.src);
    if (text === 'sys.executable') b.add('python', toks[rp].start, toks[rq - 1].end);
    else b.addHole(text, toks[rp].start, toks[rq - 1].end);
    words.push({ value: b.build(toks[rq - 1].end), range });
  }
  const inv = invocationFromArgv(words, { embedding: ctx.embedding, env });
  return inv ? [inv] : [];
}
