// `lm-eval-lens explain FILE|-`: why a vLLM / lm-eval run failed, from its log (a file, or stdin so a
// job's output can be piped in): the failure, its cause in the launch rules' codes, the fix, and the
// memory model's self-check against the figures vLLM logged.
import { diagnoseLog } from '../../logs/diagnose';
import type { LogFacts } from '../../logs/types';
import { nodeFactProviders } from '../../node/providers';
import { normalizeSettings } from '../../shared/settings';
import { COMMON_OPTIONS_HELP, EXIT, fileErrorReason, type Command, type CliIO, UsageError, oneOf } from '../command';
import { diagnosisJson, diagnosisText, readLogSource } from '../explain';
import { resolveGpu } from '../../memory/gpus';

const FORMATS = ['text', 'json'] as const;

/** stdin as a stream when the process gives one (bounded memory), else read whole. */
export function stdinChunks(io: CliIO): () => AsyncIterable<Uint8Array | string> {
  return (
    io.stdinChunks ??
    async function* () {
      yield await io.readStdin();
    }
  );
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'explain a vLLM / lm-eval log: the failure, its cause, the fix',
  synopsis: ['explain [--format text|json] [--gpu NAME] FILE|-'],
  options: {
    format: { type: 'string' },
    gpu: { type: 'string' },
    'allow-network': { type: 'boolean' },
  },
  allowPositionals: true,
  optionsHelp: `  --format FORMAT          text (default) or json (the fields documented in the README)
  --gpu NAME               the GPU when the log does not show its memory (catalog name or 79.15GiB)
  --allow-network          fetch config.json of a model in neither the catalog nor the local
                           Hugging Face cache from the Hub (honours HF_ENDPOINT and HF_TOKEN)
${COMMON_OPTIONS_HELP}`,
  epilog: `Exit status: 1 a failure was found, 0 a healthy start (or no failure in the log), 2 usage or
I/O failure.

Examples:
  lm-eval-lens explain slurm-1234.out
  python -m lm_eval --model vllm ... 2>&1 | tee run.log | lm-eval-lens explain -
  lm-eval-lens explain --format json logs/eval.err`,
  async run({ values, positionals, io }) {
    if (positionals.length !== 1) throw new UsageError('explain takes one FILE (or - for stdin)');
    const format = oneOf('format', values.format, FORMATS, 'text');
    const gpu = typeof values.gpu === 'string' ? values.gpu.trim() : '';
    if (typeof values.gpu === 'string' && !resolveGpu(gpu))
      throw new UsageError(
        `unknown GPU "${values.gpu}": use a catalog name such as A100-80GB or a size such as 79.15GiB`,
      );
    const file = positionals[0];
    let facts: LogFacts;
    try {
      facts = await readLogSource(file, stdinChunks(io));
    } catch (e) {
      io.err(`lm-eval-lens: cannot read ${file}: ${fileErrorReason(e)}`);
      return EXIT.usage;
    }
    const settings = normalizeSettings({ gpu, allowNetwork: values['allow-network'] === true });
    const providers = nodeFactProviders({ settings, workspaceRoots: [], trusted: true });
    let d = diagnoseLog(facts, providers, { fallbackGpu: gpu });
    if (settings.allowNetwork && d.launch.model && !d.launch.architecture) {
      await providers.pendingLookups();
      d = diagnoseLog(facts, providers, { fallbackGpu: gpu });
    }
    const name = file === '-' ? '<stdin>' : file;
    io.out(format === 'json' ? JSON.stringify(diagnosisJson(name, facts, d), null, 2) : diagnosisText(name, facts, d));
    return d.status === 'failed' ? EXIT.findings : EXIT.ok;
  },
};
