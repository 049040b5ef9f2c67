// From what a log shows to the inputs of the memory model: the model, the GPU (its total as vLLM or
// PyTorch logged it), the vLLM version and engine, the engine settings, and what lm-eval asked of
// the engine. Every input names where it came from, and what was assumed where the log is silent.
import type { ArchitectureResolution, FactProviders } from '../facts/providers';
import { defaultMaxModelLen } from '../memory/defaults';
import { resolveGpu } from '../memory/gpus';
import type { Entrypoint, GpuSpec, OutputType, VllmSettings, VllmVersion, Workload } from '../memory/types';
import { parseVllmVersion, versionText, vllmReleaseOnDate } from '../memory/version';
import { FALLBACK_GPU } from '../shared/settings';
import type { LogFacts, LoggedEngine } from './types';
import { GiB } from '../shared/units';

export interface LogLaunch {
  model?: string;
  /** The version as the log (or a directive) writes it: `0.5.0.post1`, `0.10.1.dev101+gbda9d0535`. */
  versionLabel: string;
  architecture?: ArchitectureResolution;
  /** The id the architecture was found under, when not the logged one (a local path's folder name). */
  architectureMatchedAs?: string;
  gpu: GpuSpec;
  gpuFrom: string;
  version: VllmVersion;
  versionFrom: string;
  /** The version is not printed or stated by a directive (read from a message, the date, or the format). */
  versionAssumed: boolean;
  engine: LoggedEngine;
  engineFrom: string;
  settings: VllmSettings;
  /** The logged engine settings in lm-eval model_args form (vLLM names), for the fixed command. */
  modelArgs: Map<string, string | number | boolean>;
  /** The ones the user passed (not the defaults vLLM's engine config prints). */
  userArgs: Map<string, string | number | boolean>;
  workload: Workload;
  server: boolean;
  /** Who built the engine: `vllm serve` or lm-eval's `vllm.LLM(...)` (their batch defaults differ). */
  entrypoint: Entrypoint;
  /** The environment the log shows (VLLM_USE_V1, ...). */
  env: Record<string, string>;
  /** The KV cache size vLLM logged (GiB), which the log-only fixes start from. */
  loggedKvGiB?: number;
  /** GPUs visible to the job, when the log says (CUDA_VISIBLE_DEVICES). */
  gpuCount?: number;
  assumptions: string[];
}

/** Where each setting comes from, to say in the report. */
function num(v: string | number | boolean | undefined): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function bool(v: string | number | boolean | undefined): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    if (/^(true|1|yes)$/i.test(v.trim())) return true;
    if (/^(false|0|no)$/i.test(v.trim())) return false;
  }
  return undefined;
}

/** The total memory every failure or figure line agrees on, first found wins. */
function loggedTotalGiB(facts: LogFacts): { gib: number; from: string } | undefined {
  if (facts.memory.totalGpuGiB)
    return { gib: facts.memory.totalGpuGiB.value, from: `total_gpu_memory, line ${facts.memory.totalGpuGiB.line + 1}` };
  for (const f of facts.failures) {
    if (f.numbers.capacityGiB) return { gib: f.numbers.capacityGiB, from: `the OOM message, line ${f.line + 1}` };
    if (f.numbers.startupTotalGiB)
      return { gib: f.numbers.startupTotalGiB, from: `the free-memory check, line ${f.line + 1}` };
  }
  if (facts.memory.budgetGiB && facts.memory.gpuMemoryUtilization)
    return {
      gib: facts.memory.budgetGiB.value / facts.memory.gpuMemoryUtilization.value,
      from: `the budget line, line ${facts.memory.budgetGiB.line + 1}`,
    };
  return undefined;
}

