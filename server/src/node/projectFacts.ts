// Walks from a file up to its workspace (or repository) root and collects what the project says:
// the nearest lm-eval-lens config file, container images beside the file, version pins in
// requirements / pyproject / lock files / environment.yml / setup files, the packages installed in
// the Python environment (dist-info METADATA, read as text), and vendored copies of lm-eval. Each
// folder is read once and remembered for a few seconds; `invalidate()` forgets everything at once.
// The readers are beside it: projectRoot.ts (where the walk stops), projectFolder.ts (one folder),
// folderPins.ts, vendoredHarness.ts, installedPackages.ts.
import * as path from 'node:path';
import type { ProjectConfig, ProjectFacts, VersionEvidence } from '../facts/providers';
import { configValuesFor } from '../project/configFile';
import type { PythonEnvironment } from '../shared/messages';
import type { TaskHarnessFact } from '../taskconfig/otherHarness';
import type { TaskFileSystem } from '../taskconfig/types';
import { environmentPrefixes, installedPackagesIn } from './installedPackages';
import { type FolderLevel, readFolderLevel } from './projectFolder';
import { foldersUpTo, projectRootOf } from './projectRoot';

export interface ProjectWalkOptions {
  fs: TaskFileSystem;
  /** Workspace folders (editor) or the checked repository (CLI): the walk stops at the one holding the file. */
  roots: readonly string[];
  /** Where the walk stops for a file in no root and no git repository, when it holds the file (the CLI's current folder). */
  fallbackRoot?: string;
  env(name: string): string | undefined;
  homeDir?: string;
  /** The Python extension's selected interpreters (VS Code). */
  pythonEnvironments?: readonly PythonEnvironment[];
  /** Folder-level results are reused for this long (the server re-reads edited files after it). */
  freshForMs?: number;
  now?: () => number;
}

export interface ProjectFactsWalker {
  factsFor(file: string): ProjectFacts;
  /** The folder the walk for `file` stops at (its workspace root, else its repository), if any. */
  rootOf(file: string): string | undefined;
  invalidate(): void;
}

/** Everything but the config file's per-path values, for all files of one folder. */
interface FolderFacts {
  config?: FolderLevel['config'];
  evidence: VersionEvidence[];
  /** The nearest package folder or project's harness, when it is a known one. */
  taskHarness?: TaskHarnessFact;
}

export function projectFactsWalker(opts: ProjectWalkOptions): ProjectFactsWalker {
  const fs = opts.fs;
  const now = opts.now ?? Date.now;
  const freshForMs = opts.freshForMs ?? 3000;
  const roots = opts.roots.map((r) => path.resolve(r));
  const levels = freshCache<FolderLevel>(freshForMs, now);
  const folders = freshCache<FolderFacts>(freshForMs, now);
  const installedCache = freshCache<VersionEvidence[]>(freshForMs, now);
  const isDir = (p: string) => fs.listDir(p) !== undefined;

  const rootOf = (file: string) => projectRootOf(file, roots, fs, opts.fallbackRoot);
  const levelOf = (dir: string) => levels.get(dir, () => readFolderLevel(fs, dir));

  /** Packages installed in the environments `file` runs in: the editor's, the shell's, the project's venvs. */
  const installed = (file: string, chain: string[]): VersionEvidence[] => {
    const prefixes = environmentPrefixes(file, opts.pythonEnvironments ?? [], opts.env, isDir);
    for (const d of chain) prefixes.push(...levelOf(d).venvs);
    const out: VersionEvidence[] = [];
    for (const prefix of [...new Set(prefixes)])
      out.push(...installedCache.get(prefix, () => installedPackagesIn(fs, prefix)));
    return out;
  };

  const folderFacts = (dir: string): FolderFacts =>
    folders.get(dir, () => {
      const file = path.join(dir, '_');
      const chain = foldersUpTo(file, rootOf(file), opts.homeDir);
      const levelsUp = chain.map(levelOf);
      const evidence: VersionEvidence[] = [...(levelsUp[0]?.images ?? [])];
      for (const l of levelsUp) evidence.push(...l.pins);
      evidence.push(...installed(file, chain));
      for (const l of levelsUp) evidence.push(...l.vendored);
      const taskHarness = levelsUp.find((l) => l.owner)?.owner?.harness;
      return { config: levelsUp.find((l) => l.config)?.config, evidence, ...(taskHarness ? { taskHarness } : {}) };
    });

  return {
    rootOf,
    factsFor(file: string): ProjectFacts {
      const abs = path.resolve(file);
      const folder = folderFacts(path.dirname(abs));
      const facts: ProjectFacts = { evidence: [] };
      if (folder.config) {
        const { config, evidence } = configFileFacts(folder.config, abs, fs);
        facts.config = config;
        facts.evidence.push(...evidence);
      }
      facts.evidence.push(...folder.evidence);
      const configured = facts.config?.values.taskHarness;
      if (configured && facts.config) {
        const text = fs.readFile(facts.config.file) ?? '';
        facts.taskHarness = {
          harness: configured,
          source: 'config-file',
          file: facts.config.file,
          line: keyLine(text, ['task-harness', 'taskHarness']),
          written: `task-harness = "${configured}" in ${path.basename(facts.config.file)}`,
        };
      } else if (folder.taskHarness) facts.taskHarness = folder.taskHarness;
      return facts;
    },
    invalidate() {
      levels.clear();
      folders.clear();
      installedCache.clear();
    },
  };
}

/** The config file's values for `file` (its per-path sections applied) and the versions it names. */
function configFileFacts(
  { file: configFile, parsed }: NonNullable<FolderLevel['config']>,
  file: string,
  fs: TaskFileSystem,
): { config: ProjectConfig; evidence: VersionEvidence[] } {
  const values = configValuesFor(parsed.config, path.relative(path.dirname(configFile), file));
  const config: ProjectConfig = { file: configFile, values, problems: parsed.problems };
  const evidence: VersionEvidence[] = [];
  const text = fs.readFile(configFile) ?? '';
  for (const [pkg, value, keys] of [
    ['vllm', values.vllmVersion, ['vllm-version', 'vllmVersion']],
    ['lm-eval', values.harnessVersion, ['harness-version', 'harnessVersion', 'lm-eval-version']],
  ] as const) {
    if (!value) continue;
    evidence.push({
      package: pkg,
      kind: 'config-file',
      file: configFile,
      line: keyLine(text, keys),
      spec: value,
      dialect: 'exact',
      written: `${keys[0]} = "${value}"`,
    });
  }
  return { config, evidence };
}

function keyLine(text: string, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const m = new RegExp(`^[ \\t]*["']?${k}["']?[ \\t]*[=:]`, 'm').exec(text);
    if (m) return text.slice(0, m.index).split('\n').length;
  }
  return undefined;
}

/** Values remembered for `freshForMs` after they were computed. */
function freshCache<V>(freshForMs: number, now: () => number) {
  const entries = new Map<string, { at: number; value: V }>();
  return {
    get(key: string, compute: () => V): V {
      const hit = entries.get(key);
      if (hit && now() - hit.at < freshForMs) return hit.value;
      const value = compute();
      entries.set(key, { at: now(), value });
      return value;
    },
    clear: () => entries.clear(),
  };
}
