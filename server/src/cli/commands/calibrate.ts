// `lm-eval-lens calibrate LOG...`: the memory model against the figures many vLLM logs print (a
// table per log and a summary per term), and, with --write FILE, each log as a record in the schema
// of the project's calibration set (vllm-memory-logs.md), so a user can contribute their runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { calibrationRecord } from '../../logs/calibrationRecord';
import { diagnoseLog } from '../../logs/diagnose';
import type { LogFacts } from '../../logs/types';
import { resolveGpu } from '../../memory/gpus';
import { nodeFactProviders } from '../../node/providers';
import { normalizeSettings } from '../../shared/settings';
import { type CalibratedLog, calibrateJson, calibrateText } from '../calibrate';
import { COMMON_OPTIONS_HELP, EXIT, fileErrorReason, type Command, UsageError, oneOf } from '../command';
import { readLogSource } from '../explain';
import { stdinChunks } from './explain';

const FORMATS = ['text', 'json'] as const;

export const calibrateCommand: Command = {
  name: 'calibrate',
  summary: 'compare the memory model with the figures vLLM logs print; write them as calibration records',
  synopsis: ['calibrate [--format text|json] [--write FILE [--source-url URL]] [--gpu NAME] LOG...'],
  options: {
    format: { type: 'string' },
    write: { type: 'string' },
    'source-url': { type: 'string' },
    gpu: { type: 'string' },
    'allow-network': { type: 'boolean' },
  },
  allowPositionals: true,
  optionsHelp: `  --format FORMAT          text (default) or json
  --write FILE             append one JSON line per log to FILE, in the schema of the project's
                           calibration set (vllm-memory-logs.md): logged numbers only, null otherwise
  --source-url URL         where the logs can be seen (an issue, a gist), recorded as source_url
  --gpu NAME               the GPU when a log does not show its memory (catalog name or 79.15GiB)
  --allow-network          fetch config.json of models in neither the catalog nor the local cache
${COMMON_OPTIONS_HELP}`,
  epilog: `Exit status: 0 done, 2 usage or I/O failure (a log that cannot be read).

Examples:
  lm-eval-lens calibrate logs/*.out
  lm-eval-lens calibrate --write my-runs.jsonl --source-url https://github.com/me/evals slurm-*.out`,
  async run({ values, positionals, io }) {
    if (!positionals.length) throw new UsageError('calibrate needs at least one LOG (or - for stdin)');
    const format = oneOf('format', values.format, FORMATS, 'text');
    const gpu = typeof values.gpu === 'string' ? values.gpu.trim() : '';
    if (typeof values.gpu === 'string' && !resolveGpu(gpu))
      throw new UsageError(
        `unknown GPU "${values.gpu}": use a catalog name such as A100-80GB or a size such as 79.15GiB`,
      );
    if (values['source-url'] !== undefined && values.write === undefined)
      throw new UsageError('--source-url goes with --write');
    const settings = normalizeSettings({ gpu, allowNetwork: values['allow-network'] === true });
    const providers = nodeFactProviders({ settings, workspaceRoots: [], trusted: true });
    const logs: CalibratedLog[] = [];
    const records: string[] = [];
    const today = new Date().toISOString().slice(0, 10);
    let failedReads = 0;
    for (const file of positionals) {
      const name = file === '-' ? '<stdin>' : file;
      let facts: LogFacts;
      try {
        facts = await readLogSource(file, stdinChunks(io));
      } catch (e) {
        io.err(`lm-eval-lens: cannot read ${file}: ${fileErrorReason(e)}`);
        logs.push({ file: name, skipped: 'unreadable' });
        failedReads++;
        continue;
      }
      if (!facts.vllmSeen) {
        logs.push({ file: name, skipped: 'no vLLM output in it' });
        continue;
      }
      let d = diagnoseLog(facts, providers, { fallbackGpu: gpu });
      if (settings.allowNetwork && d.launch.model && !d.launch.architecture) {
        await providers.pendingLookups();
        d = diagnoseLog(facts, providers, { fallbackGpu: gpu });
      }
      logs.push(
        d.selfCheck
          ? { file: name, diagnosis: d }
          : { file: name, diagnosis: d, skipped: `model ${d.launch.model ?? '(not in the log)'} unknown` },
      );
      const sourceUrl = typeof values['source-url'] === 'string' ? values['source-url'] : undefined;
      records.push(JSON.stringify(calibrationRecord(facts, d, { sourceUrl, today, file: path.basename(name) })));
    }
    io.out(format === 'json' ? JSON.stringify(calibrateJson(logs), null, 2) : calibrateText(logs));
    if (typeof values.write === 'string' && records.length) {
      try {
        fs.appendFileSync(values.write, `${records.join('\n')}\n`);
      } catch (e) {
        io.err(`lm-eval-lens: cannot write ${values.write}: ${fileErrorReason(e)}`);
        return EXIT.usage;
      }
      io.err(`lm-eval-lens: ${records.length} record(s) appended to ${values.write}`);
    }
    return failedReads ? EXIT.usage : EXIT.ok;
  },
};
