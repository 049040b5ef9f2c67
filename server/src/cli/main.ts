// The lm-eval-lens CLI: `check` files for CI (text or SARIF) and `estimate` one configuration.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { nodeFactProviders } from '../node/providers';
import { normalizeSettings, type LmEvalLensSettings } from '../shared/settings';
import { nodeTaskFileSystem } from '../node/taskFileSystem';
import { runCheck } from './check';
import { estimateJson, estimateText, launchFromFlags } from './estimate';
import { formatText, summarize } from './report';
import { toSarif } from './sarif';

const VERSION: string = version;

const USAGE = `Usage:
  lm-eval-lens check [--gpu NAME] [--gpu-count N] [--vllm-version X.Y.Z] [--harness-version X.Y.Z]
                     [--format text|sarif] [--output FILE] PATH...
  lm-eval-lens estimate --model-args STR [--tasks T] [--batch-size B] [--gpu NAME] [--gpu-count N]
                        [--vllm-version X.Y.Z] [--format text|json]

Common flags: --allow-network (fetch config.json of unknown models from the Hugging Face Hub,
honouring HF_ENDPOINT and HF_TOKEN), --no-detect (do not run nvidia-smi).

--gpu takes a catalog name (A100-80GB, H100-80GB, L4, ...), N x a name (4xA100-80GB), or the total
memory PyTorch reports (79.15GiB). Without a count, the GPUs the config asks for are assumed.
Exit status: 0 no errors, 1 errors found (or the estimate will fail), 2 usage or I/O failure.`;

class UsageError extends Error {}

function settingsFrom(values: Record<string, string | boolean | undefined>): LmEvalLensSettings {
  let gpu = typeof values.gpu === 'string' ? values.gpu : '';
  let gpuCount = 0;
  const multi = /^(\d+)\s*[x×*]\s*(.+)$/i.exec(gpu);
  if (multi) [gpuCount, gpu] = [Number(multi[1]), multi[2]];
  if (typeof values['gpu-count'] === 'string') {
    gpuCount = Number(values['gpu-count']);
    if (!Number.isInteger(gpuCount) || gpuCount < 1)
      throw new UsageError(`--gpu-count must be a positive integer, got ${values['gpu-count']}`);
  }
  return normalizeSettings({
    gpu,
    gpuCount,
    vllmVersion: values['vllm-version'],
    harnessVersion: values['harness-version'],
    // The CLI runs in the user's own shell: detect GPUs with nvidia-smi from PATH when present.
    nvidiaSmiPath: values['no-detect'] ? '' : 'nvidia-smi',
    allowNetwork: values['allow-network'] === true,
  });
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version') {
    out(VERSION);
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        gpu: { type: 'string' },
        'gpu-count': { type: 'string' },
        'vllm-version': { type: 'string' },
        'harness-version': { type: 'string' },
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        'model-args': { type: 'string' },
        tasks: { type: 'string' },
        'batch-size': { type: 'string' },
        'no-detect': { type: 'boolean' },
        'allow-network': { type: 'boolean' },
      },
    });
    const settings = settingsFrom(values);
    // Task names in launches resolve against the folders being checked (not the whole cwd).
    const workspaceRoots = command === 'check' ? positionals.map((p) => (isDirectory(p) ? p : path.dirname(p))) : [];
    const providers = nodeFactProviders({ settings, workspaceRoots, trusted: true });
    if (command === 'check') {
      if (!positionals.length) throw new UsageError('check needs at least one PATH');
      if (values.format !== 'text' && values.format !== 'sarif') throw new UsageError(`--format must be text or sarif`);
      // Duplicate names against an installed lm-eval, unless what is checked is that install.
      const builtin = positionals.map((p) => providers.builtinTaskNames(path.resolve(p)));
      const builtinNames = builtin.every((b) => b !== undefined) ? builtin[0] : undefined;
      const taskConfig = {
        fs: nodeTaskFileSystem(),
        harnessVersion: settings.harnessVersion || undefined,
        builtinNames,
      };
      let result = runCheck(positionals, settings, providers, taskConfig);
      if (settings.allowNetwork && result.findings.some((f) => f.code === 'unknown-model')) {
        // Models looked up on the Hub during the first pass: check again with their answers.
        await providers.pendingLookups();
        result = runCheck(positionals, settings, providers, taskConfig);
      }
      for (const e of result.ioErrors) err(`lm-eval-lens: ${e}`);
      const rel = (f: string) => path.relative(process.cwd(), f) || f;
      const body =
        values.format === 'sarif'
          ? JSON.stringify(toSarif(result.findings, VERSION), null, 2)
          : [formatText(result.findings, rel), summarize(result.findings, result.filesChecked)]
              .filter(Boolean)
              .join('\n');
      if (values.output) fs.writeFileSync(values.output, body + '\n');
      else out(body);
      if (result.filesChecked === 0 && result.ioErrors.length) return 2;
      return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
    }
    if (command === 'estimate') {
      const modelArgs = values['model-args'];
      if (!modelArgs) throw new UsageError('estimate needs --model-args');
      if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json`);
      if (settings.gpu === '' && typeof values.gpu === 'string') throw new UsageError(`unknown --gpu ${values.gpu}`);
      let facts = launchFromFlags(modelArgs, values.tasks, values['batch-size'], settings, providers);
      if (!facts.architecture && settings.allowNetwork) {
        await providers.pendingLookups();
        facts = launchFromFlags(modelArgs, values.tasks, values['batch-size'], settings, providers);
      }
      if (facts.gpu.unknownName)
        throw new UsageError(
          `unknown GPU "${facts.gpu.unknownName}"; use a catalog name such as A100-80GB or a size such as 79.15GiB`,
        );
      for (const p of facts.invocation.modelArgs?.problems ?? []) err(`lm-eval-lens: model_args: ${p.message}`);
      const pretrained = facts.pretrained?.value;
      if (!facts.architecture || !facts.estimate) {
        err(
          pretrained
            ? `lm-eval-lens: unknown model "${String(pretrained)}": not in the catalog or the local Hugging Face cache`
            : 'lm-eval-lens: model_args has no pretrained=',
        );
        return 2;
      }
      out(
        values.format === 'json'
          ? JSON.stringify(estimateJson(facts, facts.estimate), null, 2)
          : estimateText(facts, facts.estimate),
      );
      return facts.estimate.verdict === 'will-fail' ? 1 : 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`lm-eval-lens: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    err(`lm-eval-lens: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 2;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
