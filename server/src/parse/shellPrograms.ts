// What an argv runs: lm-eval (its entry points and `run` subcommand), `vllm serve` (the CLI, the
// API server module, a vLLM container image), a shell function of the script, a shell reading a
// string or stdin, Python, `eval`, `cat`/`echo` (whose text a pipe may hand to a shell) — through
// the wrappers that run a program after their own options (`nohup`, `srun`, `accelerate launch`,
// `docker run IMAGE` read by containerRun.ts, `python -m torch.distributed.run`, ...) and a command
// of the user's own before an unmistakable launch (userCommands.ts).
import { overlapsHole } from './mappedText';
import { assignmentOf, type ArgWord } from './shellCommand';
import type { ShellFunction, ShellScope } from './shellScope';
import { containerImageIndex, isVllmServerImage } from './containerRun';
import { isUserWrapper } from './userCommands';

const LM_EVAL_NAMES = new Set(['lm_eval', 'lm-eval']);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
const WRAPPERS = new Set([
  'nohup',
  'time',
  'env',
  'srun',
  'torchrun',
  'mpirun',
  'mpiexec',
  'deepspeed',
  'sudo',
  'stdbuf',
  'nice',
  'ionice',
  'chrt',
  'setsid',
  'unbuffer',
  'taskset',
  'numactl',
  'timeout',
  'flock',
  'screen',
  'xvfb-run',
]);
/** Two-word wrappers: `accelerate launch`, `uv run`, `docker run IMAGE`, ... */
const TWO_WORD_WRAPPERS: Record<string, ReadonlySet<string>> = {
  accelerate: new Set(['launch']),
  uv: new Set(['run']),
  poetry: new Set(['run']),
  pipenv: new Set(['run']),
  pdm: new Set(['run']),
  hatch: new Set(['run']),
  pixi: new Set(['run']),
  conda: new Set(['run']),
  mamba: new Set(['run']),
  micromamba: new Set(['run']),
  singularity: new Set(['exec', 'run']),
  apptainer: new Set(['exec', 'run']),
  docker: new Set(['run', 'exec']),
  podman: new Set(['run', 'exec']),
  kubectl: new Set(['exec']),
};
/** `python -m MODULE` that launches the program after its own options. */
const LAUNCHER_MODULES = new Set([
  'torch.distributed.run',
  'torch.distributed.launch',
  'accelerate.commands.launch',
  'deepspeed.launcher.runner',
]);
const SERVER_MODULES = new Set(['vllm.entrypoints.openai.api_server', 'vllm.entrypoints.api_server']);

function basename(s: string): string {
  const slash = s.lastIndexOf('/');
  return slash >= 0 ? s.slice(slash + 1) : s;
}

const isPython = (s: string) => /^python(\d+(\.\d+)?)?$/.test(basename(s));
const isLmEval = (s: string) => LM_EVAL_NAMES.has(basename(s));
const isLmEvalModule = (s: string) => s === 'lm_eval' || s === 'lm_eval.__main__';
const isVllmCli = (s: string) => basename(s) === 'vllm';

export type ProgramKind =
  | 'lm-eval'
  | 'vllm-serve'
  | 'function'
  | 'shell-c'
  | 'shell'
  | 'python'
  | 'eval'
  | 'cat'
  | 'echo';

export interface ProgramMatch {
  kind: ProgramKind;
  /** Index of the first argument this kind reads (lm-eval's flags, the `-c` script, the call's arguments). */
  argsStart: number;
  launcherStart?: number;
  launcherEnd?: number;
  inlineEnv: ArgWord[];
  serveForm?: 'vllm-serve' | 'api-server' | 'docker';
  fn?: ShellFunction;
}

interface LaunchMatch {
  /** Index of the first lm-eval argument. */
  argsStart: number;
  launcherStart?: number;
  launcherEnd?: number;
  inlineEnv: ArgWord[];
}

/** Find where lm-eval's own arguments start in an argv, through wrappers; undefined if this is not an lm-eval run. */
export function matchLmEvalLaunch(words: readonly ArgWord[]): LaunchMatch | undefined {
  const p = matchProgram(words);
  return p?.kind === 'lm-eval' ? p : undefined;
}

/** What an argv runs, through wrappers and launchers. */
export function matchProgram(words: readonly ArgWord[], scope?: ShellScope): ProgramMatch | undefined {
  return new ProgramMatcher(words, scope).match();
}

/**
 * One argv read from its first word: inline `NAME=v` assignments, then wrappers (each remembered
 * as the launcher), up to the program that runs.
 */
class ProgramMatcher {
  private readonly inlineEnv: ArgWord[] = [];
  private launcherStart: number | undefined;
  private launcherEnd: number | undefined;
  /** A command of the user's own was taken as a wrapper (at most one). */
  private userWrapped = false;

  constructor(
    private readonly words: readonly ArgWord[],
    private readonly scope: ShellScope | undefined,
  ) {}