function gpuOf(facts: LogFacts, fallbackGpu: string): { gpu: GpuSpec; from: string; assumed?: string } {
  const directive = facts.directives.gpu;
  const byDirective = directive ? resolveGpu(directive.value) : undefined;
  const named = byDirective ?? (facts.gpuName ? resolveGpu(facts.gpuName.value) : undefined);
  const nameFrom = byDirective
    ? `the lm-eval-lens directive, line ${directive!.line + 1}`
    : facts.gpuName
      ? `"${facts.gpuName.value}", line ${facts.gpuName.line + 1}`
      : '';
  const total = loggedTotalGiB(facts);
  if (total) {
    const bytes = total.gib * GiB;
    // The total alone does not name the GPU (an A100 and an H100 both report about 79.2 GiB): a named
    // catalog GPU whose total is within 1 % keeps its name and bf16 support, else the GPU is the figure.
    const match = named && Math.abs(named.totalBytes - bytes) / bytes < 0.01 ? named : undefined;
    const name = match?.name ?? `${total.gib.toFixed(2)} GiB GPU`;
    return {
      gpu: { name, totalBytes: bytes, supportsBf16: match?.supportsBf16 ?? true },
      from: `${total.gib.toFixed(2)} GiB from ${total.from}${match ? `, named by ${nameFrom}` : ''}`,
    };
  }
  if (named) return { gpu: named, from: nameFrom };
  const fallback = resolveGpu(fallbackGpu) ?? resolveGpu(FALLBACK_GPU)!;
  return {
    gpu: fallback,
    from: 'not in the log',
    assumed: `GPU not in the log: ${fallback.name} assumed (${fallbackGpu ? 'settings' : 'default'})`,
  };
}

function engineOf(facts: LogFacts): { engine: LoggedEngine; from: string } | undefined {
  if (facts.engine) return { engine: facts.engine.value, from: `line ${facts.engine.line + 1}` };
  if (facts.engineHint)
    return {
      engine: facts.engineHint.value,
      from: `the ${facts.engineHint.value} log format, line ${facts.engineHint.line + 1}`,
    };
  if (facts.memory.kvTokens) return { engine: 'V1', from: 'the V1 log format ("GPU KV cache size")' };
  if (facts.memory.gpuBlocks && facts.memory.cpuBlocks)
    return { engine: 'V0', from: 'the V0 log format ("# GPU blocks")' };
  return undefined;
}

/** The log's model id, else the last two path components of a local path, else its folder name. */
function architectureOf(
  model: string | undefined,
  providers: FactProviders,
): { architecture?: ArchitectureResolution; matchedAs?: string } {
  if (!model) return {};
  const direct = providers.resolveArchitecture(model);
  if (direct) return { architecture: direct };
  const parts = model.replace(/[\\/]+$/, '').split(/[\\/]/);
  for (const candidate of [parts.slice(-2).join('/'), parts[parts.length - 1]]) {
    if (!candidate || candidate === model) continue;
    const found = providers.resolveArchitecture(candidate);
    if (found) return { architecture: found, matchedAs: candidate };
  }
  return {};
}

const TYPICAL_VERSION: Record<LoggedEngine, string> = { V0: '0.6.6', V1: '0.10.0' };

function versionByDate(date: string, engine: LoggedEngine | undefined): string | undefined {
  const v = vllmReleaseOnDate(date);
  if (!v) return undefined;
  // V0 ran until 0.10; a V0 log dated later ran an older release.
  if (engine === 'V0' && parseVllmVersion(v)!.minor >= 11) return '0.10.0';
  return v;
}

interface VersionRead {
  version: VllmVersion;
  versionFrom: string;
  versionLabel: string;
  assumed?: string;
}

/** The version, from the most direct evidence to the least: printed, directive, a message, the date, the format. */
function versionOf(facts: LogFacts, engine: LoggedEngine | undefined): VersionRead {
  const printed = facts.version ? parseVllmVersion(facts.version.value) : undefined;
  if (printed)
    return { version: printed, versionFrom: `line ${facts.version!.line + 1}`, versionLabel: facts.version!.value };
  const directive = facts.directives.vllm;
  const directed = directive ? parseVllmVersion(directive.value) : undefined;
  if (directed)
    return {
      version: directed,
      versionFrom: `the lm-eval-lens directive, line ${directive!.line + 1}`,
      versionLabel: directive!.value,
    };
  const h = facts.versionHint;
  if (h)
    return {
      version: parseVllmVersion(h.value.version)!,
      versionFrom: `${h.value.why}, line ${h.line + 1}`,
      versionLabel: `≥ ${h.value.version}`,
      assumed: `vLLM version not in the log: ${h.value.version} assumed (${h.value.why}, line ${h.line + 1})`,
    };
  const dated = facts.date ? versionByDate(facts.date.value, engine) : undefined;
  if (dated)
    return {
      version: parseVllmVersion(dated)!,
      versionFrom: `the log's date (${facts.date!.value})`,
      versionLabel: dated,
      assumed: `vLLM version not in the log: ${dated} assumed from the date ${facts.date!.value}`,
    };
  const typical = TYPICAL_VERSION[engine ?? 'V0'];
  return {
    version: parseVllmVersion(typical)!,
    versionFrom: 'assumed',
    versionLabel: typical,
    assumed: `vLLM version not in the log: ${typical} assumed (typical for the ${engine ?? 'V0'} log format)`,
  };
}

