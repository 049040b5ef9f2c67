// `lm-eval-lens estimate --model-args STR`: the memory model on one configuration.
import * as path from 'node:path';
import { nodeFactProviders } from '../../node/providers';
import { reportConfigProblems } from '../check';
import {
  COMMON_OPTIONS_HELP,
  ESTIMATE_OPTIONS,
  ESTIMATE_OPTIONS_HELP,
  EXIT,
  UsageError,
  oneOf,
  settingsFromFlags,
  type Command,
} from '../command';
import { gpuFitTable } from '../../service/gpuFit';
import type { LaunchFacts } from '../../facts/launch';
import { resolvablePretrained } from '../../facts/modelName';
import { invalidModelArgValue } from '../../rules/invalid-model-arg-value';
import { modelArgsSyntax } from '../../rules/model-args-syntax';
import { uncertaintyNotes } from '../../service/uncertain';
import { estimateJson, estimateText, gpuTableJson, gpuTableText, launchFromFlags } from '../estimate';

const FORMATS = ['text', 'json'] as const;
const ENTRYPOINTS = ['llm', 'serve'] as const;

/** `--env K=V`, repeatable: the launch's environment variables (the last value of a name wins). */
function envFlags(value: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
    const m = typeof item === 'string' ? /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(item) : null;
    if (!m) throw new UsageError(`--env must be NAME=VALUE, got "${String(item)}"`);
    env[m[1]] = m[2];
  }
  return env;
}

/** `--batch-size`: N, auto or auto:N as lm_eval --batch_size (vllm_causallms.py int()s anything else and fails). */
function batchSizeFlag(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (!/^(?:\d+|auto(?::\d+)?)$/.test(v))
    throw new UsageError(`--batch-size must be a whole number, auto or auto:N (as lm_eval --batch_size), got "${v}"`);
  return v;
}