  match(): ProgramMatch | undefined {
    const words = this.words;
    let k = 0;
    while (k < words.length && assignmentOf(words[k])) this.inlineEnv.push(words[k++]);
    // Bounded: a wrapper's options never run to hundreds of words.
    for (let guard = 0; k < words.length && guard < 64; guard++) {
      const next = this.programAt(k);
      if (typeof next !== 'number') return next;
      k = next;
    }
    return undefined;
  }

  private text(k: number): string {
    return this.words[k]?.value.text ?? '';
  }

  /** The program's own name (after the last `/`) is not known: `"${PYTHON}"`, `$LM_EVAL`. */
  private unknown(k: number): boolean {
    const w = this.text(k);
    const slash = w.lastIndexOf('/');
    return !!this.words[k] && overlapsHole(this.words[k].value, slash + 1, Math.max(slash + 2, w.length));
  }

  private result(kind: ProgramKind, argsStart: number, extra: Partial<ProgramMatch> = {}): ProgramMatch {
    return {
      kind,
      argsStart,
      launcherStart: this.launcherStart,
      launcherEnd: this.launcherEnd,
      inlineEnv: this.inlineEnv,
      ...extra,
    };
  }

  /** lm-eval's `run` subcommand is optional; `ls`, `validate` and help run nothing. */
  private lmEvalAt(argsStart: number): ProgramMatch | undefined {
    const sub = this.text(argsStart);
    if (sub === 'run') return this.result('lm-eval', argsStart + 1);
    if (sub === 'ls' || sub === 'validate' || sub === '--help' || sub === '-h') return undefined;
    return this.result('lm-eval', argsStart);
  }

  /** What the word at k runs; a number is the index of the program a wrapper at k runs. */
  private programAt(k: number): ProgramMatch | number | undefined {
    const w = this.text(k);
    if (this.unknown(k)) return this.unknownProgram(k);
    if (k === this.inlineEnv.length && this.scope?.functions.has(w) && this.launcherStart === undefined)
      return this.result('function', k + 1, { fn: this.scope.functions.get(w) });
    if (isLmEval(w)) {
      if (k + 1 >= this.words.length) return undefined; // bare `lm_eval` prints help
      return this.lmEvalAt(k + 1);
    }
    if (isVllmCli(w))
      return this.text(k + 1) === 'serve' ? this.result('vllm-serve', k + 2, { serveForm: 'vllm-serve' }) : undefined;
    if (isPython(w)) return this.python(k);
    const base = basename(w);
    if (SHELLS.has(base)) return this.shell(k);
    if (base === 'sbatch') return this.sbatch(k);
    if (base === 'eval' && k === this.inlineEnv.length) return this.result('eval', k + 1);
    if (base === 'cat' || base === 'echo' || base === 'printf')
      return this.result(base === 'cat' ? 'cat' : 'echo', k + 1);
    const twoWord = TWO_WORD_WRAPPERS[base]?.has(this.text(k + 1)) ?? false;
    if (twoWord || WRAPPERS.has(base)) return this.wrapper(k, base, twoWord);
    // `run_nohup lm_eval …`: a command of the user's own in front of an unmistakable launch.
    if (!this.userWrapped && isUserWrapper(w, (d) => this.text(k + d))) {
      this.userWrapped = true;
      this.launcherStart ??= k;
      this.launcherEnd = k;
      return k + 1;
    }
    return undefined;
  }

  /** A program word we cannot name (`"${PYTHON}" -m lm_eval`, `"${LM_EVAL}" run …`). */
  private unknownProgram(k: number): ProgramMatch | undefined {
    // `"${PYTHON}" -m lm_eval`: an interpreter we cannot name.
    for (let j = k + 1; j < Math.min(this.words.length, k + 4); j++) {
      if (this.text(j) === '-m') return this.pythonModule(k, j);
      if (!this.text(j).startsWith('-')) break;
    }
    // `"${LM_EVAL}" run --model …`: the variable's own name says which program it holds.
    if (
      /lm[_-]?eval/i.test(this.text(k)) &&
      k + 1 < this.words.length &&
      /^(run|--model|--tasks|-[Mt])$/.test(this.text(k + 1))
    )
      return this.lmEvalAt(k + 1);
    return undefined;
  }

  /** `python [options] -m MODULE …`, `python -` (stdin), `python path/to/lm_eval/__main__.py`. */
  private python(k: number): ProgramMatch | undefined {
    const words = this.words;
    let j = k + 1;
    while (j < words.length && this.text(j).startsWith('-')) {
      const opt = this.text(j);
      if (opt === '-m' || (opt.startsWith('-m') && opt.length > 2)) return this.pythonModule(k, j);
      if (opt === '-c') return undefined;
      if (opt === '-') return this.result('python', j + 1);
      j += opt === '-W' || opt === '-X' ? 2 : 1;
    }
    if (j >= words.length) return this.result('python', j);
    // `python path/to/lm_eval/__main__.py`
    if (/(^|\/)lm_eval\/__main__\.py$/.test(this.text(j))) return this.lmEvalAt(j + 1);
    if (/(^|\/)vllm\/entrypoints\/openai\/api_server\.py$/.test(this.text(j)))
      return this.result('vllm-serve', j + 1, { serveForm: 'api-server' });
    return undefined;
  }

