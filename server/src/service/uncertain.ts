// A value the tool cannot know (`tensor_parallel_size=$NUM`, `max_model_len=$(…)`) is unknown,
// never evidence of an error (#14): the estimate runs with vLLM's default for it, and a finding
// that rests on the estimate says so and is at most a warning.
import { DEFAULT_GPU_UNCERTAIN } from '../facts/gpu';
import type { LaunchFacts } from '../facts/launch';
import { MEMORY_REASON_CODES, type MemoryReasonCode } from '../memory/types';
import { atLeast, EARLIEST_MODELLED_VLLM_VERSION as EARLIEST, versionText } from '../memory/version';
import type { DefaultValue, ModelArg } from '../parse/types';
import type { DiagnosticCode } from '../shared/codes';
import type { Finding, OffsetRange } from '../shared/findings';
import { clipUserText } from '../shared/userText';
import { failsOnEveryCatalogGpu } from './gpuFit';

// The codes whose findings rest on resolved settings: the memory model's own, and the two launch
// rules that judge max_model_len and the parallel layout.
const MEMORY_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(MEMORY_REASON_CODES);
const MODEL_KEYS: ReadonlySet<string> = new Set(['pretrained', 'model']);

// The findings the GPU's memory decides: not tp-not-divisible (it counts GPUs), max-gen-toks and
// max-model-len (token counts) or float32-weights (a dtype).
const GPU_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(
  MEMORY_REASON_CODES.filter((c) => c !== 'max-model-len-too-long' && c !== 'float32-weights'),
);
const ESTIMATE_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  ...MEMORY_REASON_CODES,
  'max-gen-toks-too-large',
  'tp-not-divisible',
]);

/** The unknown settings of a launch as the user wrote them: `tensor_parallel_size ($NUM)`. */
export function unknownSettingsText(f: LaunchFacts): string {
  const short = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
  return f.unknownArgs
    .map((a) =>
      a.keyUnresolved ? `whatever ${short(unknownSource(a))} sets` : `${a.key.trim()} (${short(a.rawValue)})`,
    )
    .join(', ');
}

/**
 * The defaults a launch's settings were taken from, in words: "the default `X` of `${1:-…}`, the
 * script's argument 1 (pretrained)". A default the caller may override is not a certain value.
 */
export function defaultSettingsText(f: LaunchFacts): string {
  const byDefault = new Map<DefaultValue, string[]>();
  for (const d of f.defaultArgs) byDefault.set(d.default, [...(byDefault.get(d.default) ?? []), d.arg.key.trim()]);
  return [...byDefault]
    .map(([d, keys]) => `the default \`${clipUserText(d.value)}\` of ${d.of} (${keys.join(', ')})`)
    .join('; ');
}

/**
 * What a finding resting on the estimate assumes that is not known here, one sentence each: the
 * unknown settings (vLLM's default taken), defaults the caller may override, a GPU that may have
 * more memory, a model matched only by its name. Any of them makes an estimated failure uncertain: at most a warning, exit status 0.
 */
export function uncertaintyNotes(f: LaunchFacts): string[] {
  const notes: string[] = [];
  if (f.unknownArgs.length)
    notes.push(`This assumes vLLM's default for ${unknownSettingsText(f)}, whose value is not known here.`);
  if (f.defaultArgs.length)
    notes.push(`Judged assuming ${defaultSettingsText(f)}; the value passed when it runs may differ.`);
  const gpu = gpuUncertaintyNote(f);
  if (gpu) notes.push(gpu);
  // A local fine-tune matched by its folder's name may change what the catalog says.
  const byName = f.architecture?.architecture.matchedByName;
  if (byName) notes.push(`This assumes the catalog's config: ${byName}; a fine-tune may differ.`);
  return notes;
}

/**
 * A GPU that may have more memory (`v100`, a ROCm launch, the default when nothing names one): a
 * failure on the one assumed may not happen. Not when the launch fails on every catalog GPU.
 */
function gpuUncertaintyNote(f: LaunchFacts, code?: DiagnosticCode): string | undefined {
  if (!f.gpu.uncertain) return undefined;
  // Only the catalog's own fallback: a ROCm launch's GPU may be none of the catalog's.
  const memoryCode = code && MEMORY_CODES.has(code) ? (code as MemoryReasonCode) : undefined;
  if (f.gpu.uncertain === DEFAULT_GPU_UNCERTAIN && failsOnEveryCatalogGpu(f, memoryCode)) return undefined;
  return `This assumes the ${f.gpu.spec.name}: ${f.gpu.uncertain}.`;
}