interface SettingsRead {
  settings: VllmSettings;
  modelArgs: Map<string, string | number | boolean>;
  userArgs: Map<string, string | number | boolean>;
}

/**
 * Whether a value vLLM's engine config printed is one no default gives, so the user (or the checkpoint)
 * chose it: a command rebuilt from the config without it would launch another engine, or none (a
 * bnb checkpoint without its quantization and load format). `modelMaxLen` is the length vLLM derives
 * from the model's config, when the model is known.
 */
function chosenInEngineConfig(key: string, value: string | number | boolean, modelMaxLen?: number): boolean {
  switch (key) {
    case 'quantization':
    case 'kv_cache_dtype':
      return true; // 'auto' and None are skipped before
    case 'load_format':
      return value !== 'auto';
    case 'trust_remote_code':
      return value === true;
    case 'dtype':
      return value === 'float32';
    case 'max_model_len':
      return modelMaxLen === undefined || num(value) !== modelMaxLen;
    case 'tensor_parallel_size':
    case 'pipeline_parallel_size':
    case 'data_parallel_size':
      return (num(value) ?? 1) > 1;
    default:
      return false;
  }
}

/** The logged engine settings as the memory model's inputs, and as model_args (all, and the user's own). */
function settingsOf(facts: LogFacts, engine: LoggedEngine, version: VllmVersion, modelMaxLen?: number): SettingsRead {
  const s = facts.settings;
  const settings: VllmSettings = {};
  const modelArgs = new Map<string, string | number | boolean>();
  const userArgs = new Map<string, string | number | boolean>();
  const keep = (key: string, value: string | number | boolean) => {
    modelArgs.set(key, value);
    if (facts.settingSources[key] !== 'engine-config' || chosenInEngineConfig(key, value, modelMaxLen))
      userArgs.set(key, value);
  };
  const setNum = (key: string, set: (n: number) => void) => {
    const n = num(s[key]?.value);
    if (n !== undefined) {
      set(n);
      keep(key, n);
    }
  };
  setNum('gpu_memory_utilization', (n) => (settings.gpuMemoryUtilization = n));
  // Else vLLM's own budget line, else the utilization its free-memory check printed.
  const printed =
    facts.memory.gpuMemoryUtilization?.value ??
    facts.failures.find((f) => f.numbers.requestedUtilization !== undefined)?.numbers.requestedUtilization;
  if (settings.gpuMemoryUtilization === undefined && printed !== undefined) {
    settings.gpuMemoryUtilization = printed;
    modelArgs.set('gpu_memory_utilization', printed);
  }
  setNum('max_model_len', (n) => (settings.maxModelLen = n));
  setNum('tensor_parallel_size', (n) => (settings.tensorParallelSize = n));
  setNum('pipeline_parallel_size', (n) => (settings.pipelineParallelSize = n));
  setNum('data_parallel_size', (n) => (settings.dataParallelSize = n));
  setNum('max_num_seqs', (n) => (settings.maxNumSeqs = n));
  setNum('max_num_batched_tokens', (n) => (settings.maxNumBatchedTokens = n));
  setNum('block_size', (n) => (settings.blockSize = n));
  setNum('cpu_offload_gb', (n) => (settings.cpuOffloadGb = n));
  setNum('kv_cache_memory_bytes', (n) => (settings.kvCacheMemoryBytes = n));
  for (const key of ['dtype', 'kv_cache_dtype', 'quantization'] as const) {
    const v = s[key]?.value;
    if (typeof v !== 'string' || /^(auto|none)$/i.test(v)) continue;
    if (key === 'dtype') settings.dtype = v;
    else if (key === 'kv_cache_dtype') settings.kvCacheDtype = v;
    // vLLM names the kernel it picked (gptq_marlin, awq_marlin): the weights are the base method's.
    else settings.quantization = v.replace(/_marlin$/, '');
    keep(key, v);
  }
  for (const [key, set] of [
    ['enforce_eager', (b: boolean) => (settings.enforceEager = b)],
    ['enable_chunked_prefill', (b: boolean) => (settings.enableChunkedPrefill = b)],
  ] as const) {
    const b = bool(s[key]?.value);
    if (b !== undefined) {
      set(b);
      // A default written out by vLLM's config repr (enforce_eager=False) is not worth repeating.
      if (b || facts.settingSources[key] !== 'engine-config') keep(key, b);
    }
  }
  for (const key of ['load_format', 'trust_remote_code'] as const) {
    const v = s[key]?.value;
    if (v !== undefined && (facts.settingSources[key] !== 'engine-config' || chosenInEngineConfig(key, v)))
      userArgs.set(key, v);
  }
  const useV1 = facts.env.VLLM_USE_V1?.value;
  if (engine === 'V0' && version.minor >= 8 && version.minor < 11) settings.useV1 = false;
  else if (engine === 'V1' && version.minor === 7) settings.useV1 = true;
  else if (useV1 !== undefined) settings.useV1 = useV1 === '1' || /^true$/i.test(useV1);
  const estimateGraphs = facts.env.VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS?.value;
  if (estimateGraphs !== undefined) settings.estimateCudaGraphs = estimateGraphs === '1';
  return { settings, modelArgs, userArgs };
}