  /** `-m MODULE` (or `-mMODULE`) at j of the interpreter at k. */
  private pythonModule(k: number, j: number): ProgramMatch | undefined {
    const opt = this.text(j);
    const mod = opt === '-m' ? this.text(j + 1) : opt.slice(2);
    const after = opt === '-m' ? j + 2 : j + 1;
    if (isLmEvalModule(mod)) return this.lmEvalAt(after);
    if (SERVER_MODULES.has(mod)) return this.result('vllm-serve', after, { serveForm: 'api-server' });
    if (mod === 'vllm.entrypoints.cli.main' && this.text(after) === 'serve')
      return this.result('vllm-serve', after + 1, { serveForm: 'vllm-serve' });
    if (!LAUNCHER_MODULES.has(mod)) return undefined;
    // `python -m torch.distributed.run … -m lm_eval …`: the rest as if torchrun ran it.
    this.launcherStart ??= k;
    const torchrun: ArgWord = {
      value: { text: 'torchrun', offsets: new Array(9).fill(0), ends: new Array(8).fill(0) },
      range: this.words[after - 1].range,
    };
    const inner = matchProgram([torchrun, ...this.words.slice(after)], this.scope);
    if (!inner) return undefined;
    const shift = after - 1;
    return {
      ...inner,
      argsStart: inner.argsStart + shift,
      launcherStart: this.launcherStart,
      launcherEnd: inner.launcherEnd !== undefined ? inner.launcherEnd + shift : undefined,
      inlineEnv: this.inlineEnv,
    };
  }

  /** `bash -c SCRIPT`, `bash -s` / `bash` (stdin); `bash script.sh` runs another file. */
  private shell(k: number): ProgramMatch | undefined {
    for (let j = k + 1; j < this.words.length; j++) {
      const opt = this.text(j);
      if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(opt)) return this.result('shell-c', j + 1);
      if (opt === '-s') return this.result('shell', j + 1);
      if (opt === '-o' || opt === '+o') {
        j++;
        continue;
      }
      if (!/^[-+]/.test(opt)) return undefined; // `bash script.sh`: another file
    }
    return this.result('shell', this.words.length);
  }

  /** `sbatch --wrap SCRIPT`, `sbatch` reading its script from stdin; `sbatch job.sh` submits another file. */
  private sbatch(k: number): ProgramMatch | undefined {
    for (let j = k + 1; j < this.words.length; j++) {
      const opt = this.text(j);
      if (opt === '--wrap') return this.result('shell-c', j + 1);
      if (opt.startsWith('--wrap=')) return this.result('shell-c', j);
      if (!opt.startsWith('-') && (/\.(sh|bash|slurm|sbatch|job)$/.test(opt) || opt.includes('/'))) return undefined;
    }
    return this.result('shell', this.words.length);
  }

  /** A wrapper at k: skip its options (and `env`'s assignments) up to the program it runs, returned as an index. */
  private wrapper(k: number, base: string, twoWord: boolean): ProgramMatch | number | undefined {
    const words = this.words;
    this.launcherStart ??= k;
    if (base === 'docker' || base === 'podman') return this.container(k);
    let j = k + (twoWord ? 2 : 1);
    for (; j < words.length && j - k < 64; j++) {
      const x = this.text(j);
      if (
        isLmEval(x) ||
        isPython(x) ||
        isVllmCli(x) ||
        SHELLS.has(basename(x)) ||
        (TWO_WORD_WRAPPERS[basename(x)]?.has(this.text(j + 1)) && j + 1 < words.length) ||
        WRAPPERS.has(basename(x))
      )
        break;
      if ((x === '-m' || x === '--module') && isLmEvalModule(this.text(j + 1))) break;
      if (x.endsWith('.py') || x.endsWith('.sh')) return undefined; // it runs some other script
      if (assignmentOf(words[j]) && base === 'env') this.inlineEnv.push(words[j]);
    }
    if (j >= words.length) return undefined;
    const x = this.text(j);
    if (x === '-m' || x === '--module') {
      this.launcherEnd = j;
      return this.lmEvalAt(j + 2);
    }
    this.launcherEnd = j - 1;
    return j;
  }

  /** `docker run [options] IMAGE [command]`: a vLLM image without a command serves by itself. */
  private container(k: number): ProgramMatch | number | undefined {
    const text = (n: number) => this.text(n);
    const image = containerImageIndex(text, k + 2, Math.min(this.words.length, k + 66));
    if (image === undefined) return undefined;
    this.launcherEnd = image;
    const served = image + 1 >= this.words.length || text(image + 1).startsWith('-');
    if (text(k + 1) === 'run' && served && isVllmServerImage(text(image)))
      return this.result('vllm-serve', image + 1, { serveForm: 'docker' });
    return image + 1;
  }
}
