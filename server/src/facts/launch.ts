// Everything we know about one lm-eval launch: the parsed invocation plus the resolved model,
// GPU, versions, tasks and the memory estimate. Rules read this; they never parse or resolve.
import { estimateVllmMemory } from '../memory/estimate';
import type {
  Entrypoint,
  EstimateInput,
  GpuSpec,
  MemoryEstimate,
  OutputType,
  VllmSettings,
  VllmVersion,
  Workload,
} from '../memory/types';
import type { DefaultValue, LmEvalInvocation, ModelArg } from '../parse/types';
import type { LmEvalLensSettings } from '../shared/settings';
import type { Directives } from '../parse/directives';
import { parseSbatchGpu, type SbatchGpu } from '../parse/sbatch';
import { LineIndex } from '../parse/lineIndex';
import { resolveGpuFacts, type GpuFacts } from './gpu';
import { rocmImageSign, rocmSign } from './platform';
import type { ArchitectureResolution, FactProviders, TaskResolution, VersionSourceKind } from './providers';
import { resolvablePretrained } from './modelName';
import { argsByKey, asNumber, vllmSettingsFromArgs } from './vllmSettings';
import { resolveVersion, type VersionContext, type VersionFact, type VersionProblem } from './versions';

export const VLLM_BACKENDS: ReadonlySet<string> = new Set(['vllm', 'vllm-vlm']);

/** What one pass over the document gives every launch in it (#18: read once, not per launch). */
export interface LaunchDocument {
  text: string;
  sbatch: SbatchGpu;
  /** 1-based line of an offset (a line index built on first use). */
  lineOf(offset: number): number;
}

export function launchDocument(text: string): LaunchDocument {
  let index: LineIndex | undefined;
  return {
    text,
    sbatch: parseSbatchGpu(text),
    lineOf: (offset) => {
      index ??= new LineIndex(text);
      return index.lineOf(offset) + 1;
    },
  };
}

/** model_args keys whose value changes the memory estimate (an unknown one makes the estimate uncertain). */
const MEMORY_KEYS = new Set([
  'pretrained',
  'model',
  'gpu_memory_utilization',
  'max_model_len',
  'max_length',
  'dtype',
  'kv_cache_dtype',
  'quantization',
  'tensor_parallel_size',
  'pipeline_parallel_size',
  'data_parallel_size',
  'max_num_seqs',
  'max_batch_size',
  'max_num_batched_tokens',
  'enable_chunked_prefill',
  'enforce_eager',
  'block_size',
  'cpu_offload_gb',
  'kv_cache_memory_bytes',
  'hf_overrides',
  'rope_scaling',
]);

export interface LaunchFacts {
  invocation: LmEvalInvocation;
  /** `--model` value; lm-eval's default is `hf`. A `vllm serve` launch is `vllm`; '' when the file does not say (`--model $B`). */
  backend: string;
  isVllm: boolean;
  /** A vLLM OpenAI-compatible server (`vllm serve`), not an lm-eval run. */
  isServe: boolean;
  /**
   * Settings the launch writes but we cannot know (`tensor_parallel_size=$NUM`): the estimate uses
   * vLLM's default for them, and no finding that depends on the estimate is an error.
   */
  unknownArgs: ModelArg[];
  /**
   * Settings taken from a default whoever runs the file may override (`${1:-X}`, `${MODEL:-X}`, an
   * argparse default): estimated with the default, and no finding that depends on it is an error.
   */
  defaultArgs: DefaultArg[];
  /** For an lm-eval run against a local OpenAI-compatible server: the `vllm serve` launch in the same file it talks to. */
  server?: LaunchFacts;
  args: Map<string, ModelArg>;
  env: Record<string, string>;
  pretrained?: ModelArg;
  gpu: GpuFacts;
  /** The vLLM release whose accounting applies, and where that came from. */
  vllm: VersionFact;
  /** The lm-eval release whose behaviour applies, and where that came from. */
  harness: VersionFact;
  /** lm-eval version whose behaviour applies (`harness.version`). */
  harnessVersion: VllmVersion;
  harnessVersionSource: VersionSourceKind;
  /** A directive or setting that is not a version (reported as a settings diagnostic). */
  versionProblems: VersionProblem[];
  architecture?: ArchitectureResolution;
  tasks: TaskResolution;
  workload: Workload;
  settings: VllmSettings;
  /** The estimate for the configuration as written; undefined without a vLLM backend or a known model. */
  estimate?: MemoryEstimate;
  /** The estimate with some settings changed (to compute and verify fixes), or on another GPU. */
  estimateWith(overrides: Partial<VllmSettings>, gpu?: GpuSpec): MemoryEstimate | undefined;
}

