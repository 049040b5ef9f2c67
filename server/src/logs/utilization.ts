// Where the gpu_memory_utilization of a logged run comes from, so a fix that moves it says what it
// moves it from: the log (a setting vLLM or lm-eval printed, or vLLM's own budget line), else the
// default of the release and entrypoint that ran. vLLM's default is 0.90, 0.92 from 0.21 (#38284);
// lm-eval passed its own 0.9 up to 0.4.11 and leaves vLLM's default from 0.4.12
// (reference/vllm-memory.md §1, reference/lm-eval.md).
import { defaultGpuMemoryUtilization } from '../memory/defaults';
import { versionText } from '../memory/version';
import type { LogLaunch } from './launch';
import type { LogFacts } from './types';

export interface UtilizationOrigin {
  value: number;
  /** Read from the log (else a default). */
  logged: boolean;
  /** "0.8, logged on line 12" / "0.9, not in the log: the default of vLLM 0.6.6, version assumed". */
  text: string;
}

/** The log shows lm-eval running the engine (its arguments, its command, its requests or frames). */
export function lmEvalRan(facts: LogFacts): boolean {
  return (
    facts.lmEvalModelArgs !== undefined ||
    /\blm[_-]eval\b/.test(facts.command?.value ?? '') ||
    facts.outputTypes.length > 0 ||
    facts.failures.some((f) => f.frames.some((fr) => /(^|\/)lm_eval\//.test(fr)))
  );
}

export function utilizationOrigin(facts: LogFacts, launch: LogLaunch): UtilizationOrigin {
  const setting = facts.settings.gpu_memory_utilization;
  const figure = facts.memory.gpuMemoryUtilization;
  // The free-memory check prints the utilization it checked.
  const checked = facts.failures.find((f) => f.numbers.requestedUtilization !== undefined);
  const loggedLine = setting && Number.isFinite(Number(setting.value)) ? setting.line : (figure?.line ?? checked?.line);
  const value = launch.settings.gpuMemoryUtilization;
  if (value !== undefined && loggedLine !== undefined)
    return { value, logged: true, text: `${value}, logged on line ${loggedLine + 1}` };
  const byDefault = value ?? defaultGpuMemoryUtilization(launch.version);
  const release = `vLLM ${versionText(launch.version)}${launch.versionAssumed ? ', version assumed' : ''}`;
  const whose = lmEvalRan(facts)
    ? byDefault === 0.9
      ? `the default lm-eval passes to ${release}`
      : `the default of ${release} (0.9 if lm-eval ≤ 0.4.11 ran it)`
    : `the default of ${release}`;
  return { value: byDefault, logged: false, text: `${byDefault}, not in the log: ${whose}` };
}

/**
 * A fix's title with where the utilization it changes came from: `Lower gpu_memory_utilization to
 * 0.87 (from 0.9, …: not in the log; if yours differs, lower it by 0.03)`.
 */
export function titleWithOrigin(title: string, to: number, origin: UtilizationOrigin): string {
  const step = Math.round(Math.abs(origin.value - to) * 100) / 100;
  const way = to < origin.value ? 'lower' : 'raise';
  const relative = origin.logged || step === 0 ? '' : `; if yours differs, ${way} it by ${step}`;
  const from = `from ${origin.text}${relative}`;
  // One parenthesis: "… to 0.65 (what is free; from 0.95, logged on line 1)".
  return title.endsWith(')') ? `${title.slice(0, -1)}; ${from})` : `${title} (${from})`;
}
