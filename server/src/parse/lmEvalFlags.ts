// lm-eval's own flags (`lm-eval run`, reference/lm-eval.md §4.2) read from its argv, wherever the
// argv came from (a shell command, a Python subprocess list, a launch.json `args` array): the model
// and its `--model_args` (every occurrence one MergeDictAction call), tasks, batch sizes, device,
// `--gen_kwargs`, few-shot, include paths and the chat template.
import type { OffsetRange } from '../shared/findings';
import {
  mappedRange,
  overlapsHole,
  quotingAt,
  sliceMapped,
  type HostQuoting,
  type SourceMappedText,
} from './mappedText';
import { parseCliModelArgsValues } from './modelArgs';
import type { ArgWord } from './shellCommand';
import type {
  EmbeddingKind,
  Located,
  LmEvalInvocation,
  ModelArgsBlock,
  ModelArgsEditStyle,
  ParsedModelArgs,
  TaskName,
} from './types';

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
export const looksLikeFlag = (s: string) => s.startsWith('-') && s.length > 1 && !/^-\d/.test(s);

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
        if (overlapsHole(values[0].value, 0, values[0].value.text.length)) inv.model.unresolved = true;
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
      if (earlier.has(a.key) && !a.unresolved) {
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
    commandLine: {
      laterValues: occurrences.flatMap((o) =>
        o
          .slice(1)
          .filter(mayBeWord)
          .map((v) => v.range),
      ),
    },
  };
  block.hostLayers = layers;
  return block;
}

/** A value that is a word of its own at run time (an unquoted `$EXTRA` alone may expand to none). */
function mayBeWord(v: FlagValue): boolean {
  const t = v.value;
  return !(t.holes ?? []).some((h) => h.start <= 0 && h.end >= t.text.length);
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
