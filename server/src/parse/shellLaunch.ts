// An argv that runs lm-eval or `vllm serve`, as a launch: lm-eval's flags (lmEvalFlags.ts) or the
// server's (vllmServe.ts), the wrapper words before the program as its launcher, and the
// environment the command sees (the script's exports plus its own `NAME=v` prefixes).
import type { OffsetRange } from '../shared/findings';
import { invocationFromFlags } from './lmEvalFlags';
import { mappedRange } from './mappedText';
import { assignmentOf, type ArgWord } from './shellCommand';
import { matchProgram, type ProgramMatch } from './shellPrograms';
import type { ShellScope } from './shellScope';
import type { EmbeddingKind, Located, LmEvalInvocation } from './types';
import { serveInvocation } from './vllmServe';

export interface ArgvOptions {
  embedding: EmbeddingKind;
  env?: Record<string, Located<string>>;
}

/** Build the invocation from a whole argv (program first), or undefined when it does not run lm-eval. */
export function invocationFromArgv(words: readonly ArgWord[], opts: ArgvOptions): LmEvalInvocation | undefined {
  const m = matchProgram(words);
  if (!m || (m.kind !== 'lm-eval' && m.kind !== 'vllm-serve')) return undefined;
  let env: Record<string, Located<string>> = opts.env ?? {};
  if (m.inlineEnv.length) {
    env = { ...env };
    for (const w of m.inlineEnv) {
      const a = assignmentOf(w);
      if (a) env[a.name] = { value: a.value.text, range: mappedRange(a.value, 0, a.value.text.length) };
    }
  }
  const range = { start: words[0].range.start, end: words[words.length - 1].range.end };
  return launchOf(words, m, opts.embedding, env, range);
}

/** The launch of an argv whose program `m` is lm-eval or `vllm serve`. */
export function launchOf(
  words: readonly ArgWord[],
  m: ProgramMatch,
  embedding: EmbeddingKind,
  env: Record<string, Located<string>>,
  range: OffsetRange,
): LmEvalInvocation {
  const inv =
    m.kind === 'lm-eval'
      ? invocationFromFlags(words.slice(m.argsStart), embedding, env, range)
      : serveInvocation(words, m.argsStart, m.serveForm ?? 'vllm-serve', embedding, env, range);
  setLauncher(inv, words, m);
  return inv;
}

function setLauncher(inv: LmEvalInvocation, words: readonly ArgWord[], m: ProgramMatch): void {
  if (m.launcherStart === undefined || m.launcherEnd === undefined || m.launcherEnd < m.launcherStart) return;
  const ws = words.slice(m.launcherStart, m.launcherEnd + 1);
  inv.launcher = {
    value: ws.map((w) => w.value.text).join(' '),
    range: { start: ws[0].range.start, end: ws[ws.length - 1].range.end },
  };
}

/** The environment a command sees: the scope's, with its `NAME=v` prefixes (one whose value is unknown is left out). */
export function commandEnv(scope: ShellScope, inline: ArgWord[]): Record<string, Located<string>> {
  const base = scope.env();
  if (!inline.length) return base;
  const env: Record<string, Located<string>> = { ...base };
  for (const w of inline) {
    const a = assignmentOf(w);
    if (a && !a.value.holes?.length)
      env[a.name] = { value: a.value.text, range: mappedRange(a.value, 0, a.value.text.length) };
    else if (a) delete env[a.name];
  }
  return env;
}
