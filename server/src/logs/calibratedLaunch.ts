// The launch a log describes, as the launch rules see one (LaunchFacts), so their fix search runs
// unchanged on it. Its estimates are the memory model's, anchored to what the log measured: each
// candidate setting is judged by the model's *change* from the logged point, added to the logged
// figures, and the failure the log shows is a reason the candidate must remove.
//
//   KV cache        logged KV bytes + (model's KV at the candidate − model's KV at the logged settings)
//   one sequence    model's need × (logged need ÷ model's need)          (V1 prints the need it checked)
//   an OOM          the candidate must gain at least (tried − free) + a margin of headroom
//                   (or, while loading or profiling, shrink weights and activations by as much)
//   free memory     the budget (util × total) must fit in the free memory the log shows
import { buildLaunchFacts, type LaunchFacts } from '../facts/launch';
import type { FactProviders } from '../facts/providers';
import { estimateVllmMemory } from '../memory/estimate';
import type { EstimateReason, MemoryEstimate, VllmSettings } from '../memory/types';
import { versionText } from '../memory/version';
import { parseDirectives } from '../parse/directives';
import { findInvocations } from '../parse/invocations';
import { normalizeSettings } from '../shared/settings';
import type { LogLaunch } from './launch';
import { GiB } from '../shared/units';

/** What a candidate setting must achieve for the failure in the log not to happen again. */
export type LogConstraint =
  /** An OOM after start-up (graphs, prompt logprobs, a step): gain this much headroom outside the budget.
   * `inGraphCapture`: the OOM happened capturing CUDA graphs, so running without them (enforce_eager) removes it. */
  | { kind: 'headroom'; code: string; requiredGainBytes: number; inGraphCapture?: boolean }
  /** An OOM while loading weights or in the profile run: weights and activations must fit the device. */
  | { kind: 'device'; code: string; deviceBytes: number; weightsScale: number; activationScale: number }
  /** The free-memory check: the budget must fit in what other processes leave free. */
  | { kind: 'free'; code: string; freeBytes: number }
  /** The sampler warm-up: free what it lacked, by fewer dummy requests or (after the KV cache) more headroom. */
  | {
      kind: 'sampler';
      code: string;
      requiredBytes: number;
      bytesPerSeq: number;
      loggedSeqs: number;
      afterKvCache: boolean;
    };

export interface LogCalibration {
  /** Logged KV bytes − the model's, at the logged settings (0 when the log has no KV figure). */
  kvOffsetBytes: number;
  /** Logged ÷ the model's KV need of one max_model_len request (V1's error prints it); 1 otherwise. */
  oneSequenceScale: number;
  constraint?: LogConstraint;
  /** The codes whose reasons the calibrated estimate decides (the model's own are dropped). */
}

/** An OOM's margin: allocations come in several pieces, and fragmentation eats some (0.5 GiB or 2 % of the GPU). */
export function oomMarginBytes(totalBytes: number): number {
  return Math.max(0.5 * GiB, 0.02 * totalBytes);
}

const FAILING_CODES = new Set(['kv-cache-too-small', 'weights-exceed-budget', 'gpu-memory-in-use']);

/** The model's estimate at `e`'s settings, re-judged against the log (see the header). */
export function calibrateEstimate(
  e: MemoryEstimate,
  base: MemoryEstimate,
  cal: LogCalibration,
  settings: VllmSettings,
): MemoryEstimate {
  const c = cal.constraint;
  const decided = new Set([...FAILING_CODES, ...(c ? [c.code] : [])]);
  // Where the model itself foresaw the logged failure, its own reason must go too.
  const modelSawIt = c && base.reasons.some((r) => r.code === c.code);
  const reasons: EstimateReason[] = e.reasons.filter(
    (r) => !decided.has(r.code) || (modelSawIt && r.code === c?.code && !FAILING_CODES.has(r.code)),
  );
  const add = (code: string, message: string) => {
    // What the log proves would happen again is a failure, not a risk.
    if (!reasons.some((r) => r.code === code))
      reasons.push({ code: code as EstimateReason['code'], message, verdict: 'will-fail' });
  };
  let failing = false;
  const virtualEngines = e.effective.engine === 'V0' ? e.effective.pipelineParallelSize : 1;
  const kv = e.kvCacheBytes + cal.kvOffsetBytes;
  const need = e.oneSequenceKvBytes * cal.oneSequenceScale;
  if (kv <= 0) {
    add(
      'weights-exceed-budget',
      `No available memory for the cache blocks (${(kv / GiB).toFixed(2)} GiB left for KV).`,
    );
    failing = true;
  } else if (kv / virtualEngines < need) {
    add(
      'kv-cache-too-small',
      `One max_model_len=${e.maxModelLen} request needs ${(need / GiB).toFixed(2)} GiB of KV cache; ${(kv / virtualEngines / GiB).toFixed(2)} GiB is available.`,
    );
    failing = true;
  }
  if (c?.kind === 'headroom') {
    const graphsFreed = e.cudaGraphInsideBudget ? base.cudaGraphBytes - e.cudaGraphBytes : 0;
    const gain = e.headroomBytes - base.headroomBytes + graphsFreed;
    const noGraphsNow = c.inGraphCapture && e.effective.enforceEager && !base.effective.enforceEager;
    if (!noGraphsNow && gain < c.requiredGainBytes) {
      add(c.code, `Frees ${(gain / GiB).toFixed(2)} GiB of the ${(c.requiredGainBytes / GiB).toFixed(2)} GiB needed.`);
      failing = true;
    }
  } else if (c?.kind === 'device') {
    const needed = c.weightsScale * e.weightsBytes + c.activationScale * e.activationBytes + e.nonTorchBytes;
    if (needed + e.cudaContextBytes > c.deviceBytes) {
      add(
        c.code,
        `Weights and the profile run need ${(needed / GiB).toFixed(2)} GiB per GPU; the device leaves ${((c.deviceBytes - e.cudaContextBytes) / GiB).toFixed(2)} GiB.`,
      );
      failing = true;
    }
  } else if (c?.kind === 'free') {
    if (e.budgetBytes > c.freeBytes) {
      add(
        c.code,
        `gpu_memory_utilization asks for ${(e.budgetBytes / GiB).toFixed(2)} GiB; ${(c.freeBytes / GiB).toFixed(2)} GiB is free.`,
      );
      failing = true;
    }
  } else if (c?.kind === 'sampler') {
    const seqs = settings.maxNumSeqs ?? e.effective.maxNumSeqs;
    const fewer = Math.max(0, c.loggedSeqs - Math.min(seqs, c.loggedSeqs)) * c.bytesPerSeq;
    const other = c.afterKvCache ? e.headroomBytes - base.headroomBytes : base.weightsBytes - e.weightsBytes;
    if (fewer + Math.max(0, other) < c.requiredBytes) {
      add(
        c.code,
        `Frees ${((fewer + Math.max(0, other)) / GiB).toFixed(2)} GiB of the ${(c.requiredBytes / GiB).toFixed(2)} GiB the sampler warm-up lacked.`,
      );
      failing = true;
    }
  }
  const verdict: MemoryEstimate['verdict'] =
    failing || reasons.some((r) => r.verdict === 'will-fail')
      ? 'will-fail'
      : reasons.some((r) => r.verdict === 'at-risk')
        ? 'at-risk'
        : 'fits';
  const kvCacheTokens = kv > 0 ? Math.floor(kv / e.kvBytesPerToken / virtualEngines) : 0;
  return { ...e, kvCacheBytes: kv, kvCacheTokens, reasons, verdict };
}

