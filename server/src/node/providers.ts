// The real providers the CLI and the server inject: the model catalog and local Hugging Face
// cache, task knowledge from the workspace / an lm-eval install / the built-in index, nvidia-smi.
import type { FactProviders, ArchitectureResolution } from '../facts/providers';
import { nodeModelFileProvider, resolveArchitectureOffline } from '../memory/resolveModel';
import type { LmEvalLensSettings } from '../shared/settings';
import { nodeTaskFileSystem } from '../taskconfig';
import { findLmEvalTasksDir, resolveTasks } from '../tasks';
import { nvidiaSmiDetector } from './nvidiaSmi';

export interface NodeProviderOptions {
  settings: LmEvalLensSettings;
  workspaceRoots: string[];
  /** Untrusted workspaces never run executables. */
  trusted: boolean;
}

export function nodeFactProviders(opts: NodeProviderOptions): FactProviders {
  const files = nodeModelFileProvider();
  const taskFs = nodeTaskFileSystem();
  const archCache = new Map<string, ArchitectureResolution | undefined>();
  const lmEvalTasksDir = opts.settings.lmEvalTasksDir || findLmEvalTasksDir(process.env, taskFs);
  const detect = nvidiaSmiDetector(opts.trusted ? opts.settings.nvidiaSmiPath : '');
  return {
    resolveArchitecture(pretrained) {
      if (!archCache.has(pretrained)) archCache.set(pretrained, resolveArchitectureOffline(pretrained, { files }));
      return archCache.get(pretrained);
    },
    resolveTasks(names, includePaths) {
      return resolveTasks(names, { workspaceRoots: opts.workspaceRoots, includePaths, lmEvalTasksDir }, taskFs);
    },
    detectGpus: detect,
  };
}
