// The part of a shell's state a launch depends on: variables (scalars and arrays), which of them
// are exported, functions, and positional parameters inside a function call. One scope is shared
// by every command of a script (and every block of a Markdown document): launches read it, never
// copy it; the exported environment is a snapshot shared until an export changes (#18).
import type { ArgWord } from './shellCommand';
import { UNKNOWN_VALUE, type ShellExpander } from './shellWord';
import { mappedRange, type SourceMappedText } from './mappedText';
import type { DefaultValue, Located } from './types';

type ShellValue = { kind: 'scalar'; value: SourceMappedText } | { kind: 'array'; items: SourceMappedText[] };

/**
 * The environment variables a launch's programs read and we use: vLLM's, PyTorch's and CUDA's,
 * ROCm's (HIP, ROCR, HSA: they say the GPU is an AMD one), NCCL's, Hugging Face's, lm-eval's.
 * Other exported variables (`RUN_ID`, `OUTPUT_DIR`) are not carried into each launch's environment.
 */
const RELEVANT_ENV =
  /^(?:VLLM_|CUDA_|PYTORCH_|TORCH_|NCCL_|HF_|HUGGING_?FACE|TRANSFORMERS_|TOKENIZERS_|LMEVAL|LM_EVAL|NVIDIA_|OMP_|HIP_|ROCR_|HSA_|ROCM_|XDG_CACHE_HOME$|HOME$)/;

export interface ShellFunction {
  name: string;
  body: SourceMappedText;
  /** Document range of the body. */
  bodyRange: { start: number; end: number };
  called: boolean;
}

interface Frame {
  args: ArgWord[];
  /** Some arguments are unknown (`main "$@"` at the top of a script): `$n` past the known ones is too. */
  open: boolean;
  /** Values `local` shadowed, restored when the call returns. */
  saved: Map<string, ShellValue | undefined>;
  at: number;
}

/** A decoded text of known characters that all point at one document offset (`$#`, joined words). */
function synthetic(text: string, at: number): SourceMappedText {
  return {
    text,
    offsets: new Array<number>(text.length + 1).fill(at),
    ends: new Array<number>(text.length).fill(at),
  };
}

/** Words joined with one blank, as `"$*"` and `"${A[*]}"` join them. */
export function joinMapped(parts: readonly SourceMappedText[], at = 0): SourceMappedText {
  if (parts.length === 1) return parts[0];
  const text: string[] = [];
  const offsets: number[] = [];
  const ends: number[] = [];
  const quoting: string[] = [];
  const holes: { start: number; end: number }[] = [];
  let anyQuoting = false;
  let n = 0;
  for (let p = 0; p < parts.length; p++) {
    const m = parts[p];
    if (p > 0) {
      const prevEnd = ends.length ? ends[ends.length - 1] : at;
      text.push(' ');
      offsets.push(prevEnd);
      ends.push(prevEnd);
      quoting.push('');
      n++;
    }
    for (let k = 0; k < m.text.length; k++) {
      offsets.push(m.offsets[k]);
      ends.push(m.ends[k]);
      const q = m.quoting?.[k] ?? '';
      if (q) anyQuoting = true;
      quoting.push(q);
    }
    text.push(m.text);
    for (const h of m.holes ?? []) holes.push({ start: h.start + n, end: h.end + n });
    n += m.text.length;
  }
  offsets.push(ends.length ? ends[ends.length - 1] : at);
  const out: SourceMappedText = { text: text.join(''), offsets, ends };
  if (anyQuoting) out.quoting = quoting;
  if (holes.length) out.holes = holes;
  return out;
}

function sameValue(a: ShellValue, b: ShellValue): boolean {
  const texts = (v: ShellValue) => (v.kind === 'scalar' ? [v.value] : v.items);
  const x = texts(a);
  const y = texts(b);
  return (
    a.kind === b.kind &&
    x.length === y.length &&
    x.every((m, k) => m !== UNKNOWN_VALUE && m.text === y[k].text && !m.holes?.length && !y[k].holes?.length)
  );
}

/** Defaults remembered per scope (a script with more is judged on the first ones). */
const MAX_DEFAULTS = 1000;

