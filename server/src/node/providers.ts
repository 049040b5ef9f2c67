// The real providers the CLI and the server inject: the model catalog, the local Hugging Face
// cache and (when allowed) the Hub, task knowledge from the workspace / an lm-eval install / the
// built-in index, and nvidia-smi.
import * as os from 'node:os';
import * as path from 'node:path';
import type { ArchitectureResolution, FactProviders } from '../facts/providers';
import { resolveArchitecture, resolveArchitectureOffline } from '../memory/resolveModel';
import { nodeModelFileProvider } from './modelFiles';
import type { PythonEnvironment } from '../shared/messages';
import type { LmEvalLensSettings } from '../shared/settings';
import { nodeTaskFileSystem } from './taskFileSystem';
import {
  findLmEvalTasksDir,
  installedTaskNames,
  invalidateTaskIndexes,
  resolveTasks,
  workspaceTaskOwners,
} from '../tasks';
import { nvidiaSmiDetector } from './nvidiaSmi';

export interface NodeProviderOptions {
  settings: LmEvalLensSettings;
  workspaceRoots: string[];
  /** Untrusted workspaces never run executables. */
  trusted: boolean;
  /** Where Hub answers are cached (the extension's global storage); default ~/.cache/lm-eval-lens/hub. */
  hubCacheDir?: string;
  /** Interpreters the editor's Python extension selected (VS Code), whose packages are read as text. */
  pythonEnvironments?: PythonEnvironment[];
  /** Called when a model resolved in the background (from the Hub) so open documents can be re-checked. */
  onModelResolved?: (pretrained: string) => void;
}

export interface NodeFactProviders extends FactProviders {
  /** Settles when every background Hub lookup started so far has finished. */
  pendingLookups(): Promise<void>;
  /** Task YAML in the workspace changed: re-read the workspace's task index on next use. */
  invalidateWorkspaceTasks(): void;
  /** Task names defined in the workspace folders → the file defining each. */
  workspaceTaskNames(): Map<string, string> | undefined;
  /** Names of an installed lm-eval's tasks, unless `file` belongs to that install. */
  builtinTaskNames(file: string): Set<string> | undefined;
}

export function nodeFactProviders(opts: NodeProviderOptions): NodeFactProviders {
  const files = nodeModelFileProvider();
  const taskFs = nodeTaskFileSystem();
  const cacheDir = opts.hubCacheDir ?? path.join(os.homedir(), '.cache', 'lm-eval-lens', 'hub');
  const archCache = new Map<string, ArchitectureResolution | undefined>();
  const pending = new Map<string, Promise<void>>();
  const lmEvalTasksDir = opts.settings.lmEvalTasksDir || findLmEvalTasksDir(process.env, taskFs);
  const detect = nvidiaSmiDetector(opts.trusted ? opts.settings.nvidiaSmiPath : '');
  return {
    resolveArchitecture(pretrained) {
      if (archCache.has(pretrained)) return archCache.get(pretrained);
      const found = resolveArchitectureOffline(pretrained, { files, cacheDir });
      archCache.set(pretrained, found);
      // The hot path never waits on the network: look the model up in the background and let the
      // caller re-check when it arrives.
      if (!found && opts.settings.allowNetwork && !pending.has(pretrained)) {
        const lookup = resolveArchitecture(pretrained, { files, allowNetwork: true, cacheDir })
          .then((r) => {
            if (!r) return;
            archCache.set(pretrained, r);
            opts.onModelResolved?.(pretrained);
          })
          .catch(() => undefined);
        pending.set(pretrained, lookup);
      }
      return found;
    },
    resolveTasks(names, includePaths) {
      return resolveTasks(names, { workspaceRoots: opts.workspaceRoots, includePaths, lmEvalTasksDir }, taskFs);
    },
    detectGpus: detect,
    async pendingLookups() {
      await Promise.all(pending.values());
    },
    invalidateWorkspaceTasks() {
      invalidateTaskIndexes(taskFs);
    },
    workspaceTaskNames() {
      try {
        return opts.workspaceRoots.length ? workspaceTaskOwners(opts.workspaceRoots, taskFs) : undefined;
      } catch {
        return undefined; // no names: the duplicate check stays quiet rather than the validator failing
      }
    },
    builtinTaskNames(file) {
      // Files of the installed lm-eval itself are the built-ins: never compare them with themselves.
      if (!lmEvalTasksDir || isInside(file, lmEvalTasksDir)) return undefined;
      try {
        return installedTaskNames(lmEvalTasksDir, taskFs);
      } catch {
        return undefined;
      }
    },
  };
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
