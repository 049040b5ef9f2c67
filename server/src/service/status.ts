// What the client's language status item shows: the GPU and vLLM version in use, and their source.
import { GPU_CATALOG } from '../memory/gpus';
import { LATEST_VLLM_VERSION, parseVllmVersion, versionText } from '../memory/version';
import { FALLBACK_GPU, type LmEvalLensSettings } from '../shared/settings';
import type { DocumentStatus } from '../shared/messages';
import type { AnalyzedDocument } from './analyzedDocument';

export type { DocumentStatus };

export function documentStatus(analysis: AnalyzedDocument | undefined, settings: LmEvalLensSettings): DocumentStatus {
  const launch = analysis?.launches.find((l) => l.isVllm) ?? analysis?.launches[0];
  if (launch) {
    const s: DocumentStatus = {
      gpu: launch.gpu.spec.name,
      gpuSource: launch.gpu.source,
      vllmVersion: launch.vllm.text,
      vllmSource: launch.vllm.source,
      vllmVersionLabel: launch.vllm.label,
      harnessVersionLabel: launch.harness.label,
      launches: analysis!.launches.length,
    };
    if (launch.gpu.count !== undefined) s.gpuCount = launch.gpu.count;
    if (launch.estimate) s.verdict = launch.estimate.verdict;
    return s;
  }
  const v = settings.vllmVersion && parseVllmVersion(settings.vllmVersion);
  const s: DocumentStatus = {
    gpu: settings.gpu || FALLBACK_GPU,
    gpuSource: settings.gpu ? 'settings' : 'default',
    vllmVersion: v ? settings.vllmVersion : versionText(LATEST_VLLM_VERSION),
    vllmSource: v ? 'settings' : 'default',
    launches: 0,
  };
  if (analysis?.harness) s.harnessVersionLabel = analysis.harness.label;
  return s;
}

export function gpuCatalogNames(): string[] {
  return GPU_CATALOG.map((g) => g.name);
}
