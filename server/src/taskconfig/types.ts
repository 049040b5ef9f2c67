// The context every task-config feature receives. Everything that touches the outside world (the file
// system) is injected, so tests pass fixtures and the CLI/server pass `nodeTaskFileSystem()`.
import type { TaskHarnessFact } from './otherHarness';

export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

export interface TaskFileSystem {
  /** The file's text, or undefined when it does not exist or cannot be read. Never throws. */
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
  /** Entries of a folder, or undefined when it is not a readable folder. Never throws. */
  listDir(path: string): DirEntry[] | undefined;
}

export interface TaskConfigContext {
  fs: TaskFileSystem;
  /** lm-eval version whose rules apply: '0.4.9' … '0.4.12'; empty/absent = newest. A
   * `# lm-eval-lens: harness=0.4.9` comment in the file wins over this. */
  harnessVersion?: string;
  /** The lm-eval version in force for one file (a project pin, a vendored lm-eval, the config file's
   * per-path override: facts/versions.ts); wins over `harnessVersion`, loses to the file's directive. */
  harnessVersionFor?: (file: string) => string | undefined;
  /** Which harness the task config at `file` belongs to, as its project says (absent = lm-eval): a
   * config of another harness (otherHarness.ts) is checked only for what its loader shares with lm-eval's. */
  taskHarnessFor?: (file: string) => TaskHarnessFact | undefined;
  /** The folder holding the `lm_eval` package of that version when it is on disk (a vendored copy or
   * fork, an installed package): its TaskConfig's fields are the task keys (forkConfig.ts). Goes with
   * `harnessVersion`, as `harnessSourceFor` goes with `harnessVersionFor`. */
  harnessSource?: string;
  harnessSourceFor?: (file: string) => string | undefined;
  /** Task, group and tag names of the lm-eval install (or the built-in index), for duplicate checks.
   * A lookup, so that callers pass a view of their index rather than a copy per analysis. */
  builtinNames?: { has(name: string): boolean };
  /** Task and group names defined elsewhere in the workspace: name → absolute path of the defining file. */
  workspaceNames?: { get(name: string): string | undefined };
  /** Where a group's member names are defined (name → file), to follow a group to its tasks; defaults
   * to `workspaceNames`. The CLI's workspace check passes its own names here. */
  memberNames?: { get(name: string): string | undefined };
}

export type ConfigKind = 'task' | 'group' | 'python-task' | 'unknown';
