// Which script of the workspace launched the run a log shows, so a fix can be applied there:
//   1. the log names it: an echoed `bash eval.sh` / `sbatch run.slurm` / `python run_eval.py`;
//   2. a SLURM script whose `#SBATCH --output` (or `--error`) pattern produces the log's file name
//      (`slurm-%j.out` when none is given);
//   3. a script that launches lm-eval with the same model and, for every setting both write, the same
//      value (a `$VAR` in the script matches anything).
// Pure: the caller passes the candidate files' texts.
import { argsByKey } from '../facts/vllmSettings';
import { findInvocations } from '../parse/invocations';
import type { LmEvalInvocation } from '../parse/types';
import type { LogFacts } from './types';

export interface ScriptFile {
  /** Absolute path. */
  path: string;
  text: string;
}

export interface LaunchingScript {
  file: ScriptFile;
  invocation: LmEvalInvocation;
  /** How it was identified, in words for the code action's title. */
  how: 'echoed command' | 'SLURM --output' | 'same model and arguments';
}

const SCRIPT_RUN =
  /(?:^|\s)(?:bash|sh|zsh|sbatch|srun|source|\.|python\d*(?:\.\d+)?)\s+(?:-\S+\s+)*([^\s;|&]+\.(?:sh|bash|slurm|sbatch|job|py))\b/;

function norm(p: string): string {
  return p.replace(/\\/g, '/');
}

function dirname(p: string): string {
  const n = norm(p);
  const i = n.lastIndexOf('/');
  return i > 0 ? n.slice(0, i) : '';
}

function basename(p: string): string {
  const n = norm(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

/** `#SBATCH --output=logs/%x-%j.out` → a regex over a path's tail (SLURM's filename patterns). */
export function slurmOutputPattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '%' && i + 1 < pattern.length) {
      const m = /^(\d*)([%AaJjNnstuxb])/.exec(pattern.slice(i + 1));
      if (m) {
        i += m[0].length;
        re += m[2] === '%' ? '%' : /[AaJjnst]/.test(m[2]) ? '\\d+' : '[^/]+';
        continue;
      }
    }
    if (ch === '\\' && i + 1 < pattern.length) {
      re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(?:^|/)${re}$`);
}

function sbatchOutputs(text: string): string[] {
  const out: string[] = [];
  const re = /^[ \t]*#SBATCH[ \t]+(?:--output|--error|-o|-e)(?:=|[ \t]+)["']?([^\s"']+)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]);
  return out;
}

function modelOf(inv: LmEvalInvocation): string | undefined {
  const p = inv.modelArgs?.args.find((a) => a.key.trim() === 'pretrained' || a.key.trim() === 'model');
  return p && !p.unresolved && typeof p.value === 'string' ? p.value : undefined;
}

function sameModel(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const tail = (s: string) => norm(s).replace(/\/+$/, '').split('/').slice(-2).join('/').toLowerCase();
  return tail(a) === tail(b) || basename(a).toLowerCase() === basename(b).toLowerCase();
}

const LM_EVAL_NAMES: Record<string, string> = { max_length: 'max_model_len', max_batch_size: 'max_num_seqs' };

/** How many logged settings the launch writes with the same value; -1 when one disagrees. */
function agreement(inv: LmEvalInvocation, facts: LogFacts): number {
  let score = 0;
  for (const [key, arg] of argsByKey(inv.modelArgs?.args ?? [])) {
    const name = LM_EVAL_NAMES[key] ?? key;
    const logged = facts.settings[name];
    if (!logged || arg.unresolved || name === 'model' || name === 'pretrained') continue;
    // vLLM's own config prints derived values (max_seq_len when none was passed): only what the
    // user passed can contradict the script.
    if (facts.settingSources[name] === 'engine-config' && name === 'max_model_len') continue;
    const a = String(arg.value)
      .toLowerCase()
      .replace(/^torch\./, '');
    const b = String(logged.value).toLowerCase();
    if (a === b || (Number(a) === Number(b) && a.trim() !== '')) score++;
    else if (!(name === 'dtype' && (a === 'auto' || a === 'float' || a === 'half'))) return -1;
  }
  return score;
}

function vllmLaunches(file: ScriptFile): LmEvalInvocation[] {
  return findInvocations(file.text, { path: file.path }).filter((inv) => /^vllm/.test(inv.model?.value.trim() ?? ''));
}

/** Job scripts first: a log is most often a shell or SLURM job's output. */
function kindRank(p: string): number {
  if (/\.(sh|bash|zsh|slurm|sbatch|job)$/i.test(p)) return 0;
  if (/\.py$/i.test(p)) return 1;
  return 2;
}

/** Folders between a script and the log (0 = same folder). */
function distance(script: string, log: string): number {
  const a = dirname(script).split('/');
  const b = dirname(log).split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return a.length - common + (b.length - common);
}

function isBetter(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/** The launching script and its lm-eval launch, or undefined when no candidate is convincing. */
export function findLaunchingScript(
  logPath: string,
  facts: LogFacts,
  scripts: readonly ScriptFile[],
): LaunchingScript | undefined {
  const model = facts.model?.value;
  const best = (inv: LmEvalInvocation[]) =>
    inv.find((i) => sameModel(modelOf(i), model)) ?? (inv.length === 1 ? inv[0] : undefined);

  // 1. The log echoes the script it ran.
  const named = facts.scriptRun?.value ?? (facts.command ? SCRIPT_RUN.exec(facts.command.value)?.[1] : undefined);
  if (named) {
    const target = norm(named).replace(/^\.\//, '');
    for (const file of scripts) {
      if (!norm(file.path).endsWith(`/${target}`) && basename(file.path) !== target) continue;
      const inv = best(vllmLaunches(file));
      if (inv) return { file, invocation: inv, how: 'echoed command' };
    }
  }
  // 2. A SLURM script whose --output pattern names this log.
  const logName = norm(logPath);
  for (const file of scripts) {
    if (!/^[ \t]*#SBATCH/m.test(file.text)) continue;
    const patterns = sbatchOutputs(file.text);
    const defaultName = patterns.length === 0 && /(^|\/)slurm-\d+(_\d+)?\.out$/.test(logName);
    const matches =
      defaultName ||
      patterns.some((p) => {
        const re = slurmOutputPattern(p.startsWith('/') ? p : p.replace(/^\.\//, ''));
        return re.test(logName) || re.test(logName.slice(dirname(file.path).length + 1));
      });
    if (!matches) continue;
    const inv = best(vllmLaunches(file));
    // The default slurm-%j.out could come from any SLURM script: the model must agree then.
    if (inv && (!defaultName || sameModel(modelOf(inv), model)))
      return { file, invocation: inv, how: 'SLURM --output' };
  }
  // 3. The same model and settings; among equals, a job script (shell, SLURM) before Python, a run
  // config or a notebook, then the one nearest the log.
  let found: { file: ScriptFile; inv: LmEvalInvocation; rank: number[] } | undefined;
  for (const file of scripts) {
    for (const inv of vllmLaunches(file)) {
      if (!sameModel(modelOf(inv), model)) continue;
      const score = agreement(inv, facts);
      if (score < 0) continue;
      const rank = [score, -kindRank(file.path), -distance(file.path, logName)];
      if (!found || isBetter(rank, found.rank)) found = { file, inv, rank };
    }
  }
  return found ? { file: found.file, invocation: found.inv, how: 'same model and arguments' } : undefined;
}