/** Why there is no estimate: the model is a variable or a placeholder, unknown, or not given. */
function noModelMessage(facts: LaunchFacts, allowNetwork: boolean): string {
  const p = facts.pretrained;
  if (!p) return 'lm-eval-lens: model_args has no pretrained=';
  // `$MODEL`, `<path_to_model>`: nothing names a model to look up (the Hub would not know it either).
  if (typeof p.value === 'string' && p.value.trim() && !resolvablePretrained(p)) {
    const what = /[$`]/.test(p.rawValue) ? 'a variable' : 'a placeholder';
    return `lm-eval-lens: the model is not known here ("${p.rawValue.trim()}" is ${what}): no estimate`;
  }
  return (
    `lm-eval-lens: unknown model "${String(p.value)}": not in the catalog or the local Hugging Face cache` +
    (allowNetwork ? '' : ' (--allow-network fetches its config.json from the Hub)')
  );
}

export const estimateCommand: Command = {
  name: 'estimate',
  summary: "estimate one vLLM configuration's GPU memory, term by term",
  synopsis: [
    'estimate --model-args STR [--tasks T] [--batch-size B] [--gpu NAME|all] [--entrypoint llm|serve] [--env K=V]... [options]',
  ],
  options: {
    ...ESTIMATE_OPTIONS,
    'model-args': { type: 'string' },
    tasks: { type: 'string' },
    'batch-size': { type: 'string' },
    format: { type: 'string' },
    entrypoint: { type: 'string' },
    env: { type: 'string', multiple: true },
  },
  optionsHelp: `  --model-args STR         the --model_args of lm_eval --model vllm (pretrained=..., ...)
  --tasks T                comma-separated lm-eval tasks (loglikelihood tasks add the logprob spike)
  --batch-size B           lm_eval --batch_size
  --format FORMAT          text (default) or json (the fields documented in the README)
  --entrypoint E           who builds the engine: llm (default; lm-eval's vllm.LLM) or serve
                           (vllm serve / the OpenAI server, whose batch defaults are smaller)
  --env K=V                an environment variable of the launch (repeatable): VLLM_USE_V1,
                           VLLM_USE_FLASHINFER_SAMPLER, VLLM_PP_LAYER_PARTITION,
                           PYTORCH_CUDA_ALLOC_CONF, VLLM_ALLOW_LONG_MAX_MODEL_LEN, ...
  --gpu all                one row per catalog GPU: the smallest tensor_parallel_size that fits,
                           the verdict, the headroom and the largest max_model_len that starts
${ESTIMATE_OPTIONS_HELP}
${COMMON_OPTIONS_HELP}`,
  epilog: `Exit status: 0 the configuration fits (or is at risk, or fails only if what is not known here
is as assumed: a $VAR setting, a GPU that may differ, a model matched by name), 1 vLLM will fail
(with --gpu all: on every GPU) or lm-eval rejects the model_args (an error as check reports it),
2 usage failure, an unknown model, or an architecture not modelled.

Examples:
  lm-eval-lens estimate --model-args pretrained=Qwen/Qwen1.5-4B,dtype=float --tasks mmlu --gpu L4
  lm-eval-lens estimate --model-args pretrained=meta-llama/Meta-Llama-3-8B --gpu 2xA100-40GB --format json
  lm-eval-lens estimate --model-args pretrained=Qwen/Qwen2.5-7B-Instruct --entrypoint serve --env VLLM_USE_V1=0 --vllm-version 0.8.5
  lm-eval-lens estimate --model-args pretrained=Qwen/Qwen2-72B-Instruct,max_model_len=8192 --gpu all`,
  async run({ values, io, style }) {
    const modelArgs = values['model-args'];
    if (typeof modelArgs !== 'string' || !modelArgs.trim()) throw new UsageError('estimate needs --model-args');
    const format = oneOf('format', values.format, FORMATS, 'text');
    const settings = settingsFromFlags(values, true);
    const allGpus = settings.gpu.toLowerCase() === 'all';
    if (allGpus) {
      if (settings.gpuCount)
        throw new UsageError('--gpu all takes no count: each GPU gets the smallest tensor_parallel_size that fits');
      settings.gpu = '';
    }
    const tasks = typeof values.tasks === 'string' ? values.tasks : undefined;
    const batchSize = batchSizeFlag(values['batch-size']);
    const cwd = process.cwd();
    const providers = nodeFactProviders({
      settings,
      workspaceRoots: [],
      trusted: true,
      displayBase: cwd,
      projectRoots: [],
    });
    // The configuration is judged as if it were launched from the current folder: its config file
    // and version pins apply.
    const project = providers.projectFacts(path.join(cwd, 'lm-eval-lens-estimate'));
    const rel = (f: string) => path.relative(cwd, f) || f;
    const config = project.config;
    if (
      config &&
      reportConfigProblems(
        config.problems.map((problem) => ({ file: config.file, problem })),
        io.err,
        rel,
      )
    )
      return EXIT.usage;
    const versionContext = { project, displayPath: providers.displayPath, origin: 'cli' as const };
    const flags = {
      entrypoint: oneOf('entrypoint', values.entrypoint, ENTRYPOINTS, 'llm'),
      env: envFlags(values.env),
      versionContext,
    };
    let facts = launchFromFlags(modelArgs, tasks, batchSize, settings, providers, flags);
    if (!facts.architecture && settings.allowNetwork) {
      await providers.pendingLookups();
      facts = launchFromFlags(modelArgs, tasks, batchSize, settings, providers, flags);
    }
    // As `check` judges them: an empty pair is an error from lm-eval 0.4.10 on, a warning when no
    // release is named; an error is exit status 1 even when the memory fits.
    const syntax = [...modelArgsSyntax.check(facts), ...invalidModelArgValue.check(facts)];
    for (const p of syntax) io.err(`lm-eval-lens: model_args: ${p.severity}: ${p.message}`);
    const syntaxError = syntax.some((p) => p.severity === 'error');
    const pretrained = facts.pretrained?.value;
    const notModelled = facts.architecture?.architecture.notModelled;
    if (notModelled) {
      io.err(
        `lm-eval-lens: architecture not modelled: "${String(pretrained)}" is a ${facts.architecture!.architecture.modelType} model; ${notModelled}`,
      );
      return EXIT.usage;
    }
    if (!facts.architecture || !facts.estimate) {
      io.err(noModelMessage(facts, settings.allowNetwork));
      return EXIT.usage;
    }
    if (allGpus) {
      const table = gpuFitTable(facts);
      if (!table) return EXIT.usage;
      io.out(format === 'json' ? JSON.stringify(gpuTableJson(table), null, 2) : gpuTableText(table, style));
      return table.rows.some((r) => r.tensorParallelSize !== undefined) && !syntaxError ? EXIT.ok : EXIT.findings;
    }
    io.out(
      format === 'json'
        ? JSON.stringify(estimateJson(facts, facts.estimate), null, 2)
        : estimateText(facts, facts.estimate),
    );
    // A failure that rests on what is not known here (an unknown setting, a GPU that may differ, a
    // model matched by name) is at most a warning in `check`: not exit 1 here either.
    const certainFailure = facts.estimate.verdict === 'will-fail' && !uncertaintyNotes(facts).length;
    return certainFailure || syntaxError ? EXIT.findings : EXIT.ok;
  },
};
