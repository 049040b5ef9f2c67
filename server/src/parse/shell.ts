// lm-eval launches in shell and SLURM scripts: a small POSIX-sh tokenizer (comments, quotes,
// `\` continuations, separators, redirections, here-documents) feeding an argv reader that knows
// lm-eval's entry points, the usual wrappers and the `lm-eval run` flags (reference/lm-eval.md §4.2).
// Variables assigned earlier in the script resolve `$VAR` with ranges into the assignment; any
// other expansion stays an unresolved hole (never guessed).
import type { OffsetRange } from '../shared/findings';
import {
  decodeShellWord,
  mappedRange,
  overlapsHole,
  quotingAt,
  scanForLaunches,
  sliceMapped,
  type HostQuoting,
  type SourceMappedText,
} from './mappedText';
import { parseCliModelArgsValues, type ParsedModelArgs } from './modelArgs';
import type {
  EmbeddingKind,
  LaunchScanOptions,
  Located,
  LmEvalInvocation,
  MappedText,
  ModelArgsBlock,
  ModelArgsEditStyle,
  TaskName,
} from './types';

/** One argv element as the program receives it, and where it is written. */
export interface ArgWord {
  value: SourceMappedText;
  /** The whole word as written (quotes included). */
  range: OffsetRange;
}

/** Every lm-eval launch in a shell script. `base` maps `text` to the document when it is embedded. */
export function findShellInvocations(
  text: string,
  base?: MappedText,
  opts: LaunchScanOptions = {},
): LmEvalInvocation[] {
  return scanForLaunches(text, base, opts, scanShell);
}

interface ShellCommand {
  words: ArgWord[];
  heredocs: Array<{ delimiter: string; stripTabs: boolean }>;
}

/** Tokenize `src` command by command, tracking variables, and read each lm-eval launch. */
export function scanShell(src: SourceMappedText, opts: LaunchScanOptions = {}): LmEvalInvocation[] {
  const t = src.text;
  const vars = new Map<string, SourceMappedText>();
  const env: Record<string, Located<string>> = { ...(opts.env ?? {}) };
  const out: LmEvalInvocation[] = [];
  const lookup = (name: string) => vars.get(name);
  let cmd: ShellCommand = { words: [], heredocs: [] };
  let skipNextWord = false; // the target of a redirection

  const finish = () => {
    if (cmd.words.length) handleCommand(cmd.words, vars, env, out, opts.embedding ?? 'shell');
    cmd = { words: [], heredocs: [] };
  };

  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && (t[i + 1] === '\n' || (t[i + 1] === '\r' && t[i + 2] === '\n'))) {
      i += t[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (c === '#') {
      const nl = t.indexOf('\n', i);
      i = nl < 0 ? t.length : nl;
      continue;
    }
    if (c === '\n') {
      const heredocs = cmd.heredocs;
      finish();
      i++;
      for (const h of heredocs) i = skipHeredoc(t, i, h.delimiter, h.stripTabs);
      continue;
    }
    if (c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      // Keep pending here-documents: their bodies start after the end of the line.
      const heredocs = cmd.heredocs;
      finish();
      cmd.heredocs = heredocs;
      i++;
      continue;
    }
    if (c === '<' || c === '>') {
      if (t.startsWith('<<<', i)) {
        i += 3;
        skipNextWord = true;
        continue;
      }
      if (t.startsWith('<<', i)) {
        let j = i + 2;
        const stripTabs = t[j] === '-';
        if (stripTabs) j++;
        while (t[j] === ' ' || t[j] === '\t') j++;
        const word = decodeShellWord(src, j);
        cmd.heredocs.push({ delimiter: word.value.text, stripTabs });
        i = Math.max(word.end, j + 1);
        continue;
      }
      i++;
      while (t[i] === '>' || t[i] === '&' || t[i] === '|') i++;
      // `2>&1`, `>&2`: the target is a descriptor number, not a word we must skip.
      if (/[0-9-]/.test(t[i] ?? '') && t[i - 1] === '&') {
        while (/[0-9-]/.test(t[i] ?? '')) i++;
        continue;
      }
      skipNextWord = true;
      continue;
    }
    const word = decodeShellWord(src, i, lookup);
    const end = Math.max(word.end, i + 1);
    const afterWord = t[end];
    if (skipNextWord) {
      skipNextWord = false;
    } else if (/^[0-9]+$/.test(word.value.text) && (afterWord === '>' || afterWord === '<')) {
      // `2>file`: the descriptor belongs to the redirection.
    } else {
      const startDoc = src.offsets[i] ?? 0;
      const endDoc = end > i ? (src.ends[Math.min(end, t.length) - 1] ?? startDoc) : startDoc;
      cmd.words.push({ value: word.value, range: { start: startDoc, end: endDoc } });
    }
    i = end;
  }
  finish();
  return out;
}

