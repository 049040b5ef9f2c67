// The config classes of the lm-eval source in force when it is on disk (a vendored copy or fork in the
// project, an installed lm_eval package): lm-eval builds a task with TaskConfig(**cfg), so the keys
// a fork accepts are its own TaskConfig's fields, whatever release number it carries. Read as text
// (pythonDataclass.ts), never imported. Where the class lived, by release (read at the tags):
// TaskConfig in lm_eval/api/task.py until v0.4.9, lm_eval/config/task.py from v0.4.10 (with
// FewshotConfig); GroupConfig in lm_eval/api/group.py from v0.4.4, lm_eval/config/group.py from v0.4.12.
import * as path from 'node:path';
import { type DataclassFields, dataclassFields } from './pythonDataclass';
import type { TaskFileSystem } from './types';

export interface ConfigClass {
  fields: ReadonlySet<string>;
  /** Absolute path of the file defining it, and the 1-based line of `class`. */
  file: string;
  line: number;
}

export interface ForkConfig {
  /** The folder holding the `lm_eval` package that was read. */
  root: string;
  task?: ConfigClass;
  /** Why TaskConfig's fields could not be read (then `task` is absent). */
  taskProblem?: string;
  group?: ConfigClass;
  fewshot?: ConfigClass;
}

const TASK_FILES = ['lm_eval/config/task.py', 'lm_eval/api/task.py'];
const GROUP_FILES = ['lm_eval/config/group.py', 'lm_eval/api/group.py'];

/** Parsed classes per file text: the same fork is read for every config it checks. */
const memo = new WeakMap<
  TaskFileSystem,
  Map<string, { text: string; classes: Map<string, DataclassFields | undefined> }>
>();

function classIn(fs: TaskFileSystem, file: string, name: string): DataclassFields | undefined | null {
  const text = fs.readFile(file);
  if (text === undefined) return null;
  let files = memo.get(fs);
  if (!files) {
    files = new Map();
    memo.set(fs, files);
  }
  let hit = files.get(file);
  if (!hit || hit.text !== text) {
    if (files.size > 64) files.clear();
    hit = { text, classes: new Map() };
    files.set(file, hit);
  }
  if (!hit.classes.has(name)) hit.classes.set(name, dataclassFields(text, name));
  return hit.classes.get(name);
}

/** The first of `files` that defines `name`, read; a problem says why it could not be. */
function findClass(
  fs: TaskFileSystem,
  root: string,
  files: readonly string[],
  name: string,
): ConfigClass | { problem: string } | undefined {
  for (const file of files) {
    const r = classIn(fs, file, name);
    if (!r) continue;
    if ('problem' in r) return { problem: `${r.problem} (${shown(root, file)}:${r.line})` };
    return { fields: new Set(r.fields), file, line: r.line };
  }
  return undefined;
}

/** The config classes of the lm-eval package under `root` (the folder holding `lm_eval/`). */
export function readForkConfig(fs: TaskFileSystem, root: string): ForkConfig {
  const out: ForkConfig = { root };
  const under = (files: readonly string[]) => files.map((f) => path.join(root, ...f.split('/')));
  const task = findClass(fs, root, under(TASK_FILES), 'TaskConfig');
  if (task && 'fields' in task) out.task = task;
  else
    out.taskProblem =
      task?.problem ??
      `no \`class TaskConfig\` was found in ${under(TASK_FILES)
        .map((f) => shown(root, f))
        .join(' or ')}`;
  const group = findClass(fs, root, under(GROUP_FILES), 'GroupConfig');
  if (group && 'fields' in group) out.group = group;
  // FewshotConfig sits beside TaskConfig (v0.4.10+); before it, `fewshot_config` is a plain dict.
  const fewshot = out.task ? findClass(fs, root, [out.task.file], 'FewshotConfig') : undefined;
  if (fewshot && 'fields' in fewshot) out.fewshot = fewshot;
  return out;
}

/** A file of the checkout from the folder holding it: `lm-evaluation-harness/lm_eval/api/task.py`. */
function shown(root: string, file: string): string {
  return (path.relative(path.dirname(root), file) || file).split(path.sep).join('/');
}

/** `lm-evaluation-harness/lm_eval/api/task.py:55`. */
export function classLocation(fork: ForkConfig, c: ConfigClass): string {
  return `${shown(fork.root, c.file)}:${c.line}`;
}