export function launchFromLog(facts: LogFacts, providers: FactProviders, fallbackGpu = ''): LogLaunch {
  const assumptions: string[] = [];
  const eng = engineOf(facts);
  const v = versionOf(facts, eng?.engine);
  if (v.assumed) assumptions.push(v.assumed);
  const version = v.version;
  const engine: LoggedEngine = eng?.engine ?? (version.minor >= 8 || version.major > 0 ? 'V1' : 'V0');
  const engineFrom = eng?.from ?? `the default of vLLM ${versionText(version)}`;
  const g = gpuOf(facts, fallbackGpu);
  if (g.assumed) assumptions.push(g.assumed);
  const model = facts.model?.value;
  const arch = architectureOf(model, providers);
  const { settings, modelArgs, userArgs } = settingsOf(
    facts,
    engine,
    version,
    arch.architecture && defaultMaxModelLen(arch.architecture.architecture, version),
  );
  const server = facts.server?.value === true;
  const env: Record<string, string> = {};
  for (const [k, val] of Object.entries(facts.env)) env[k] = val.value;

  // What lm-eval asked of the engine: the request types it ran; a prompt-logprobs frame is loglikelihood.
  const outputTypes = new Set<OutputType>(facts.outputTypes);
  if (facts.failures.some((f) => f.frames.some((fr) => /_loglikelihood_tokens|prompt_logprob|get_logprobs/.test(fr))))
    outputTypes.add('loglikelihood');
  const workload: Workload = { outputTypes: [...outputTypes] };

  if (model && !arch.architecture)
    assumptions.push(`model "${model}" is not in the catalog or the local Hugging Face cache`);
  if (arch.matchedAs) assumptions.push(`model "${model}" read as ${arch.matchedAs}`);

  const launch: LogLaunch = {
    versionLabel: v.versionLabel,
    userArgs,
    gpu: g.gpu,
    gpuFrom: g.from,
    version,
    versionFrom: v.versionFrom,
    versionAssumed: v.assumed !== undefined,
    engine,
    engineFrom,
    settings,
    modelArgs,
    workload,
    server,
    entrypoint: server ? 'serve' : 'llm',
    env,
    assumptions,
  };
  if (model) launch.model = model;
  if (arch.architecture) launch.architecture = arch.architecture;
  if (arch.matchedAs) launch.architectureMatchedAs = arch.matchedAs;
  const cvd = facts.env.CUDA_VISIBLE_DEVICES?.value;
  if (facts.memory.kvCacheGiB) launch.loggedKvGiB = facts.memory.kvCacheGiB.value;
  if (cvd) launch.gpuCount = cvd.split(',').filter((x) => x.trim() !== '' && x.trim() !== '-1').length;
  else if (facts.directives.gpuCount) launch.gpuCount = facts.directives.gpuCount;
  return launch;
}