function skipHeredoc(t: string, i: number, delimiter: string, stripTabs: boolean): number {
  let j = i;
  while (j < t.length) {
    const nl = t.indexOf('\n', j);
    const lineEnd = nl < 0 ? t.length : nl;
    let line = t.slice(j, lineEnd).replace(/\r$/, '');
    if (stripTabs) line = line.replace(/^\t+/, '');
    j = nl < 0 ? t.length : nl + 1;
    if (line === delimiter) return j;
  }
  return t.length;
}

const SHELL_KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until',
  '!',
  '{',
  '}',
  'fi',
  'done',
  'exec',
  'command',
  'builtin',
]);

function handleCommand(
  words: ArgWord[],
  vars: Map<string, SourceMappedText>,
  env: Record<string, Located<string>>,
  out: LmEvalInvocation[],
  embedding: EmbeddingKind,
): void {
  let k = 0;
  while (k < words.length && SHELL_KEYWORDS.has(words[k].value.text)) k++;
  const rest = words.slice(k);
  if (!rest.length) return;
  const head = rest[0].value.text;
  if (head === 'export' || head === 'declare' || head === 'typeset' || head === 'local' || head === 'readonly') {
    for (const w of rest.slice(1)) recordAssignment(w, vars, env);
    return;
  }
  if (rest.every((w) => assignmentOf(w))) {
    for (const w of rest) recordAssignment(w, vars, env);
    return;
  }
  const inv = invocationFromArgv(rest, { embedding, env });
  if (inv) out.push(inv);
}

function assignmentOf(w: ArgWord): { name: string; value: SourceMappedText } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.value.text.slice(0, 200));
  if (!m) return undefined;
  // The name must be written unquoted: `"A=b"` is a word, not an assignment.
  if (quotingAt(w.value, 0).some((q) => q !== 'shell-plain' && q !== 'json' && q !== 'python')) return undefined;
  return { name: m[1], value: sliceMapped(w.value, m[0].length, w.value.text.length) };
}

function recordAssignment(w: ArgWord, vars: Map<string, SourceMappedText>, env: Record<string, Located<string>>): void {
  const a = assignmentOf(w);
  if (!a) return;
  vars.set(a.name, a.value);
  env[a.name] = { value: a.value.text, range: mappedRange(a.value, 0, a.value.text.length) };
}

// ---------------------------------------------------------------------------------------------
// argv → LmEvalInvocation

export interface ArgvOptions {
  embedding: EmbeddingKind;
  env?: Record<string, Located<string>>;
}

const LM_EVAL_NAMES = new Set(['lm_eval', 'lm-eval']);
const WRAPPERS = new Set([
  'nohup',
  'time',
  'env',
  'srun',
  'torchrun',
  'mpirun',
  'deepspeed',
  'sudo',
  'stdbuf',
  'nice',
  'taskset',
  'numactl',
  'timeout',
]);

function basename(s: string): string {
  const slash = s.lastIndexOf('/');
  return slash >= 0 ? s.slice(slash + 1) : s;
}

const isPython = (s: string) => /^python(\d+(\.\d+)?)?$/.test(basename(s));
const isLmEval = (s: string) => LM_EVAL_NAMES.has(basename(s));
const isLmEvalModule = (s: string) => s === 'lm_eval' || s === 'lm_eval.__main__';

interface LaunchMatch {
  /** Index of the first lm-eval argument. */
  argsStart: number;
  launcherStart?: number;
  launcherEnd?: number;
  inlineEnv: ArgWord[];
}