export interface LogLaunchFacts {
  facts: LaunchFacts;
  /** The synthetic `lm_eval` command the facts were parsed from (the fixes edit it). */
  commandText: string;
  /** The model's estimate at the logged settings, uncalibrated (the self-check compares it). */
  modelEstimate?: MemoryEstimate;
}

function argText(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** The launch as an `lm_eval --model vllm --model_args ...` command the launch rules can read and fix. */
export function syntheticCommand(launch: LogLaunch): string {
  const pairs = [`pretrained=${launch.model ?? launch.architecture?.architecture.id ?? 'unknown'}`];
  for (const [k, v] of launch.modelArgs) pairs.push(`${k}=${argText(v)}`);
  return `lm_eval --model vllm --model_args ${pairs.join(',')}\n`;
}

export function logLaunchFacts(
  launch: LogLaunch,
  cal: LogCalibration,
  providers: FactProviders,
): LogLaunchFacts | undefined {
  const commandText = syntheticCommand(launch);
  const invocation = findInvocations(commandText, { path: 'launch.sh' })[0];
  if (!invocation) return undefined;
  const isolated: FactProviders = {
    resolveArchitecture: (id) =>
      launch.architecture && id === (launch.model ?? launch.architecture.architecture.id)
        ? launch.architecture
        : providers.resolveArchitecture(id),
    resolveTasks: () => ({ tasks: [], unknown: [] }),
    detectGpus: () => undefined,
  };
  const facts = buildLaunchFacts(
    commandText,
    invocation,
    parseDirectives(''),
    normalizeSettings({ vllmVersion: versionText(launch.version) }),
    isolated,
  );
  const arch = launch.architecture?.architecture;
  const gpu = { ...launch.gpu };
  if (cal.constraint?.kind === 'free') gpu.freeBytes = cal.constraint.freeBytes;
  const estimate = (overrides: Partial<VllmSettings>): MemoryEstimate | undefined => {
    if (!arch) return undefined;
    try {
      return estimateVllmMemory({
        architecture: arch,
        gpu,
        settings: { ...launch.settings, ...overrides },
        workload: launch.workload,
        version: launch.version,
        entrypoint: launch.entrypoint,
        env: launch.env,
      });
    } catch {
      return undefined; // the model never takes the diagnosis down
    }
  };
  const modelEstimate = estimate({});
  const estimateWith = (overrides: Partial<VllmSettings>): MemoryEstimate | undefined => {
    const e = estimate(overrides);
    return e && modelEstimate ? calibrateEstimate(e, modelEstimate, cal, { ...launch.settings, ...overrides }) : e;
  };
  const logFacts: LaunchFacts = {
    ...facts,
    gpu: {
      spec: gpu,
      source: 'settings',
      // How many GPUs the job may use is rarely in a log: a node of 8 is assumed for tensor-parallel fixes.
      count:
        launch.gpuCount ??
        Math.max(8, (launch.settings.tensorParallelSize ?? 1) * (launch.settings.pipelineParallelSize ?? 1)),
    },
    vllm: {
      package: 'vllm',
      version: launch.version,
      text: versionText(launch.version),
      source: 'settings',
      range: false,
      notes: [],
      label: `vLLM ${launch.versionLabel} (${launch.versionFrom})`,
    },
    workload: launch.workload,
    settings: launch.settings,
    estimate: estimateWith({}),
    estimateWith,
  };
  const out: LogLaunchFacts = { facts: logFacts, commandText };
  if (modelEstimate) out.modelEstimate = modelEstimate;
  return out;
}
