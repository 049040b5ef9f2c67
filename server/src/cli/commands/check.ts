// `lm-eval-lens check PATH...`: the language service over files, for people and for CI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFactProviders } from '../../node/providers';
import { nodeTaskFileSystem } from '../../node/taskFileSystem';
import { reportConfigProblems, runCheck } from '../check';
import {
  COMMON_OPTIONS_HELP,
  ESTIMATE_OPTIONS,
  ESTIMATE_OPTIONS_HELP,
  EXIT,
  fileErrorReason,
  UsageError,
  oneOf,
  settingsFromFlags,
  type CliIO,
  type Command,
  type OptionValues,
} from '../command';
import { checkJson, otherHarnessSummaryLines, versionSummaryLines } from '../checkJson';
import { progressLine } from '../progress';
import { formatGithub, formatText, summarize } from '../report';
import { toSarif } from '../sarif';

const FORMATS = ['text', 'sarif', 'github', 'json'] as const;

/** The PATHs with `-` replaced by stdin's name (--stdin-filename, else guessed from the text) and its text. */
async function stdinInput(
  positionals: string[],
  values: OptionValues,
  format: string,
  io: CliIO,
): Promise<{ inputs: string[]; documents: Map<string, string> }> {
  if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('- (stdin) may be given once');
  const documents = new Map<string, string>();
  const inputs = [...positionals];
  if (!positionals.includes('-')) {
    if (values['stdin-filename'] !== undefined) throw new UsageError('--stdin-filename needs - as a PATH');
    return { inputs, documents };
  }
  // SARIF and workflow annotations point at a file in the repository: a guessed name is none.
  if (values['stdin-filename'] === undefined && (format === 'sarif' || format === 'github'))
    throw new UsageError(
      `--format ${format} with - (stdin) needs --stdin-filename: the repository path the results point at`,
    );
  const text = await io.readStdin();
  const name = typeof values['stdin-filename'] === 'string' ? values['stdin-filename'] : guessStdinName(text);
  inputs[inputs.indexOf('-')] = name;
  documents.set(name, text);
  return { inputs, documents };
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'check scripts, notebooks, run configs and task YAML for vLLM OOMs and config mistakes',
  synopsis: ['check [options] PATH...', 'check [options] --stdin-filename NAME -'],
  options: {
    ...ESTIMATE_OPTIONS,
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'stdin-filename': { type: 'string' },
  },
  allowPositionals: true,
  optionsHelp: `  --format FORMAT          text (default), github (workflow annotations), sarif (code scanning) or
                           json (findings plus each launch's model, GPU, versions and their sources)
  -o, --output FILE        write the report to FILE instead of stdout
  --stdin-filename NAME    with PATH "-": check stdin as if it were the file NAME (its extension
                           picks the parser; default: guessed from the text). Needed with
                           --format sarif or github: their results point at NAME in the repository
${ESTIMATE_OPTIONS_HELP}
${COMMON_OPTIONS_HELP}`,
  epilog: `Directories are searched for the files lm-eval-lens understands (shell and SLURM scripts, Python,
notebooks, JSON, Markdown, YAML). Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure
(a PATH that does not exist, an unknown --gpu, a version that cannot be read).

Examples:
  lm-eval-lens check .
  lm-eval-lens check --gpu L4 --vllm-version 0.6.3 scripts/
  lm-eval-lens check --format github .
  cat run.sh | lm-eval-lens check -`,
  async run({ values, positionals, io, style, errStyle, quiet, version }) {
    if (!positionals.length) throw new UsageError('check needs at least one PATH (or - for stdin)');
    const format = oneOf('format', values.format, FORMATS, 'text');
    const settings = settingsFromFlags(values);
    const missing = positionals.filter((p) => p !== '-' && !fs.existsSync(p));
    if (missing.length) {
      for (const p of missing) io.err(`${errStyle.red(errStyle.bold('error'))}: ${p}: no such file or directory`);
      return EXIT.usage;
    }
    const { inputs, documents } = await stdinInput(positionals, values, format, io);

    // Task names in launches resolve against the folders being checked (not the whole cwd).
    const workspaceRoots = inputs.map((p) => (isDirectory(p) ? p : path.dirname(path.resolve(p))));
    const cwd = process.cwd();
    // Project files (pins, the config file) are looked up from each file to its repository root.
    const providers = nodeFactProviders({
      settings,
      workspaceRoots,
      trusted: true,
      displayBase: cwd,
      projectRoots: [],
    });
    // Duplicate names against an installed lm-eval, unless what is checked is that install.
    const builtin = inputs.map((p) => providers.builtinTaskNames(path.resolve(p)));
    const builtinNames = builtin.every((b) => b !== undefined) ? builtin[0] : undefined;
    const taskConfig = { fs: nodeTaskFileSystem(), harnessVersion: settings.harnessVersion || undefined, builtinNames };
    const progress = progressLine(io, io.stderrIsTTY && !quiet);
    const onProgress = (phase: string, done: number, total: number) => progress.update(phase, done, total);
    let result = runCheck(inputs, settings, providers, taskConfig, { documents, onProgress });
    if (settings.allowNetwork && result.findings.some((f) => f.code === 'unknown-model')) {
      // Models looked up on the Hub during the first pass: check again with their answers.
      await providers.pendingLookups();
      result = runCheck(inputs, settings, providers, taskConfig, { documents, onProgress });
    }
    progress.clear();
    for (const e of result.ioErrors) io.err(`lm-eval-lens: ${e}`);
    const rel = (f: string) => path.relative(cwd, f) || f;
    if (reportConfigProblems(result.configProblems, io.err, rel)) return EXIT.usage;

    const findings = quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
    // A person reads one line per other harness rather than its note on every file.
    const listed =
      format === 'text' || format === 'github' ? findings.filter((f) => f.code !== 'other-harness') : findings;
    const toFile = typeof values.output === 'string';
    const body =
      format === 'sarif'
        ? JSON.stringify(toSarif(findings, version), null, 2)
        : format === 'json'
          ? JSON.stringify(checkJson(result, findings, rel, version), null, 2)
          : format === 'github'
            ? // Lines that are not workflow commands show in the job log: end with the summary.
              [
                formatGithub(listed, rel),
                ...(quiet ? [] : otherHarnessSummaryLines(result)),
                quiet ? '' : summarize(findings, result.filesChecked),
              ]
                .filter(Boolean)
                .join('\n')
            : [
                formatText(listed, rel, toFile ? undefined : style),
                quiet
                  ? ''
                  : [
                      ...versionSummaryLines(result).map((l) => `Judged with ${l}`),
                      ...otherHarnessSummaryLines(result),
                    ].join('\n'),
                quiet ? '' : summarize(findings, result.filesChecked),
              ]
                .filter(Boolean)
                .join('\n');
    if (toFile) {
      try {
        fs.writeFileSync(values.output as string, `${body}\n`);
      } catch (e) {
        io.err(`lm-eval-lens: cannot write ${values.output as string}: ${fileErrorReason(e)}`);
        return EXIT.usage;
      }
    } else if (body) io.out(body);
    if (result.filesChecked === 0 && result.ioErrors.length) return EXIT.usage;
    return result.findings.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
  },
};

/**
 * A file name for stdin without --stdin-filename: the parser follows the extension, so guess it from
 * the text (JSON, a notebook, Python, a task YAML), else a shell script.
 */
export function guessStdinName(text: string): string {
  const head = text.slice(0, 64 * 1024);
  if (/^\s*\{[\s\S]*"cells"\s*:/.test(head)) return 'stdin.ipynb';
  if (/^\s*[[{]/.test(head)) return 'stdin.json';
  if (/^\s*(import \w|from [\w.]+ import )|\bsimple_evaluate\s*\(/m.test(head)) return 'stdin.py';
  if (/^```/m.test(head)) return 'stdin.md';
  if (!/^\s*(lm[_-]eval|python|accelerate|vllm|srun|#!)/m.test(head) && /^[A-Za-z_][\w-]*\s*:(\s|$)/m.test(head))
    return 'stdin.yaml';
  return 'stdin.sh';
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
