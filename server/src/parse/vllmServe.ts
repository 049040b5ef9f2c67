// `vllm serve MODEL --flags`, `python -m vllm.entrypoints.openai.api_server --model MODEL --flags`
// and the `vllm/vllm-openai` image's arguments: a launch of its own, whose flags are vLLM engine
// arguments written `--gpu-memory-utilization 0.8`. They become a model_args block in the
// `vllm-cli` dialect (keys with `_`), so every rule, hover, inlay hint and fix that reads model_args
// works on them, and edits land on the flag's own value word.
import { isBooleanServeFlag, SHORT_FLAGS } from '../knowledge/vllmServeFlags';
import type { OffsetRange } from '../shared/findings';
import { setRemoveRange } from './hints';
import { mappedRange, overlapsHole, sliceMapped, type SourceMappedText } from './mappedText';
import type { ArgWord } from './shellCommand';
import type {
  ArgValue,
  EmbeddingKind,
  Located,
  LmEvalInvocation,
  ModelArg,
  ModelArgsBlock,
  ServerEndpoint,
} from './types';

/** `vllm/vllm-openai[:tag]`, with or without a registry (`docker.io/`), and ROCm's `rocm/vllm`. */
export const VLLM_IMAGE = /^(?:[\w.-]+(?::\d+)?\/)?(?:vllm\/vllm-openai(?:-rocm)?|rocm\/vllm)(?:[:@][\w.:-]+)?$/;

const looksLikeFlag = (s: string) => s.startsWith('-') && s.length > 1 && !/^-\d/.test(s);

/** vLLM's human_readable_int (`32k` = 32000, `32K` = 32768) and plain numbers; true/false. */
export function coerceServeValue(raw: string): ArgValue {
  const t = raw.trim();
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return Number(t);
  const m = /^(\d+(?:\.\d+)?)([kKmMgG])$/.exec(t);
  if (m) {
    const decimal = { k: 1e3, m: 1e6, g: 1e9 }[m[2] as 'k' | 'm' | 'g'];
    const binary = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[m[2] as 'K' | 'M' | 'G'];
    return Math.round(Number(m[1]) * (decimal ?? binary ?? 1));
  }
  return t;
}

/** Build the server launch from its argv (`argsStart`: the first word after `serve` / the module / the image). */
export function serveInvocation(
  words: readonly ArgWord[],
  argsStart: number,
  form: ServerEndpoint['form'],
  embedding: EmbeddingKind,
  env: Record<string, Located<string>>,
  range: OffsetRange,
): LmEvalInvocation {
  const server: ServerEndpoint = { form };
  const inv: LmEvalInvocation = { embedding, program: 'vllm-serve', range, env, server };
  const args: ModelArg[] = [];
  let prevEnd = argsStart > 0 ? words[argsStart - 1].range.end : range.start;
  for (let k = argsStart; k < words.length; k++) {
    const w = words[k];
    const text = w.value.text;
    const startOfArg = prevEnd;
    if (text === '--') continue;
    let arg: ModelArg | undefined;
    if (looksLikeFlag(text) && !overlapsHole(w.value, 0, Math.min(text.length, 2))) {
      const eq = text.startsWith('--') ? text.indexOf('=') : -1;
      const flag = eq > 0 ? text.slice(0, eq) : text;
      let key = flag.startsWith('--') ? flag.slice(2).replace(/-/g, '_') : SHORT_FLAGS[flag];
      if (!key) {
        prevEnd = w.range.end;
        continue; // an unknown short flag: its value, if any, is read as a positional below
      }
      let negated = false;
      if (key.startsWith('no_') && isBooleanServeFlag(key.slice(3))) {
        key = key.slice(3);
        negated = true;
      }
      const keyRange = eq > 0 ? mappedRange(w.value, 0, eq) : w.range;
      if (eq > 0) {
        const v = sliceMapped(w.value, eq + 1, text.length);
        const valueRange = mappedRange(w.value, eq + 1, text.length);
        arg = valueArg(key, v, keyRange, valueRange, w.range);
      } else if (isBooleanServeFlag(key) || k + 1 >= words.length || looksLikeFlag(words[k + 1].value.text)) {
        arg = {
          key,
          value: !negated,
          rawValue: negated ? 'False' : 'True',
          keyRange,
          valueRange: { start: w.range.end, end: w.range.end },
          range: w.range,
        };
      } else {
        const v = words[++k];
        arg = valueArg(key, v.value, keyRange, v.range, { start: w.range.start, end: v.range.end });
      }
    } else if (!args.some((a) => a.key === 'model')) {
      // The positional model tag (`vllm serve MODEL`).
      arg = valueArg('model', w.value, w.range, w.range, w.range);
    }
    // `--config serve.yaml`: the file may set any engine argument; what it sets is not known here.
    if (arg?.key === 'config') arg.keyUnresolved = true;
    if (arg) {
      setRemoveRange(arg, { start: startOfArg, end: arg.range.end });
      args.push(arg);
      if (arg.key === 'host') server.host = located(arg);
      else if (arg.key === 'port') server.port = located(arg);
      else if (arg.key === 'served_model_name') server.servedModelName = located(arg);
    }
    prevEnd = words[k].range.end;
  }
  const last = words[words.length - 1];
  const block: ModelArgsBlock = {
    dialect: 'vllm-cli',
    range: args.length
      ? { start: Math.min(...args.map((a) => a.range.start)), end: Math.max(...args.map((a) => a.range.end)) }
      : { start: last.range.end, end: last.range.end },
    insertOffset: last.range.end,
    hostEscaping: 'none',
    style: { kind: 'cli-flags' },
    args,
    problems: [],
  };
  inv.modelArgs = block;
  return inv;
}

function valueArg(
  key: string,
  v: SourceMappedText,
  keyRange: OffsetRange,
  valueRange: OffsetRange,
  range: OffsetRange,
): ModelArg {
  const arg: ModelArg = { key, value: coerceServeValue(v.text), rawValue: v.text, keyRange, valueRange, range };
  if (overlapsHole(v, 0, Math.max(1, v.text.length))) arg.unresolved = true;
  return arg;
}

function located(a: ModelArg): Located<string> {
  return { value: a.rawValue, range: a.valueRange };
}
