// The real providers the CLI and the server inject: the model catalog, the local Hugging Face
// cache and (when allowed) the Hub, task knowledge from the workspace / an lm-eval install / the
// built-in index, and nvidia-smi.
import * as os from 'node:os';
import * as path from 'node:path';
import type { FactProviders, ProjectFacts } from '../facts/providers';
import { nodeModelResolver } from './modelResolver';
import type { PythonEnvironment } from '../shared/messages';
import type { LmEvalLensSettings } from '../shared/settings';
import { nodeTaskFileSystem } from './taskFileSystem';
import { findLmEvalTasksDir, resolveTasksIn, taskLayers, TaskIndexService, type TaskIndex } from '../tasks';
import { nvidiaSmiDetector } from './nvidiaSmi';
import { statFile } from './taskIndexStore';
import { projectFactsWalker } from './projectFacts';

export interface NodeProviderOptions {
  settings: LmEvalLensSettings;
  workspaceRoots: string[];
  /** Untrusted workspaces never run executables. */
  trusted: boolean;
  /** Where Hub answers are cached (the extension's global storage); default ~/.cache/lm-eval-lens/hub. */
  hubCacheDir?: string;
  /** Interpreters the editor's Python extension selected (VS Code), whose packages are read as text. */
  pythonEnvironments?: PythonEnvironment[];
  /** The CLI's current folder: paths outside every workspace root are shown relative to it, and the
   * walk for project files stops there when the file is in no git repository. */
  displayBase?: string;
  /** Folders where the walk for project files stops (default: the workspace roots). */
  projectRoots?: string[];
  /** The process environment ($VIRTUAL_ENV, $CONDA_PREFIX, HF_*); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Called when a model resolved in the background (from the Hub) so open documents can be re-checked. */
  onModelResolved?: (pretrained: string) => void;
  /** Folder task indexes shared across settings changes (the server builds them in the background).
   * Default: each folder is indexed in full when first needed (the CLI). */
  taskIndex?: TaskIndexService;
}

export interface NodeFactProviders extends FactProviders {
  /** Fetch one model's config.json from the Hub now (the user asked for it), into the shared cache. */
  fetchModelConfig(id: string, revision?: string): Promise<{ ok: boolean; message: string }>;
  projectFacts(file: string): ProjectFacts;
  displayPath(file: string): string;
  /** Settles when every background Hub lookup started so far has finished. */
  pendingLookups(): Promise<void>;
  /** Task YAML changed: re-index these files (and what includes them); no list: every folder. */
  invalidateWorkspaceTasks(files?: string[]): void;
  /** Task names defined in the workspace folders → the file defining each (a view, not a copy). */
  workspaceTaskNames(): TaskNameOwners | undefined;
  /** Names of an installed lm-eval's tasks, unless `file` belongs to that install (a view, not a copy). */
  builtinTaskNames(file: string): TaskNameSet | undefined;
  /** Project files or an environment changed: re-read versions and the config file on next use. */
  invalidateProjectFiles(): void;
}

export interface TaskNameOwners {
  get(name: string): string | undefined;
}
export interface TaskNameSet {
  has(name: string): boolean;
}

export function nodeFactProviders(opts: NodeProviderOptions): NodeFactProviders {
  const env = opts.env ?? process.env;
  const taskFs = nodeTaskFileSystem();
  const lmEvalTasksDir = opts.settings.lmEvalTasksDir || findLmEvalTasksDir(process.env, taskFs);
  const detect = nvidiaSmiDetector(opts.trusted ? opts.settings.nvidiaSmiPath : '');
  const taskIndex = opts.taskIndex ?? new TaskIndexService({ fs: taskFs, stat: statFile, mode: 'sync' });
  const roots = opts.workspaceRoots.filter(Boolean);
  // Lookups go to the live folder indexes: nothing is copied per analysis (13,000 names cost 3 ms).
  const workspaceOwners: TaskNameOwners = {
    get(name) {
      for (const root of roots) {
        const owner = taskIndex.view(root).index.owners.get(name);
        if (owner !== undefined) return owner;
      }
      return undefined;
    },
  };
  const installedIndex = (): TaskIndex | undefined =>
    lmEvalTasksDir ? taskIndex.view(lmEvalTasksDir).index : undefined;
  const installedNames: TaskNameSet = {
    has(name) {
      const index = installedIndex();
      return !!index && (index.tasks.has(name) || index.groups.has(name) || index.tags.has(name));
    },
  };
  const project = projectFactsWalker({
    fs: taskFs,
    roots: opts.projectRoots ?? opts.workspaceRoots,
    fallbackRoot: opts.displayBase,
    env: (name) => env[name],
    homeDir: homeDir(),
    pythonEnvironments: opts.pythonEnvironments,
  });
  const models = nodeModelResolver({
    env,
    allowNetwork: opts.settings.allowNetwork,
    hubCacheDir: opts.hubCacheDir,
    rootOf: (file) => project.rootOf(file),
    cwd: opts.displayBase,
    onModelResolved: opts.onModelResolved,
  });
  return {
    projectFacts: (file) => project.factsFor(file),
    displayPath: (file) => displayPath(file, [opts.displayBase, project.rootOf(path.resolve(file))]),
    invalidateProjectFiles: () => {
      project.invalidate();
      models.forgetMisses(); // a config.json may have appeared
    },
    resolveArchitecture: models.resolveArchitecture,
    fetchModelConfig: models.fetchModelConfig,
    resolveTasks(names, includePaths) {
      const layers = taskLayers({ workspaceRoots: roots, includePaths, lmEvalTasksDir }, (dir) => {
        const view = taskIndex.view(dir);
        if (!view.complete) taskIndex.prioritize(dir, names);
        return view.index;
      });
      return resolveTasksIn(names, layers, taskFs);
    },
    detectGpus: detect,
    pendingLookups: models.pendingLookups,
    invalidateWorkspaceTasks(files) {
      taskIndex.invalidate(files);
    },
    workspaceTaskNames() {
      return roots.length ? workspaceOwners : undefined;
    },
    builtinTaskNames(file) {
      // Files of the installed lm-eval itself are the built-ins: never compare them with themselves.
      if (!lmEvalTasksDir || isInside(file, lmEvalTasksDir)) return undefined;
      installedIndex();
      return installedNames;
    },
  };
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** A path relative to the first base that holds it (`requirements.txt`), else absolute. */
function displayPath(file: string, bases: (string | undefined)[]): string {
  const abs = path.resolve(file);
  for (const base of bases) {
    if (!base) continue;
    const rel = path.relative(base, abs);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return abs;
}

function homeDir(): string | undefined {
  try {
    return os.homedir();
  } catch {
    return undefined;
  }
}
