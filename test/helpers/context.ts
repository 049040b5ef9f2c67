// A service context for tests: the built-in model catalog and task index only (no Hugging Face
// cache, no lm-eval install, no nvidia-smi), so results do not depend on the machine.
import type { DetectedGpu, FactProviders } from '../../server/src/facts/providers';
import { lookupArchitecture } from '../../server/src/memory/architectures';
import type { ServiceContext } from '../../server/src/service/analyze';
import { normalizeSettings, type LmEvalLensSettings } from '../../server/src/shared/settings';
import { nodeTaskFileSystem } from '../../server/src/node/taskFileSystem';
import { resolveTasks } from '../../server/src/tasks';

export function testProviders(detected?: DetectedGpu[]): FactProviders {
  const fs = nodeTaskFileSystem();
  return {
    resolveArchitecture(pretrained) {
      const architecture = lookupArchitecture(pretrained);
      return architecture ? { architecture, source: 'catalog' } : undefined;
    },
    resolveTasks(names, includePaths) {
      return resolveTasks(names, { includePaths }, fs);
    },
    detectGpus: () => detected,
  };
}

export function testContext(settings: Partial<LmEvalLensSettings> = {}, detected?: DetectedGpu[]): ServiceContext {
  return {
    settings: normalizeSettings(settings),
    providers: testProviders(detected),
    taskConfig: { fs: nodeTaskFileSystem() },
  };
}
