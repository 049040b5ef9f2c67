// lm-eval launches in Python: finds the calls that launch (lm-eval's API and its VLLM class in
// pythonApiCall.ts, subprocess / os.system running the CLI in pythonSubprocess.ts) and records the
// names and os.environ keys they read. Values are read by pythonExpr.ts (constants, f-strings,
// .format, %, +, reassignment, branches); model_args blocks by pythonModelArgs.ts. The source is
// never executed.
import { mappedRange, scanForLaunches, type SourceMappedText } from './mappedText';
import { apiCall, modelObjectLaunch, type ModelObject } from './pythonApiCall';
import { evalString, type Binding, type PyCtx } from './pythonExpr';
import { subprocessCall } from './pythonSubprocess';
import { closingIndex, statementEnd, tokenizePython, type Tok } from './pythonTokens';
import type { LaunchScanOptions } from './launchScanOptions';
import type { Located, LmEvalInvocation, MappedText } from './types';

export { tokenizePython } from './pythonTokens';

/** Every lm-eval launch in Python source. `base` maps `text` to the document when it is embedded. */
export function findPythonInvocations(
  text: string,
  base?: MappedText,
  opts: LaunchScanOptions = {},
): LmEvalInvocation[] {
  return scanForLaunches(text, base, opts, scanPython);
}

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
  const modelObjects = new Map<number, ModelObject>();
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
    if (tk.text === 'os') recordEnvironAssignment(ctx, k);
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
  // Values read from defaults (argparse, `os.environ.get("K", d)`): noted while the launches were read.
  if (ctx.defaults?.length)
    for (const inv of out) inv.defaults = inv.defaults ? [...inv.defaults, ...ctx.defaults] : ctx.defaults;
  return out.sort((a, b) => a.range.start - b.range.start);
}

/** `os.environ["X"] = "v"` at token k: the launches after it see X. */
function recordEnvironAssignment(ctx: PyCtx, k: number): void {
  const toks = ctx.toks;
  if (toks[k + 1]?.text !== '.' || toks[k + 2]?.text !== 'environ' || toks[k + 3]?.text !== '[') return;
  const key = toks[k + 4];
  if (key?.kind !== 'string' || toks[k + 5]?.text !== ']' || toks[k + 6]?.text !== '=') return;
  const val = evalString(ctx, k + 7, statementEnd(toks, k + 7), k);
  if (val && key.str && !val.mapped.holes?.length)
    ctx.environ.push({
      at: k,
      name: key.str.text,
      loc: { value: val.mapped.text, range: mappedRange(val.mapped, 0, val.mapped.text.length) },
      value: val.mapped,
    });
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