/** A memory setting whose value is a default (`pretrained=$M` with `M=${1:-X}`), and that default. */
export interface DefaultArg {
  arg: ModelArg;
  default: DefaultValue;
}

export { LATEST_HARNESS_VERSION } from '../project/releases';

/** What the launch's own form says beyond its text. */
export interface LaunchOptions {
  /** Who builds the engine: `llm` (lm-eval's `vllm.LLM(...)`, the default) or `serve` (`vllm serve`). */
  entrypoint?: Entrypoint;
  /** The document's project (config file, pins, environment) for version resolution. */
  versionContext?: VersionContext;
}

/** The string environment of a launch; launches that share one scope's snapshot share this too. */
const envStrings = new WeakMap<object, Record<string, string>>();

function envOf(invocation: LmEvalInvocation): Record<string, string> {
  const cached = envStrings.get(invocation.env);
  if (cached) return cached;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(invocation.env)) env[k] = v.value;
  envStrings.set(invocation.env, env);
  return env;
}

export function buildLaunchFacts(
  doc: string | LaunchDocument,
  invocation: LmEvalInvocation,
  directives: Directives,
  settings: LmEvalLensSettings,
  providers: FactProviders,
  launch: LaunchOptions = {},
): LaunchFacts {
  const document = typeof doc === 'string' ? launchDocument(doc) : doc;
  const isServe = invocation.program === 'vllm-serve';
  const backend = isServe ? 'vllm' : invocation.model?.unresolved ? '' : invocation.model?.value.trim() || 'hf';
  const isVllm = VLLM_BACKENDS.has(backend);
  const args = argsByKey(invocation.modelArgs?.args ?? []);
  const env = envOf(invocation);

  const versionContext = launch.versionContext ?? {};
  const versions = launchVersions(document, invocation, directives, settings, versionContext);
  const [vllm, harness] = versions.map((v) => v.fact);
  const gpu = resolveGpuFacts(
    document.sbatch,
    invocation,
    directives,
    settings,
    isVllm ? providers.detectGpus() : undefined,
    versionContext.project?.config?.values,
    rocmSign(env, document.text.slice(invocation.range.start, invocation.range.end)) ??
      (vllm.source === 'container-image' ? rocmImageSign(vllm.written) : undefined),
  );

  const pretrained = args.get(isServe ? 'model' : 'pretrained');
  const modelName = resolvablePretrained(pretrained);
  const architecture =
    isVllm && modelName ? providers.resolveArchitecture(modelName, { file: versionContext.file }) : undefined;

  const tasks = launchTasks(invocation, providers);
  const workload = workloadOf(tasks, invocation);

  const cliMaxBatch = asNumber(invocation.maxBatchSize?.value);
  const vllmSettings = vllmSettingsFromArgs(args, cliMaxBatch);
  const unknownArgs = unknownSettings(invocation, args);
  const defaultArgs = defaultSettings(invocation, args);
  const entrypoint = launch.entrypoint ?? (isServe ? 'serve' : 'llm');
  const estimateWith = estimator({
    isVllm,
    architecture,
    gpu,
    settings: vllmSettings,
    workload,
    vllm,
    entrypoint,
    env,
  });

  return {
    invocation,
    backend,
    isVllm,
    isServe,
    unknownArgs,
    defaultArgs,
    args,
    env,
    pretrained,
    gpu,
    vllm,
    harness,
    harnessVersion: harness.version,
    harnessVersionSource: harness.source,
    versionProblems: versions.flatMap((v) => v.problems),
    architecture,
    tasks,
    workload,
    settings: vllmSettings,
    estimate: estimateWith({}),
    estimateWith,
  };
}