export class ShellScope implements ShellExpander {
  private readonly vars = new Map<string, ShellValue>();
  private readonly exported = new Set<string>();
  readonly functions = new Map<string, ShellFunction>();
  /** `set -a`: every assignment is exported. */
  allExport = false;
  /** Inside `if`/`case`/loops, or after `&&`/`||`: an assignment may not run. */
  conditional = 0;
  private readonly frames: Frame[] = [];
  private envSnapshot: Record<string, Located<string>> | undefined;
  /** The last snapshot, and the exported names changed since (a new snapshot copies it and sets those). */
  private lastEnv: Record<string, Located<string>> | undefined;
  private readonly envChanged = new Set<string>();

  constructor(
    private readonly baseEnv: Readonly<Record<string, Located<string>>> = {},
    private readonly assumed: Readonly<Record<string, Located<string>>> = {},
  ) {}

  private frame(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  lookup(name: string): SourceMappedText | undefined {
    const frame = this.frame();
    if (/^[0-9]+$/.test(name)) {
      const n = Number(name);
      if (n === 0 || !frame) return undefined; // $0, or the script's own arguments: not known here
      const arg = frame.args[n - 1];
      if (arg) return arg.value;
      return frame.open ? undefined : synthetic('', frame.at);
    }
    if (name === '@' || name === '*') {
      if (!frame || frame.open) return undefined;
      return joinMapped(
        frame.args.map((a) => a.value),
        frame.at,
      );
    }
    if (name === '#') return frame && !frame.open ? synthetic(String(frame.args.length), frame.at) : undefined;
    const indexed = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/.exec(name);
    if (indexed) {
      const v = this.vars.get(indexed[1]);
      if (!v) return undefined;
      const index = indexed[2];
      if (index === '@' || index === '*') return v.kind === 'array' ? joinMapped(v.items) : v.value;
      if (!/^[0-9]+$/.test(index)) return UNKNOWN_VALUE; // ${A[$i]}
      const k = Number(index);
      if (v.kind === 'array') return v.items[k] ?? synthetic('', 0);
      return k === 0 ? v.value : synthetic('', 0);
    }
    const v = this.vars.get(name);
    if (v) return v.kind === 'scalar' ? v.value : (v.items[0] ?? synthetic('', 0));
    // The environment the script starts with (a container's `env:`, a service spec's `env:`) is
    // what `$NAME` expands to when the script does not set NAME itself.
    const e = this.baseEnv[name];
    if (e) return fromLocated(e);
    const a = this.assumed[name];
    if (a) return fromLocated(a);
    return undefined;
  }

  /** Array items for `"${A[@]}"`; undefined when A is not an array the script set. */
  arrayItems(name: string): SourceMappedText[] | undefined {
    const v = this.vars.get(name);
    if (!v) return undefined;
    return v.kind === 'array' ? v.items : [v.value];
  }

  /** The call's arguments for `"$@"`; `open` when some are unknown. */
  positional(): { args: ArgWord[]; open: boolean } | undefined {
    const f = this.frame();
    return f ? { args: f.args, open: f.open } : undefined;
  }

  assign(name: string, value: SourceMappedText): void {
    this.set(name, { kind: 'scalar', value });
  }

  /** `NAME+=value` (string append) or `NAME+=(items)`. */
  append(name: string, value: SourceMappedText | SourceMappedText[]): void {
    const old = this.vars.get(name);
    if (Array.isArray(value)) {
      const before = old ? (old.kind === 'array' ? old.items : [old.value]) : [];
      this.set(name, { kind: 'array', items: [...before, ...value] });
    } else if (old?.kind === 'array') {
      this.set(name, { kind: 'array', items: [...old.items, value] });
    } else {
      this.set(name, { kind: 'scalar', value: old ? concat(old.value, value) : value });
    }
  }

  assignArray(name: string, items: SourceMappedText[]): void {
    this.set(name, { kind: 'array', items });
  }

  /**
   * Values taken from a default because the script does not set the name (`${1:-X}`, `${MODEL:-X}`):
   * whoever runs it may pass another. Shared by the launches of the scope.
   */
  readonly defaults: DefaultValue[] = [];
  private readonly defaultsSeen = new Set<string>();

  tookDefault(name: string, value: SourceMappedText, op: string): void {
    if (!value.text || value.holes?.length || this.defaults.length >= MAX_DEFAULTS) return;
    const range = mappedRange(value, 0, value.text.length);
    const key = `${range.start}:${range.end}`;
    if (this.defaultsSeen.has(key)) return;
    this.defaultsSeen.add(key);
    const written = `\`\${${name}${op}…}\``;
    this.defaults.push({
      value: value.text,
      range,
      of: /^[0-9]+$/.test(name)
        ? `${written}, the script's argument ${name}`
        : `${written}, which the environment may set`,
    });
  }

  /** The script sets NAME to something we cannot know (`for NAME in`, `read NAME`). */
  markUnknown(name: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return;
    this.setRaw(name, { kind: 'scalar', value: UNKNOWN_VALUE });
  }

  private set(name: string, next: ShellValue): void {
    const old = this.vars.get(name);
    // Branches that give different values leave the value unknown; one branch alone (`[ -z "$X" ]
    // && X=default`) is taken as the value.
    if (this.conditional > 0 && old && !sameValue(old, next)) next = { kind: 'scalar', value: UNKNOWN_VALUE };
    this.setRaw(name, next);
  }

  private setRaw(name: string, next: ShellValue): void {
    this.vars.set(name, next);
    if (this.allExport) this.exported.add(name);
    if (this.exported.has(name)) this.envDirty(name);
  }

  private envDirty(name: string): void {
    if (!RELEVANT_ENV.test(name)) return;
    this.envSnapshot = undefined;
    this.envChanged.add(name);
  }

  export(name: string): void {
    if (!this.exported.has(name)) {
      this.exported.add(name);
      this.envDirty(name);
    }
  }

  unset(name: string): void {
    this.vars.delete(name);
    if (this.exported.delete(name)) this.envDirty(name);
  }

  /** `local NAME`: the old value comes back when the function returns. */
  declareLocal(name: string): void {
    const f = this.frame();
    if (f && !f.saved.has(name)) f.saved.set(name, this.vars.get(name));
  }

  pushFrame(args: ArgWord[], open: boolean, at: number): void {
    this.frames.push({ args, open, saved: new Map(), at });
  }

  popFrame(): void {
    const f = this.frames.pop();
    if (!f) return;
    for (const [name, v] of f.saved) {
      if (v) this.vars.set(name, v);
      else this.vars.delete(name);
      if (this.exported.has(name)) this.envDirty(name);
    }
  }

  /**
   * The environment a command started now inherits: exported variables whose value is known (an
   * unknown one is left out rather than passed as text). Shared by every launch until an export
   * changes.
   */
  env(): Record<string, Located<string>> {
    if (this.envSnapshot) return this.envSnapshot;
    const e: Record<string, Located<string>> = { ...(this.lastEnv ?? this.baseEnv) };
    for (const name of this.envChanged) {
      const v = this.exported.has(name) ? this.vars.get(name) : undefined;
      if (v?.kind !== 'scalar' || v.value === UNKNOWN_VALUE || v.value.holes?.length) {
        delete e[name];
        continue;
      }
      e[name] = { value: v.value.text, range: mappedRange(v.value, 0, v.value.text.length) };
    }
    this.envChanged.clear();
    this.envSnapshot = Object.freeze(e) as Record<string, Located<string>>;
    this.lastEnv = this.envSnapshot;
    return this.envSnapshot;
  }
}

function concat(a: SourceMappedText, b: SourceMappedText): SourceMappedText {
  const joined = joinMapped([a, b]);
  // joinMapped puts a blank between the parts; `+=` does not.
  const at = a.text.length;
  const out: SourceMappedText = {
    text: joined.text.slice(0, at) + joined.text.slice(at + 1),
    offsets: [...joined.offsets.slice(0, at), ...joined.offsets.slice(at + 1)],
    ends: [...joined.ends.slice(0, at), ...joined.ends.slice(at + 1)],
  };
  if (joined.quoting) out.quoting = [...joined.quoting.slice(0, at), ...joined.quoting.slice(at + 1)];
  if (joined.holes)
    out.holes = joined.holes.map((h) => ({
      start: h.start > at ? h.start - 1 : h.start,
      end: h.end > at ? h.end - 1 : h.end,
    }));
  return out;
}

/** A directive's value as a decoded text pointing at where the directive writes it. */
function fromLocated(l: Located<string>): SourceMappedText {
  const n = l.value.length;
  const offsets = new Array<number>(n + 1);
  const ends = new Array<number>(n);
  const exact = l.range.end - l.range.start === n;
  for (let k = 0; k < n; k++) {
    offsets[k] = exact ? l.range.start + k : l.range.start;
    ends[k] = exact ? l.range.start + k + 1 : l.range.end;
  }
  offsets[n] = l.range.end;
  return { text: l.value, offsets, ends };
}
