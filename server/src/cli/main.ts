// The lm-eval-lens CLI: a dispatcher over the subcommands in commands/. Conventions follow ruff and
// ESLint: `--help` on every subcommand, `-V/--version`, the synopsis only after a usage error, exit
// 0 clean / 1 findings / 2 usage or I/O.
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { checkCommand } from './commands/check';
import { estimateCommand } from './commands/estimate';
import { explainCommand } from './commands/explain';
import { calibrateCommand } from './commands/calibrate';
import { COMMON_OPTIONS, EXIT, UsageError, type CliIO, type Command } from './command';
import { colorEnabled, makeStyle } from './style';

const VERSION: string = version;
const PROGRAM = 'lm-eval-lens';

/** The subcommands, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [checkCommand, estimateCommand, explainCommand, calibrateCommand];

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `${PROGRAM} ${VERSION}: vLLM out-of-memory and lm-eval task-config checks

Usage: ${PROGRAM} <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -V, --version  print the version
  -h, --help     print this help

Run '${PROGRAM} <command> --help' for a command's options.
Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.`;
}

export function commandHelp(c: Command): string {
  return [
    `${PROGRAM} ${c.name}: ${c.summary}`,
    '',
    `Usage: ${c.synopsis.map((s, i) => `${i ? '       ' : ''}${PROGRAM} ${s}`).join('\n')}`,
    '',
    'Options:',
    c.optionsHelp,
    ...(c.epilog ? ['', c.epilog] : []),
  ].join('\n');
}

/** After a usage error: the message, the synopsis and where the full help is (never the whole help). */
function usageError(message: string, c: Command | undefined, io: CliIO): number {
  const style = makeStyle(colorEnabled(io.stderrIsTTY, io.env));
  const synopsis = c ? c.synopsis.map((s) => `${PROGRAM} ${s}`) : [`${PROGRAM} <command> [options]`];
  io.err(
    `${style.red(style.bold('error'))}: ${message}\n\nUsage: ${synopsis.join('\n       ')}\n\n` +
      `For more information, try '${PROGRAM}${c ? ` ${c.name}` : ''} --help'.`,
  );
  return EXIT.usage;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) return usageError('no command given', undefined, io);
  if (first === '-h' || first === '--help' || first === 'help') {
    const named = rest[0] !== undefined ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (rest[0] !== undefined && !named) return usageError(`unknown command "${rest[0]}"`, undefined, io);
    io.out(named ? commandHelp(named) : topLevelHelp());
    return EXIT.ok;
  }
  if (first === '-V' || first === '--version') {
    io.out(VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    const hint = first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`;
    return usageError(`${hint} (commands: ${COMMANDS.map((c) => c.name).join(', ')})`, undefined, io);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
      options: { ...COMMON_OPTIONS, ...command.options },
    });
  } catch (e) {
    return usageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''), command, io);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  const flags = { color: values.color === true, noColor: values['no-color'] === true };
  try {
    return await command.run({
      values,
      positionals: parsed.positionals,
      io,
      style: makeStyle(colorEnabled(io.stdoutIsTTY, io.env, flags)),
      errStyle: makeStyle(colorEnabled(io.stderrIsTTY, io.env, flags)),
      quiet: values.quiet === true,
      version: VERSION,
    });
  } catch (e) {
    if (e instanceof UsageError) return usageError(e.message, command, io);
    io.err(`${PROGRAM}: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT.usage;
  }
}