/** The vLLM and lm-eval releases whose behaviour applies to the launch (in that order). */
function launchVersions(
  document: LaunchDocument,
  invocation: LmEvalInvocation,
  directives: Directives,
  settings: LmEvalLensSettings,
  versionContext: VersionContext,
): Array<{ fact: VersionFact; problems: VersionProblem[] }> {
  const container = invocation.container ? { from: invocation.container.start } : {};
  const script = { text: document.text, launchOffset: invocation.range.start, file: versionContext.file, ...container };
  const lineOf = document.lineOf;
  return (['vllm', 'lm-eval'] as const).map((pkg) => {
    const directive = pkg === 'vllm' ? directives.vllm : directives.harness;
    return resolveVersion(
      {
        package: pkg,
        directive,
        directiveLine: directive ? lineOf(directive.range.start) : undefined,
        setting: pkg === 'vllm' ? settings.vllmVersion : settings.harnessVersion,
        script,
      },
      versionContext,
    );
  });
}

function launchTasks(invocation: LmEvalInvocation, providers: FactProviders): TaskResolution {
  const taskNames = (invocation.tasks ?? []).map((t) => t.name);
  const includePaths = (invocation.includePath ?? []).map((p) => p.value);
  return taskNames.length ? providers.resolveTasks(taskNames, includePaths) : { tasks: [], unknown: [] };
}

/** Settings the launch writes but we cannot know: `$EXTRA_ARGS` (a key we cannot know) may set any of them. */
function unknownSettings(invocation: LmEvalInvocation, args: Map<string, ModelArg>): ModelArg[] {
  return (invocation.modelArgs?.args ?? []).filter(
    (a) => a.keyUnresolved || (a.unresolved && MEMORY_KEYS.has(a.key.trim()) && args.get(a.key.trim()) === a),
  );
}

/** The memory settings whose value is written in a default the launch's file took (by document range). */
function defaultSettings(invocation: LmEvalInvocation, args: Map<string, ModelArg>): DefaultArg[] {
  const defaults = invocation.defaults;
  if (!defaults?.length) return [];
  const out: DefaultArg[] = [];
  for (const a of invocation.modelArgs?.args ?? []) {
    const key = a.key.trim();
    if (a.unresolved || !MEMORY_KEYS.has(key) || args.get(key) !== a) continue;
    const r = a.valueRange;
    const d = defaults.find((x) => x.range.start < Math.max(r.end, r.start + 1) && r.start < x.range.end);
    if (d) out.push({ arg: a, default: d });
  }
  return out;
}

/** What the memory estimate of a launch starts from. */
interface EstimateBasis {
  isVllm: boolean;
  architecture?: ArchitectureResolution;
  gpu: GpuFacts;
  settings: VllmSettings;
  workload: Workload;
  vllm: VersionFact;
  entrypoint: Entrypoint;
  env: Record<string, string>;
}

function estimator(basis: EstimateBasis): LaunchFacts['estimateWith'] {
  return (overrides, onGpu) => {
    const { architecture } = basis;
    // An architecture with a part no formula covers gets no number (rules/architecture-not-modelled).
    if (!basis.isVllm || !architecture || architecture.architecture.notModelled) return undefined;
    const input: EstimateInput = {
      architecture: architecture.architecture,
      gpu: onGpu ?? basis.gpu.spec,
      settings: { ...basis.settings, ...overrides },
      workload: basis.workload,
      version: basis.vllm.version,
      entrypoint: basis.entrypoint,
      env: basis.env,
    };
    try {
      return estimateVllmMemory(input);
    } catch {
      return undefined; // the model must never take the server down; rules then stay silent
    }
  };
}

function workloadOf(tasks: TaskResolution, invocation: LmEvalInvocation): Workload {
  const outputTypes = [...new Set(tasks.tasks.map((t) => t.outputType))] as OutputType[];
  const genKwargsMax = invocation.genKwargs?.args.find((a) =>
    ['max_gen_toks', 'max_new_tokens', 'max_tokens', 'max_completion_tokens'].includes(a.key.trim()),
  );
  let maxGenToks: number | undefined;
  for (const t of tasks.tasks) {
    if (t.outputType === 'generate_until') maxGenToks = Math.max(maxGenToks ?? 0, t.maxGenToks ?? 256);
  }
  // --gen_kwargs dict-merges into every generate_until task's generation_kwargs.
  const cliMax = genKwargsMax ? asNumber(genKwargsMax.value) : undefined;
  if (cliMax !== undefined && outputTypes.includes('generate_until')) maxGenToks = cliMax;
  const w: Workload = { outputTypes };
  if (maxGenToks !== undefined) w.maxGenToks = maxGenToks;
  if (invocation.batchSize) w.batchSize = invocation.batchSize.value;
  return w;
}
