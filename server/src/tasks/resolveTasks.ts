// `--tasks` names → leaf tasks with output type and max_gen_toks. Names are task, group or tag names,
// fnmatch patterns, or paths to YAML files. Sources in lm-eval's precedence: --include_path and the
// workspace override the installed lm-eval, which overrides our built-in index.
import * as path from 'node:path';
import type { OutputType } from '../memory/types';
import { indexConfigFile, buildTaskIndex, emptyIndex, type TaskIndex } from './taskIndex';
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

/**
 * Folder indexes per file system. A workspace the size of lm-eval's own tasks folder takes seconds
 * to index, so it is read once and re-read only after `invalidateTaskIndexes` (the server calls it
 * when a YAML file is saved, created or deleted) or, as a backstop, after a few minutes.
 */
const WORKSPACE_TTL_MS = 5 * 60_000;
const indexCache = new WeakMap<TaskFileSystem, Map<string, { index: TaskIndex; at: number }>>();

/** Forget the workspace and include-path indexes of `fs` (the installed lm-eval's stays). */
export function invalidateTaskIndexes(fs: TaskFileSystem): void {
  const perFs = indexCache.get(fs);
  if (!perFs) return;
  for (const [dir, entry] of perFs) if (entry.at !== INSTALL_STAMP) perFs.delete(dir);
}

const INSTALL_STAMP = -1;

function cachedIndex(dir: string, fs: TaskFileSystem, ttlMs: number): TaskIndex {
  let perFs = indexCache.get(fs);
  if (!perFs) indexCache.set(fs, (perFs = new Map()));
  const hit = perFs.get(dir);
  const now = Date.now();
  if (hit && (hit.at === INSTALL_STAMP || now - hit.at < ttlMs)) return hit.index;
  const index = buildTaskIndex(dir, fs);
  perFs.set(dir, { index, at: ttlMs === Infinity ? INSTALL_STAMP : now });
  return index;
}

export function resolveTasks(
  names: string[],
  sources: TaskSources,
  fs: TaskFileSystem,
): { tasks: ResolvedTaskInfo[]; unknown: string[] } {
  const layers: { source: TaskSource; index: TaskIndex }[] = [];
  try {
    for (const p of sources.includePaths ?? [])
      if (p) layers.push({ source: 'include-path', index: cachedIndex(path.resolve(p), fs, WORKSPACE_TTL_MS) });
    for (const p of sources.workspaceRoots ?? [])
      if (p) layers.push({ source: 'workspace', index: cachedIndex(path.resolve(p), fs, WORKSPACE_TTL_MS) });
    if (sources.lmEvalTasksDir)
      layers.push({
        source: 'lm-eval-install',
        index: cachedIndex(path.resolve(sources.lmEvalTasksDir), fs, Infinity),
      });
  } catch {
    // An unreadable folder contributes nothing.
  }
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

const ownersCache = new WeakMap<TaskIndex, Map<string, string>>();

/**
 * Task name → the file that defines it, over workspace folders (first folder and first file in
 * path order win, as in lm-eval), for the duplicate-name check of the file being edited.
 */
export function workspaceTaskOwners(roots: readonly string[], fs: TaskFileSystem): Map<string, string> {
  const out = new Map<string, string>();
  for (const root of roots) {
    if (!root) continue;
    const index = cachedIndex(path.resolve(root), fs, WORKSPACE_TTL_MS);
    let owners = ownersCache.get(index);
    if (!owners) {
      owners = new Map();
      for (const [name, t] of index.tasks) if (t.path) owners.set(name, t.path);
      ownersCache.set(index, owners);
    }
    for (const [name, file] of owners) if (!out.has(name)) out.set(name, file);
  }
  return out;
}

/** Every task, group and tag name of an installed lm-eval's tasks folder (read once). */
export function installedTaskNames(tasksDir: string, fs: TaskFileSystem): Set<string> {
  const index = cachedIndex(path.resolve(tasksDir), fs, Infinity);
  return new Set([...index.tasks.keys(), ...index.groups.keys(), ...index.tags.keys()]);
}
