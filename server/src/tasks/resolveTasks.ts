// `--tasks` names → leaf tasks with output type and max_gen_toks. Names are task, group or tag names,
// fnmatch patterns, or paths to YAML files. Sources in lm-eval's precedence: --include_path and the
// workspace override the installed lm-eval, which overrides our built-in index.
import * as path from 'node:path';
import type { OutputType } from '../memory/types';
import { indexConfigFile, emptyIndex, type TaskIndex } from './taskIndex';
import { TaskIndexService } from './indexService';
import { builtinTaskIndex } from './builtinIndex';
import type { TaskFileSystem } from '../taskconfig/types';
import { fnmatchToRegExp, isPattern } from './fnmatch';

export type TaskSource = 'workspace' | 'include-path' | 'lm-eval-install' | 'builtin';

export interface ResolvedTaskInfo {
  name: string;
  outputType: OutputType;
  maxGenToks?: number;
  source: TaskSource;
}

export interface TaskSources {
  workspaceRoots?: string[];
  includePaths?: string[];
  lmEvalTasksDir?: string;
}

export interface TaskLayer {
  source: TaskSource;
  index: TaskIndex;
}

/** Folder indexes per file system for one-shot callers (the CLI, tests): built in full when first asked. */
const services = new WeakMap<TaskFileSystem, TaskIndexService>();
function syncService(fs: TaskFileSystem): TaskIndexService {
  let s = services.get(fs);
  if (!s) {
    s = new TaskIndexService({ fs, mode: 'sync' });
    services.set(fs, s);
  }
  return s;
}

/** Files changed: folders of `fs` are re-read on next use. */
export function invalidateTaskIndexes(fs: TaskFileSystem): void {
  services.get(fs)?.invalidate();
}

/** The layers `resolveTasksIn` searches, in lm-eval's precedence (the built-in index is added there). */
export function taskLayers(sources: TaskSources, index: (dir: string) => TaskIndex): TaskLayer[] {
  const layers: TaskLayer[] = [];
  for (const p of sources.includePaths ?? []) if (p) layers.push({ source: 'include-path', index: index(p) });
  for (const p of sources.workspaceRoots ?? []) if (p) layers.push({ source: 'workspace', index: index(p) });
  if (sources.lmEvalTasksDir) layers.push({ source: 'lm-eval-install', index: index(sources.lmEvalTasksDir) });
  return layers;
}

export function resolveTasks(
  names: string[],
  sources: TaskSources,
  fs: TaskFileSystem,
): { tasks: ResolvedTaskInfo[]; unknown: string[] } {
  let layers: TaskLayer[] = [];
  try {
    const service = syncService(fs);
    layers = taskLayers(sources, (dir) => service.view(dir).index);
  } catch {
    // An unreadable folder contributes nothing.
  }
  return resolveTasksIn(names, layers, fs);
}

/** Resolve `--tasks` names against folder indexes (first layer wins), then the built-in index. */
export function resolveTasksIn(
  names: string[],
  given: readonly TaskLayer[],
  fs: TaskFileSystem,
): { tasks: ResolvedTaskInfo[]; unknown: string[] } {
  const layers = [...given];
  layers.push({ source: 'builtin', index: builtinTaskIndex() });

  const tasks: ResolvedTaskInfo[] = [];
  const unknown: string[] = [];
  const emitted = new Set<string>();
  const visiting = new Set<string>();

  const findTask = (name: string) => {
    for (const l of layers) {
      const t = l.index.tasks.get(name);
      if (t) return { t, source: l.source };
    }
    return undefined;
  };
  const findGroup = (name: string) => {
    for (const l of layers) {
      const g = l.index.groups.get(name) ?? l.index.tags.get(name);
      if (g) return g;
    }
    return undefined;
  };
  const emit = (name: string, depth: number): boolean => {
    const t = findTask(name);
    if (t) {
      if (!emitted.has(name)) {
        emitted.add(name);
        tasks.push({
          name,
          outputType: t.t.outputType,
          ...(t.t.maxGenToks !== undefined ? { maxGenToks: t.t.maxGenToks } : {}),
          source: t.source,
        });
      }
      return true;
    }
    const members = findGroup(name);
    if (!members) return false;
    if (visiting.has(name) || depth > 32) return true;
    visiting.add(name);
    for (const m of members) emit(m, depth + 1);
    visiting.delete(name);
    return true;
  };

  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    if (/\.ya?ml$/i.test(name)) {
      const text = fs.readFile(name);
      if (text !== undefined) {
        const one = emptyIndex();
        try {
          indexConfigFile(one, path.resolve(name), text, fs);
        } catch {
          /* unreadable */
        }
        layers.unshift({ source: 'workspace', index: one });
        const before = tasks.length;
        for (const n of [...one.tasks.keys(), ...one.groups.keys()]) emit(n, 0);
        layers.shift();
        if (tasks.length > before) continue;
      }
      unknown.push(raw);
      continue;
    }
    if (isPattern(name)) {
      const re = fnmatchToRegExp(name);
      const matches = new Set<string>();
      for (const l of layers)
        for (const m of [l.index.tasks, l.index.groups, l.index.tags])
          for (const k of m.keys()) if (re.test(k)) matches.add(k);
      if (matches.size === 0) unknown.push(raw);
      for (const m of [...matches].sort()) emit(m, 0);
      continue;
    }
    if (!emit(name, 0)) unknown.push(raw);
  }
  return { tasks, unknown };
}