/** Find where lm-eval's own arguments start in an argv, through wrappers; undefined if this is not an lm-eval run. */
export function matchLmEvalLaunch(words: readonly ArgWord[]): LaunchMatch | undefined {
  const text = (k: number) => words[k]?.value.text ?? '';
  const inlineEnv: ArgWord[] = [];
  let k = 0;
  while (k < words.length && assignmentOf(words[k])) inlineEnv.push(words[k++]);
  let launcherStart: number | undefined;
  let launcherEnd: number | undefined;
  // Bounded: a wrapper's options never run to hundreds of words.
  for (let guard = 0; k < words.length && guard < 64; guard++) {
    const w = text(k);
    if (overlapsHole(words[k].value, 0, w.length)) return undefined;
    if (isLmEval(w)) {
      if (k + 1 >= words.length) return undefined; // bare `lm_eval` prints help
      let argsStart = k + 1;
      const sub = text(argsStart);
      if (sub === 'run') argsStart++;
      else if (sub === 'ls' || sub === 'validate' || sub === '--help' || sub === '-h') return undefined;
      return { argsStart, launcherStart, launcherEnd, inlineEnv };
    }
    if (isPython(w)) {
      let j = k + 1;
      while (j < words.length && text(j).startsWith('-')) {
        const opt = text(j);
        if (opt === '-m') {
          if (!isLmEvalModule(text(j + 1))) return undefined;
          const argsStart = j + 2;
          return {
            argsStart: text(argsStart) === 'run' ? argsStart + 1 : argsStart,
            launcherStart,
            launcherEnd,
            inlineEnv,
          };
        }
        if (opt.startsWith('-m') && isLmEvalModule(opt.slice(2)))
          return { argsStart: j + 1, launcherStart, launcherEnd, inlineEnv };
        j += opt === '-W' || opt === '-X' || opt === '-c' ? 2 : 1;
      }
      // `python path/to/lm_eval/__main__.py`
      if (/(^|\/)lm_eval\/__main__\.py$/.test(text(j)))
        return { argsStart: j + 1, launcherStart, launcherEnd, inlineEnv };
      return undefined;
    }
    const twoWord = (w === 'accelerate' && text(k + 1) === 'launch') || (w === 'uv' && text(k + 1) === 'run');
    if (twoWord || WRAPPERS.has(basename(w))) {
      launcherStart ??= k;
      let j = k + (twoWord ? 2 : 1);
      // Skip the wrapper's options (and `env`'s assignments) up to the program it runs.
      for (; j < words.length && j - k < 48; j++) {
        const x = text(j);
        if (
          isLmEval(x) ||
          isPython(x) ||
          ((x === 'accelerate' || x === 'uv') && j + 1 < words.length) ||
          WRAPPERS.has(basename(x))
        )
          break;
        if ((x === '-m' || x === '--module') && isLmEvalModule(text(j + 1))) break;
        if (x.endsWith('.py') || x.endsWith('.sh')) return undefined; // it runs some other script
        if (assignmentOf(words[j]) && basename(w) === 'env') inlineEnv.push(words[j]);
      }
      if (j >= words.length) return undefined;
      const x = text(j);
      if (x === '-m' || x === '--module') {
        launcherEnd = j;
        const argsStart = j + 2;
        return {
          argsStart: text(argsStart) === 'run' ? argsStart + 1 : argsStart,
          launcherStart,
          launcherEnd,
          inlineEnv,
        };
      }
      launcherEnd = j - 1;
      k = j;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Build the invocation from a whole argv (program first), or undefined when it does not run lm-eval. */
export function invocationFromArgv(words: readonly ArgWord[], opts: ArgvOptions): LmEvalInvocation | undefined {
  const m = matchLmEvalLaunch(words);
  if (!m) return undefined;
  const env: Record<string, Located<string>> = { ...(opts.env ?? {}) };
  for (const w of m.inlineEnv) {
    const a = assignmentOf(w);
    if (a) env[a.name] = { value: a.value.text, range: mappedRange(a.value, 0, a.value.text.length) };
  }
  const inv = invocationFromFlags(words.slice(m.argsStart), opts.embedding, env, {
    start: words[0].range.start,
    end: words[words.length - 1].range.end,
  });
  if (m.launcherStart !== undefined && m.launcherEnd !== undefined && m.launcherEnd >= m.launcherStart) {
    const ws = words.slice(m.launcherStart, m.launcherEnd + 1);
    inv.launcher = {
      value: ws.map((w) => w.value.text).join(' '),
      range: { start: ws[0].range.start, end: ws[ws.length - 1].range.end },
    };
  }
  return inv;
}

type FlagName =
  | 'model'
  | 'model_args'
  | 'tasks'
  | 'batch_size'
  | 'max_batch_size'
  | 'device'
  | 'gen_kwargs'
  | 'num_fewshot'
  | 'include_path'
  | 'apply_chat_template'
  | 'config';

const FLAGS: Record<string, FlagName> = {
  '--model': 'model',
  '-M': 'model',
  '--model_args': 'model_args',
  '-a': 'model_args',
  '--tasks': 'tasks',
  '-t': 'tasks',
  '--batch_size': 'batch_size',
  '-b': 'batch_size',
  '--max_batch_size': 'max_batch_size',
  '--device': 'device',
  '--gen_kwargs': 'gen_kwargs',
  '--num_fewshot': 'num_fewshot',
  '-f': 'num_fewshot',
  '--include_path': 'include_path',
  '--apply_chat_template': 'apply_chat_template',
  '--config': 'config',
  '-C': 'config',
};

/** Flags of lm-eval that take one or more values (argparse nargs="+" / MergeDictAction). */
const MULTI_VALUE = new Set<FlagName>(['model_args', 'tasks', 'gen_kwargs']);

/** argparse treats a word starting with `-` as an option unless it looks like a negative number. */
const looksLikeFlag = (s: string) => s.startsWith('-') && s.length > 1 && !/^-\d/.test(s);

interface FlagValue {
  value: SourceMappedText;
  /** As written: the whole word, or the part after `=` in `--flag=value`. */
  range: OffsetRange;
}

/** Read lm-eval's flags from its own argv (no program name). */
export function invocationFromFlags(
  words: readonly ArgWord[],
  embedding: EmbeddingKind,
  env: Record<string, Located<string>>,
  range: OffsetRange,
): LmEvalInvocation {
  const inv: LmEvalInvocation = { embedding, range, env };
  const modelArgs: FlagValue[][] = [];
  const genKwargs: FlagValue[][] = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[k].value.text;
    if (!looksLikeFlag(w)) continue;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const flag = FLAGS[eq > 0 ? w.slice(0, eq) : w];
    if (!flag) continue;
    const values: FlagValue[] = [];
    if (eq > 0) {
      const v = sliceMapped(words[k].value, eq + 1, w.length);
      const start = words[k].value.ends[eq] ?? words[k].range.start;
      values.push({ value: v, range: { start, end: words[k].range.end } });
    } else {
      const max = MULTI_VALUE.has(flag) ? Infinity : 1;
      const optional = flag === 'apply_chat_template';
      while (values.length < max && k + 1 < words.length && !looksLikeFlag(words[k + 1].value.text)) {
        k++;
        values.push({ value: words[k].value, range: words[k].range });
      }
      if (!values.length && !optional) continue;
    }
    const located = (v: FlagValue): Located<string> => ({ value: v.value.text, range: v.range });
    switch (flag) {
      case 'model':
        inv.model = located(values[0]);
        break;
      case 'model_args':
        modelArgs.push(values);
        break;
      case 'gen_kwargs':
        genKwargs.push(values);
        break;
      case 'tasks':
        inv.tasks = [...(inv.tasks ?? []), ...values.flatMap(taskNames)];
        break;
      case 'batch_size':
        inv.batchSize = located(values[0]);
        break;
      case 'max_batch_size':
        inv.maxBatchSize = located(values[0]);
        break;
      case 'device':
        inv.device = located(values[0]);
        break;
      case 'num_fewshot':
        inv.numFewshot = located(values[0]);
        break;
      case 'include_path':
        inv.includePath = [...(inv.includePath ?? []), located(values[0])];
        break;
      case 'apply_chat_template':
        inv.applyChatTemplate = values.length ? located(values[0]) : { value: 'True', range: words[k].range };
        break;
      case 'config':
        break; // the run file is read on its own (runConfig.ts)
    }
  }
  if (modelArgs.length) inv.modelArgs = cliBlock(modelArgs);
  if (genKwargs.length) inv.genKwargs = cliBlock(genKwargs);
  return inv;
}

function taskNames(v: FlagValue): TaskName[] {
  const out: TaskName[] = [];
  const s = v.value.text;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || s[i] === ',') {
      let a = start;
      let b = i;
      while (a < b && /\s/.test(s[a])) a++;
      while (b > a && /\s/.test(s[b - 1])) b--;
      if (b > a && !overlapsHole(v.value, a, b)) out.push({ name: s.slice(a, b), range: mappedRange(v.value, a, b) });
      start = i + 1;
    }
  }
  return out;
}

