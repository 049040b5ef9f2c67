// A command of the user's own in front of a launch: `run_nohup lm_eval …`, `track lm_eval …` (a
// shell function or script from their .bashrc, QA D4). Nothing says what such a word does, so it is
// read as a wrapper only when what follows is unmistakably a launch — lm-eval followed by its `run`
// subcommand or one of its own long flags, `python -m lm_eval`, `vllm serve` — and the word is not
// a program known to do something else with those words (`which lm_eval`, `pip show lm-eval`,
// `ls lm_eval --color`, `kill …`).

/** Programs that name a launch without running it (they read, find, install or stop it). */
const NOT_RUNNERS = new Set([
  'alias',
  'apropos',
  'apt',
  'apt-get',
  'brew',
  'cat',
  'cd',
  'chmod',
  'chown',
  'command',
  'compgen',
  'conda',
  'cp',
  'curl',
  'declare',
  'diff',
  'echo',
  'export',
  'find',
  'git',
  'grep',
  'hash',
  'head',
  'help',
  'info',
  'kill',
  'killall',
  'less',
  'ln',
  'locate',
  'ls',
  'man',
  'mamba',
  'mkdir',
  'more',
  'mv',
  'pgrep',
  'pidof',
  'pip',
  'pip3',
  'pipx',
  'pkill',
  'printf',
  'ps',
  'read',
  'rg',
  'rm',
  'set',
  'source',
  'tail',
  'tee',
  'test',
  'touch',
  'type',
  'unalias',
  'unset',
  'uv',
  'wget',
  'whatis',
  'whereis',
  'which',
]);

/** What lm-eval's argv starts with in a real run: the `run` subcommand or one of its long flags. */
const LM_EVAL_FIRST_ARG =
  /^(?:run|--(?:model|model_args|tasks|config|include_path|output_path|batch_size|log_samples|limit|device)(?:=.*)?)$/;

const basename = (s: string) => s.slice(s.lastIndexOf('/') + 1);

/**
 * Whether `word` (an unknown command) wraps the launch that starts in the words after it;
 * `next(d)` is the d-th word after it ('' past the end).
 */
export function isUserWrapper(word: string, next: (d: number) => string): boolean {
  if (!/^[A-Za-z_][\w.-]*$/.test(word) || NOT_RUNNERS.has(word)) return false;
  const program = basename(next(1));
  if (program === 'lm_eval' || program === 'lm-eval') return LM_EVAL_FIRST_ARG.test(next(2));
  if (/^python(\d+(\.\d+)?)?$/.test(program)) return next(2) === '-m' && /^lm_eval(\.__main__)?$/.test(next(3));
  return program === 'vllm' && next(2) === 'serve' && next(3) !== '' && next(3) !== '--help';
}
