// What every `lm-eval-lens` subcommand is: a name, its help, its flags (node:util parseArgs) and a
// run function. main.ts dispatches; a new subcommand is one file under commands/ and one line in
// main.ts's COMMANDS.
import type { ParseArgsConfig } from 'node:util';
import { resolveGpu } from '../memory/gpus';
import { parseVllmVersion } from '../memory/version';
import { normalizeSettings, type LmEvalLensSettings } from '../shared/settings';
import type { Style } from './style';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The process as a command sees it; tests pass their own. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Writes without a newline, for the progress line (`\r` rewrites it). */
  errRaw(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: Record<string, string | undefined>;
  readStdin(): Promise<string>;
  /** stdin as a stream of chunks, for inputs too large to hold (explain reads 100 MB logs). */
  stdinChunks?(): AsyncIterable<Uint8Array | string>;
}

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  io: CliIO;
  /** Colours for stdout (none when it is not a terminal, NO_COLOR, --no-color). */
  style: Style;
  /** Colours for stderr. */
  errStyle: Style;
  quiet: boolean;
  version: string;
}

export interface Command {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** Synopsis lines, without the program name: `check [options] PATH...`. */
  synopsis: string[];
  /** The options section of `--help`, already formatted. */
  optionsHelp: string;
  /** Examples and notes printed after the options. */
  epilog?: string;
  options: OptionSpecs;
  allowPositionals?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

/** A mistake in how the command was called: exit 2 with the command's synopsis, not a stack. */
export class UsageError extends Error {}

/** Why a file could not be read or written, in words: `no such file or directory`, not `ENOENT: …, open '…'`. */
export function fileErrorReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
}

/** Exit status: the contract every subcommand follows (ruff's and ESLint's). */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** Flags for the memory estimate, shared by `check` and `estimate`. */
export const ESTIMATE_OPTIONS: OptionSpecs = {
  gpu: { type: 'string' },
  'gpu-count': { type: 'string' },
  'vllm-version': { type: 'string' },
  'harness-version': { type: 'string' },
  'no-detect': { type: 'boolean' },
  'allow-network': { type: 'boolean' },
};

export const ESTIMATE_OPTIONS_HELP = `  --gpu NAME               GPU for memory estimates: a catalog name (A100-80GB, H100-80GB, L4, ...),
                           N x a name (4xA100-80GB) or the total memory PyTorch reports (79.15GiB)
  --gpu-count N            GPUs available (default: as many as the configuration asks for)
  --vllm-version X.Y.Z     vLLM version whose memory accounting applies (default: read from the
                           project: a directive, the config file, the script's pip install or
                           image, pins, the installed package; else the newest modelled)
  --harness-version X.Y.Z  lm-eval version whose rules apply (default: read from the project
                           likewise, or a vendored lm-eval; else the newest modelled)
  --no-detect              do not run nvidia-smi to detect the GPUs
  --allow-network          fetch config.json of unknown models from the Hugging Face Hub
                           (honours HF_ENDPOINT and HF_TOKEN)`;

/** Flags every subcommand takes. */
export const COMMON_OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
};

export const COMMON_OPTIONS_HELP = `  -q, --quiet              print only errors: no warnings, notes, summary or progress
      --color, --no-color  force or turn off colour (default: on when the output is a terminal;
                           NO_COLOR and FORCE_COLOR are honoured)
  -h, --help               print this help`;

const HARNESS_VERSION_RE = /^(latest|v?\d{1,4}\.\d{1,4}(\.\d{1,4})?([.+-]?[0-9A-Za-z]+)*)$/;

/**
 * Settings from the estimate flags. A GPU, a count or a version that cannot be read is a usage
 * error (exit 2), never a silent fallback to the default GPU. `allowAll` admits `--gpu all`.
 */
export function settingsFromFlags(values: OptionValues, allowAll = false): LmEvalLensSettings {
  let gpu = typeof values.gpu === 'string' ? values.gpu.trim() : '';
  let gpuCount = 0;
  const multi = /^(\d+)\s*[x×*]\s*(.+)$/i.exec(gpu);
  if (multi) [gpuCount, gpu] = [Number(multi[1]), multi[2]];
  if (typeof values.gpu === 'string') {
    if (!gpu) throw new UsageError('--gpu needs a value');
    if (!(allowAll && gpu.toLowerCase() === 'all') && !resolveGpu(gpu))
      throw new UsageError(
        `unknown GPU "${gpu}": use a catalog name such as A100-80GB${allowAll ? ', all' : ''} or a size such as 79.15GiB`,
      );
    if (multi && gpuCount < 1) throw new UsageError(`--gpu ${values.gpu}: the count must be at least 1`);
  }
  if (typeof values['gpu-count'] === 'string') {
    gpuCount = Number(values['gpu-count']);
    if (!Number.isInteger(gpuCount) || gpuCount < 1)
      throw new UsageError(`--gpu-count must be a positive integer, got "${values['gpu-count']}"`);
  }
  const vllmVersion = typeof values['vllm-version'] === 'string' ? values['vllm-version'].trim() : '';
  if (typeof values['vllm-version'] === 'string' && !parseVllmVersion(vllmVersion))
    throw new UsageError(`cannot read --vllm-version "${values['vllm-version']}": expected a version such as 0.6.3`);
  const harnessVersion = typeof values['harness-version'] === 'string' ? values['harness-version'].trim() : '';
  if (typeof values['harness-version'] === 'string' && !HARNESS_VERSION_RE.test(harnessVersion))
    throw new UsageError(
      `cannot read --harness-version "${values['harness-version']}": expected a version such as 0.4.9`,
    );
  return normalizeSettings({
    gpu,
    gpuCount,
    vllmVersion,
    harnessVersion,
    // The CLI runs in the user's own shell: detect GPUs with nvidia-smi from PATH when present.
    nvidiaSmiPath: values['no-detect'] ? '' : 'nvidia-smi',
    allowNetwork: values['allow-network'] === true,
  });
}

/** The value of a string flag that may be given once (parseArgs keeps the last). */
export function oneOf<T extends string>(flag: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}, got "${value}"`);
}