export function markUncertain(launch: LaunchFacts, findings: Finding[]): Finding[] {
  // Without an estimate no finding rests on the model (QA3 F5: vLLM's free-memory check at
  // gpu_memory_utilization=1.0 refuses whatever it loads), so an unknown model is no uncertainty.
  const f = launch.estimate
    ? launch
    : { ...launch, unknownArgs: launch.unknownArgs.filter((a) => !MODEL_KEYS.has(a.key.trim())) };
  const notes = uncertaintyNotes(f);
  const gpuNote = f.gpu.uncertain ? `This assumes the ${f.gpu.spec.name}: ${f.gpu.uncertain}.` : undefined;
  const otherNotes = notes.filter((n) => n !== gpuNote);
  // A release older than the oldest modelled accounting (0.4.0) is estimated with 0.4.0's: its
  // memory findings are not certain (vLLM 0.2.x charged NCCL memory differently, vllm#2031).
  const oldRelease = f.isVllm && !atLeast(f.vllm.version, EARLIEST.major, EARLIEST.minor, EARLIEST.patch);
  if (!otherNotes.length && !gpuNote && !oldRelease) return findings;
  const noteFor = (code: DiagnosticCode) => {
    if (!ESTIMATE_CODES.has(code)) return '';
    // The GPU's note where this finding depends on the GPU and does not fail on every catalog GPU.
    const gpu = GPU_CODES.has(code) ? gpuUncertaintyNote(f, code) : undefined;
    const which = gpu ? [...otherNotes, gpu] : otherNotes;
    return which.length ? ` ${which.join(' ')}` : '';
  };
  const releaseNote = oldRelease
    ? ` vLLM ${f.vllm.text} predates the modelled accounting (${versionText(EARLIEST)} on): this is ${versionText(EARLIEST)}'s.`
    : '';
  // A fix must not overwrite what the script computes (`$UTIL`, `$(nvidia-smi …)`).
  const unknownRanges = f.unknownArgs.flatMap((a) => [a.range, a.valueRange]);
  const touchesUnknown = (r: OffsetRange) => unknownRanges.some((u) => r.start < u.end && u.start < r.end);
  return findings.map((x) => {
    // Weights larger than the whole device fail to load in any release.
    const anyRelease =
      x.code === 'weights-exceed-budget' && !!f.estimate && f.estimate.weightsBytes > f.estimate.totalBytes;
    const extra = noteFor(x.code) + (MEMORY_CODES.has(x.code) && !anyRelease ? releaseNote : '');
    if (!extra) return x;
    const out: Finding = {
      ...x,
      severity: x.severity === 'error' ? 'warning' : x.severity,
      message: x.message + extra,
    };
    if (x.fixes) out.fixes = x.fixes.filter((fix) => !fix.edits.some((e) => !e.file && touchesUnknown(e.range)));
    return out;
  });
}

/** The unknown settings as assumptions: `max_model_len is not known here ($LEN): vLLM's default assumed`. */
export function unknownArgAssumptions(f: LaunchFacts): string[] {
  const out = f.unknownArgs.map((a) =>
    a.keyUnresolved
      ? `${unknownSource(a)} is not known here and may set more arguments: not counted`
      : `${a.key.trim()} is not known here (${a.rawValue}): vLLM's default assumed`,
  );
  if (f.defaultArgs.length) out.push(`assuming ${defaultSettingsText(f)}: the value passed when it runs may differ`);
  return out;
}

/** How to give a value the file does not set: a `$NAME=` directive for a plain variable. */
export function unknownValueHint(a: ModelArg): string {
  const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(a.rawValue.trim());
  return m
    ? ` Add \`# lm-eval-lens: $${m[1]}=VALUE\` to this file to estimate with a value.`
    : ' Set it in this file to estimate with a value.';
}

/** What an unknown key stands for: `$EXTRA_ARGS`, or the file a `--config` flag names. */
export function unknownSource(a: ModelArg): string {
  return a.key.trim() === 'config' && a.rawValue ? a.rawValue : a.key;
}
