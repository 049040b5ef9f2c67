// lm-eval's Python API calls as launches: `simple_evaluate(...)` / `evaluate(...)` with keyword
// arguments given directly or through `**kwargs` of a dict literal / `dict(...)`, and lm-eval's
// vLLM model built directly (`VLLM(pretrained=…)`), alone or passed as `lm=`/`model=`.
import { mappedRange, overlapsHole, type SourceMappedText } from './mappedText';
import { evalString, resolveSpan, sourceText, tokRange, type PyCtx } from './pythonExpr';
import { argsBlocks, colonAt, dictCallBlock } from './pythonModelArgs';
import { closingIndex, items } from './pythonTokens';
import { LM_EVAL_MODEL_CLASSES } from '../knowledge/lmEvalModelClasses';
import type { Located, LmEvalInvocation, TaskName } from './types';

/** Keyword arguments of a call: name → token span of the value (`**d` entries merged in). */
type Kwargs = Map<string, [number, number]>;

/** A `VLLM(...)` construction, by its name and parentheses; `used` once an evaluate call takes it. */
export interface ModelObject {
  at: number;
  open: number;
  close: number;
  used: boolean;
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

function located(ctx: PyCtx, span: [number, number], at: number): Located<string> {
  const s = evalString(ctx, span[0], span[1], at);
  if (s) return { value: s.mapped.text, range: s.range };
  const [a, b] = resolveSpan(ctx, span[0], span[1], at);
  return { value: sourceText(ctx, a, b), range: tokRange(ctx, a, b) };
}

/**
 * `model=`: a backend name, or an lm-eval model object (`HFLM(...)`, directly or through a name),
 * whose backend is its class's registry name. Anything else (`"hf" if a else "vllm"`,
 * `cfg["model"]`, an object of another class) is unknown: the text as written, marked unresolved.
 */
function modelLocated(ctx: PyCtx, span: [number, number], at: number): Located<string> {
  const s = evalString(ctx, span[0], span[1], at);
  if (s && !s.mapped.holes?.length) return { value: s.mapped.text, range: s.range };
  const [a, b] = resolveSpan(ctx, span[0], span[1], at);
  const range = tokRange(ctx, a, b);
  const toks = ctx.toks;
  // `HFLM(...)`, `lm_eval.models.huggingface.HFLM(...)`: a dotted name, then the call to its end.
  let k = a;
  while (k + 2 < b && toks[k].kind === 'name' && toks[k + 1].text === '.') k += 2;
  const cls = toks[k]?.kind === 'name' && toks[k + 1]?.text === '(' && closingIndex(toks, k + 1) === b - 1;
  const backend = cls ? LM_EVAL_MODEL_CLASSES[toks[k].text] : undefined;
  if (backend) return { value: backend, range };
  return { value: sourceText(ctx, a, b), range, unresolved: true };
}

export function apiCall(
  ctx: PyCtx,
  at: number,
  open: number,
  close: number,
  env: Record<string, Located<string>>,
  modelObjects: Map<number, ModelObject>,
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
  if (model && !object) base.model = modelLocated(ctx, model, at);
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
  objects: Map<number, ModelObject>,
): ModelObject | undefined {
  const [a, b] = resolveSpan(ctx, span[0], span[1], at);
  for (let j = a; j < b; j++) {
    const o = objects.get(j);
    if (o && o.close === b - 1) return o;
  }
  return undefined;
}

/** `VLLM(pretrained=…, tensor_parallel_size=…)`: lm-eval's vllm model, its keywords the model_args. */
export function modelObjectLaunch(
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
