// From the facts of a log to a diagnosis in the launch rules' vocabulary: the root failure, its
// cause as a diagnostic code, one sentence and the numbers behind it, the fixes the launch rules'
// own fix search finds for the logged settings (checked against the logged figures), and the
// self-check of the memory model on this run. A failure that is not about GPU memory gets
// `run-failure` and no memory diagnosis.
import type { FactProviders } from '../facts/providers';
import type { MemoryEstimate } from '../memory/types';
import type { DiagnosticCode } from '../shared/codes';
import { logLaunchFacts } from './calibratedLaunch';
import { parseDictRepr, parseKeyValueList } from './configLine';
import { causeSentence, oomDetails } from './explanation';
import { causeCode, failurePhase, rootFailure } from './failureCause';
import { applyToModelArgs, changesAsFlags, type FixValue, type LogFix } from './fixedArgs';
import { searchFixes } from './fixSearch';
import { launchFromLog, type LogLaunch } from './launch';
import { selfCheckRows, type SelfCheckRow } from './selfCheck';
import { commandSettings } from './settingsLines';
import { type FailurePhase, type LogFacts, type LogFailure, MEMORY_FAILURE_KINDS } from './types';
import { utilizationOrigin } from './utilization';

export type { LogFix } from './fixedArgs';

export type FixedArgsSource = 'command' | 'lm-eval' | 'call' | 'engine-config';

export type LogStatus = 'failed' | 'healthy' | 'incomplete' | 'no-vllm';

export interface LogDiagnosis {
  status: LogStatus;
  failure?: LogFailure;
  code?: DiagnosticCode;
  /** The failure is about GPU memory. */
  memory: boolean;
  phase?: FailurePhase;
  /** One sentence: what happened and why. */
  cause: string;
  /** The numbers behind it, one per line. */
  details: string[];
  fixes: LogFix[];
  /** The launch's --model_args with the preferred fix applied (lm-eval runs). */
  fixedModelArgs?: string;
  /** What fixedModelArgs starts from: the echoed command, lm-eval's printed arguments, the user's
   * `LLM(...)` call in a traceback, or (none of those in the log) vLLM's engine config. */
  fixedModelArgsFrom?: FixedArgsSource;
  /** `vllm serve` flags of the preferred fix. */
  fixedFlags?: string;
  launch: LogLaunch;
  selfCheck?: SelfCheckRow[];
  /** The memory model's estimate at the logged settings. */
  estimate?: MemoryEstimate;
  assumptions: string[];
}

export interface DiagnoseOptions {
  /** GPU to assume when the log names none (settings); empty = A100-80GB. */
  fallbackGpu?: string;
}

function statusOf(facts: LogFacts, failure: LogFailure | undefined): LogStatus {
  if (failure) return 'failed';
  const ms = facts.milestones;
  if (
    ms.engineReady !== undefined ||
    ms.graphCaptureFinished !== undefined ||
    ms.requestsStarted !== undefined ||
    ms.runFinished !== undefined
  )
    return 'healthy';
  // enforce_eager: the KV cache sized is the last start-up step V0 logs.
  if (ms.kvCacheSized !== undefined && facts.settings.enforce_eager?.value === true) return 'healthy';
  return facts.vllmSeen ? 'incomplete' : 'no-vllm';
}

type ModelArgPairs = [string, FixValue | null][];

/**
 * The user's own model_args, in their order: the echoed command, else lm-eval's printed arguments,
 * else the `LLM(...)` call a traceback quotes (an expression's value taken from what vLLM logged,
 * else left out), else rebuilt from vLLM's engine config: the model and the values no default gives.
 */
