// Everything we know about one lm-eval launch: the parsed invocation plus the resolved model,
// GPU, versions, tasks and the memory estimate. Rules read this; they never parse or resolve.
import { estimateVllmMemory } from '../memory/estimate';
import type {
  Entrypoint,
  EstimateInput,
  MemoryEstimate,
  OutputType,
  VllmSettings,
  VllmVersion,
  Workload,
} from '../memory/types';
import { LATEST_VLLM_VERSION, parseVllmVersion, versionText } from '../memory/version';
import type { LmEvalInvocation, ModelArg } from '../parse/types';
import type { LmEvalLensSettings } from '../shared/settings';
import type { Directives } from '../parse/directives';
import { resolveGpuFacts, type GpuFacts } from './gpu';
import type { ArchitectureResolution, FactProviders, TaskResolution } from './providers';
import { argsByKey, asNumber, vllmSettingsFromArgs } from './vllmSettings';

export const VLLM_BACKENDS: ReadonlySet<string> = new Set(['vllm', 'vllm-vlm']);

export interface VersionFacts {
  version: VllmVersion;
  text: string;
  source: 'directive' | 'settings' | 'default';
}

export interface LaunchFacts {
  invocation: LmEvalInvocation;
  /** `--model` value; lm-eval's default is `hf`. */
  backend: string;
  isVllm: boolean;
  args: Map<string, ModelArg>;
  env: Record<string, string>;
  pretrained?: ModelArg;
  gpu: GpuFacts;
  vllm: VersionFacts;
  /** lm-eval version whose behaviour applies (`0.4.9`, `0.4.12`, or latest). */
  harnessVersion: VllmVersion;
  harnessVersionSource: 'directive' | 'settings' | 'default';
  architecture?: ArchitectureResolution;
  tasks: TaskResolution;
  workload: Workload;
  settings: VllmSettings;
  /** The estimate for the configuration as written; undefined without a vLLM backend or a known model. */
  estimate?: MemoryEstimate;
  /** The estimate with some settings changed, to compute and verify fixes. */
  estimateWith(overrides: Partial<VllmSettings>): MemoryEstimate | undefined;
}

/** The newest lm-eval whose behaviour we model (the shared corpus is 0.4.13.dev0). */
export const LATEST_HARNESS_VERSION: VllmVersion = { major: 0, minor: 4, patch: 13 };

/** What the launch's own form says beyond its text. */
export interface LaunchOptions {
  /** Who builds the engine: `llm` (lm-eval's `vllm.LLM(...)`, the default) or `serve` (`vllm serve`). */
  entrypoint?: Entrypoint;
}

export function buildLaunchFacts(
  text: string,
  invocation: LmEvalInvocation,
  directives: Directives,
  settings: LmEvalLensSettings,
  providers: FactProviders,
  launch: LaunchOptions = {},
): LaunchFacts {
  const backend = invocation.model?.value.trim() || 'hf';
  const isVllm = VLLM_BACKENDS.has(backend);
  const args = argsByKey(invocation.modelArgs?.args ?? []);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(invocation.env)) env[k] = v.value;

  const vllm = resolveVllmVersion(directives, settings);
  const harness = resolveHarnessVersion(directives, settings);
  const gpu = resolveGpuFacts(text, invocation, directives, settings, isVllm ? providers.detectGpus() : undefined);

  const pretrained = args.get('pretrained');
  const architecture =
    isVllm && pretrained && !pretrained.unresolved && typeof pretrained.value === 'string' && pretrained.value.trim()
      ? providers.resolveArchitecture(pretrained.value.trim())
      : undefined;

  const taskNames = (invocation.tasks ?? []).map((t) => t.name);
  const includePaths = (invocation.includePath ?? []).map((p) => p.value);
  const tasks = taskNames.length ? providers.resolveTasks(taskNames, includePaths) : { tasks: [], unknown: [] };
  const workload = workloadOf(tasks, invocation);

  const cliMaxBatch = asNumber(invocation.maxBatchSize?.value);
  const vllmSettings = vllmSettingsFromArgs(args, cliMaxBatch);

  const estimateWith = (overrides: Partial<VllmSettings>): MemoryEstimate | undefined => {
    if (!isVllm || !architecture) return undefined;
    const input: EstimateInput = {
      architecture: architecture.architecture,
      gpu: gpu.spec,
      settings: { ...vllmSettings, ...overrides },
      workload,
      version: vllm.version,
      entrypoint: launch.entrypoint ?? 'llm',
      env,
    };
    try {
      return estimateVllmMemory(input);
    } catch {
      return undefined; // the model must never take the server down; rules then stay silent
    }
  };

  return {
    invocation,
    backend,
    isVllm,
    args,
    env,
    pretrained,
    gpu,
    vllm,
    harnessVersion: harness.version,
    harnessVersionSource: harness.source,
    architecture,
    tasks,
    workload,
    settings: vllmSettings,
    estimate: estimateWith({}),
    estimateWith,
  };
}

function resolveVllmVersion(directives: Directives, settings: LmEvalLensSettings): VersionFacts {
  const fromDirective = directives.vllm && parseVllmVersion(directives.vllm.value);
  if (fromDirective) return { version: fromDirective, text: directives.vllm!.value, source: 'directive' };
  const fromSettings = settings.vllmVersion ? parseVllmVersion(settings.vllmVersion) : undefined;
  if (fromSettings) return { version: fromSettings, text: settings.vllmVersion, source: 'settings' };
  return { version: LATEST_VLLM_VERSION, text: versionText(LATEST_VLLM_VERSION), source: 'default' };
}

function resolveHarnessVersion(
  directives: Directives,
  settings: LmEvalLensSettings,
): { version: VllmVersion; source: LaunchFacts['harnessVersionSource'] } {
  const d = directives.harness && parseVllmVersion(directives.harness.value);
  if (d) return { version: d, source: 'directive' };
  const s = settings.harnessVersion ? parseVllmVersion(settings.harnessVersion) : undefined;
  if (s) return { version: s, source: 'settings' };
  return { version: LATEST_HARNESS_VERSION, source: 'default' };
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