/** One block for all `--model_args` occurrences: each occurrence is a MergeDictAction call. */
function cliBlock(occurrences: FlagValue[][]): ModelArgsBlock {
  const parsedEach: ParsedModelArgs[] = occurrences.map((vals) => parseCliModelArgsValues(vals.map((v) => v.value)));
  const args = parsedEach.flatMap((p) => p.args);
  const problems = parsedEach.flatMap((p) => p.problems);
  // A key set again by a later --model_args: that MergeDictAction call overwrites it with a warning.
  const earlier = new Set<string>();
  for (const p of parsedEach) {
    for (const a of p.args) {
      if (earlier.has(a.key)) {
        problems.push({
          kind: 'duplicate-key',
          severity: 'warning',
          message: `'${a.key}' is also set by an earlier --model_args: lm-eval logs "Overwriting" and keeps this value.`,
          range: a.keyRange,
        });
      }
    }
    for (const a of p.args) earlier.add(a.key);
  }
  const all = occurrences.flat();
  const dialect = parsedEach.every((p) => p.dialect === 'json') ? 'json' : 'cli';
  const last = args[args.length - 1];
  const lastOcc = occurrences[occurrences.length - 1];
  const lastValue = lastOcc[lastOcc.length - 1];
  const styleText = lastValue.value;
  let insertOffset: number;
  let layers: HostQuoting[];
  if (dialect === 'json') {
    const jsonValue = occurrences.find((o) => o.length)![0];
    const close = jsonValue.value.text.lastIndexOf('}');
    insertOffset = last ? last.range.end : close >= 0 ? jsonValue.value.offsets[close] : jsonValue.range.end;
    layers = quotingAt(jsonValue.value, Math.max(0, close));
  } else if (last) {
    insertOffset = last.range.end;
    layers = layersAtDocOffset(occurrences, last.range.end);
  } else {
    insertOffset = styleText.text.length ? mappedRange(styleText, 0, styleText.text.length).end : lastValue.range.start;
    layers = quotingAt(styleText, Math.max(0, styleText.text.length - 1));
  }
  const style: ModelArgsEditStyle =
    dialect === 'json'
      ? { kind: 'json-object', separator: jsonSeparator(occurrences) }
      : { kind: 'kv-string', separator: ',' };
  const block: ModelArgsBlock & { hostLayers?: HostQuoting[] } = {
    dialect,
    range: { start: Math.min(...all.map((v) => v.range.start)), end: Math.max(...all.map((v) => v.range.end)) },
    insertOffset,
    hostEscaping: hostEscapingOf(layers),
    style,
    args,
    problems,
  };
  block.hostLayers = layers;
  return block;
}

/** Quoting around the character that ends at document offset `end`, in whichever value holds it. */
function layersAtDocOffset(occurrences: FlagValue[][], end: number): HostQuoting[] {
  for (const occ of occurrences) {
    for (const v of occ) {
      const m = v.value;
      for (let i = m.text.length - 1; i >= 0; i--) if (m.ends[i] === end) return quotingAt(m, i);
    }
  }
  return [];
}

function jsonSeparator(occurrences: FlagValue[][]): string {
  const t = occurrences.find((o) => o.length)?.[0].value.text ?? '';
  return /,\s/.test(t) ? ', ' : ',';
}

/** The contract's single escaping name: the innermost quoting layer. */
export function hostEscapingOf(layers: readonly HostQuoting[]): ModelArgsBlock['hostEscaping'] {
  const inner = layers[layers.length - 1];
  if (!inner || inner === 'shell-plain') return 'none';
  return inner;
}