function userModelArgs(facts: LogFacts, launch: LogLaunch): { pairs: ModelArgPairs; from: FixedArgsSource } {
  if (facts.command && !launch.server) {
    const fromCommand = commandSettings(facts.command.value);
    if (Object.keys(fromCommand).length) return { pairs: Object.entries(fromCommand), from: 'command' };
  }
  const printed = facts.lmEvalModelArgs?.value;
  if (printed) {
    const parsed = printed.trim().startsWith('{') ? parseDictRepr(printed) : parseKeyValueList(printed);
    if (Object.keys(parsed).length) return { pairs: Object.entries(parsed), from: 'lm-eval' };
  }
  if (facts.engineCall) {
    const pairs: ModelArgPairs = [];
    for (const { key, value } of facts.engineCall.value) {
      const name = key === 'model' ? 'pretrained' : key;
      const v = value !== undefined ? value : key === 'model' ? launch.model : facts.settings[key]?.value;
      if (v !== undefined) pairs.push([name, v]);
    }
    if (pairs.length) return { pairs, from: 'call' };
  }
  return {
    pairs: [['pretrained', launch.model ?? 'MODEL'], ...[...launch.userArgs.entries()]],
    from: 'engine-config',
  };
}

export function diagnoseLog(facts: LogFacts, providers: FactProviders, options: DiagnoseOptions = {}): LogDiagnosis {
  const failure = rootFailure(facts);
  const status = statusOf(facts, failure);
  const launch = launchFromLog(facts, providers, options.fallbackGpu ?? '');
  const assumptions = [...launch.assumptions];
  const phase = failure ? failurePhase(failure, facts) : undefined;
  const code = failure && phase ? causeCode(failure, phase, facts, launch) : undefined;
  const memory = code !== undefined && code !== 'run-failure';

  // The memory model at the logged settings, for the self-check and (failures) the fix search.
  const plain = logLaunchFacts(launch, { kvOffsetBytes: 0, oneSequenceScale: 1 }, providers);
  const estimate = plain?.modelEstimate;
  const selfCheck = estimate ? selfCheckRows(facts, estimate) : undefined;
  const origin = utilizationOrigin(facts, launch);
  if (!origin.logged && failure && MEMORY_FAILURE_KINDS.has(failure.kind))
    assumptions.push(`gpu_memory_utilization = ${origin.text} (what the fixes start from)`);
  // The model's own utilization assumption would repeat the one above.
  if (estimate)
    assumptions.push(
      ...estimate.assumptions.filter((a) => origin.logged || !a.startsWith('gpu_memory_utilization =')).slice(0, 12),
    );

  const diagnosis: LogDiagnosis = {
    status,
    memory,
    cause: '',
    details: [],
    fixes: [],
    launch,
    assumptions,
  };
  if (selfCheck) diagnosis.selfCheck = selfCheck;
  if (estimate) diagnosis.estimate = estimate;
  if (!failure || !code || !phase) {
    diagnosis.cause =
      status === 'healthy'
        ? `vLLM started${facts.milestones.runFinished !== undefined ? ' and lm-eval finished' : ''}: no failure in the log.`
        : status === 'incomplete'
          ? 'vLLM started up but the log ends before start-up finished and shows no failure (still running, or cut off).'
          : 'No vLLM start-up and no failure found in the log.';
    return diagnosis;
  }
  diagnosis.failure = failure;
  diagnosis.code = code;
  diagnosis.phase = phase;
  diagnosis.cause = causeSentence(code, failure, phase, launch, estimate, origin);
  diagnosis.details = memory ? oomDetails(failure) : [failure.message];
  if (!memory) return diagnosis;

  const fixes = searchFixes(code, failure, phase, facts, launch, providers, estimate, assumptions, origin);
  diagnosis.fixes = fixes;
  // Advice (free the GPU) changes no setting: there is no fixed command to give.
  const best = fixes[0]?.changes.length ? fixes[0] : undefined;
  if (best) {
    if (launch.server) diagnosis.fixedFlags = changesAsFlags(best.changes);
    else {
      const { pairs, from } = userModelArgs(facts, launch);
      diagnosis.fixedModelArgs = applyToModelArgs(pairs, best.changes);
      diagnosis.fixedModelArgsFrom = from;
    }
  }
  return diagnosis;
}
