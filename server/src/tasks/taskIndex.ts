// Task knowledge from a folder of lm-eval configs: task → output type and max_gen_toks, group and tag →
// members. Built from the same parser and include merging as the validator, latest-harness rules.
import * as path from 'node:path';
import type { OutputType } from '../memory/types';
import { harnessRules } from '../taskconfig/harnessVersion';
import { type ParseCache, parseCacheFor, resolveIncludes, type MergedEntry } from '../taskconfig/includes';
import { OUTPUT_TYPES } from '../taskconfig/knowledge';
import type { TaskFileSystem } from '../taskconfig/types';
import { kindOf } from '../taskconfig/validate';
import { entryOf, parseTaskYaml, scalarString, type YNode } from '../taskconfig/yamlTree';

export interface IndexedTask {
  outputType: OutputType;
  maxGenToks?: number;
  path?: string;
}

export interface TaskIndex {
  tasks: Map<string, IndexedTask>;
  /** Group → member names (tasks, groups, tags; inline sub-groups as `parent::name`). */
  groups: Map<string, string[]>;
  /** Tag → task names. */
  tags: Map<string, string[]>;
}

export const MAX_INDEXED_FILES = 50_000;
export const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  'site-packages',
  'dist',
  'build',
  'out',
]);

export function emptyIndex(): TaskIndex {
  return { tasks: new Map(), groups: new Map(), tags: new Map() };
}

/** Every `*.yaml` below `root` (lm-eval's indexer globs `**\/*.yaml`), sorted in POSIX path order. */
export function listYamlFiles(root: string, fs: TaskFileSystem, maxDepth = 16): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > maxDepth || out.length >= MAX_INDEXED_FILES) return;
    const entries = fs.listDir(dir);
    if (!entries) return;
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory) {
        if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) walk(p, depth + 1);
      } else if (e.name.endsWith('.yaml')) out.push(p);
    }
  };
  walk(root, 0);
  return out.sort();
}

const MAX_TOKEN_KEYS = ['max_gen_toks', 'max_new_tokens', 'max_tokens', 'max_completion_tokens'];

/** lm-eval's priority among the max-token aliases (normalize_gen_kwargs). */
export function maxGenToksOf(gen: YNode | undefined): number | undefined {
  if (gen?.kind !== 'map') return undefined;
  for (const k of MAX_TOKEN_KEYS) {
    const e = entryOf(gen, k);
    if (e && e.value.kind === 'scalar' && typeof e.value.value === 'number' && Number.isFinite(e.value.value))
      return e.value.value;
  }
  return undefined;
}

function namesOf(node: YNode | undefined): string[] {
  if (!node) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  return items.map((i) => scalarString(i)).filter((s): s is string => s !== undefined);
}

function outputTypeOf(entries: Map<string, MergedEntry>): OutputType | undefined {
  const e = entries.get('output_type');
  if (!e || (e.value.kind === 'scalar' && e.value.value === null)) return 'generate_until';
  const v = scalarString(e.value);
  return v && (OUTPUT_TYPES as readonly string[]).includes(v) ? (v as OutputType) : undefined;
}

function addMembers(index: TaskIndex, groupName: string, task: YNode | undefined, depth = 0): void {
  const members: string[] = [];
  const items = task ? (task.kind === 'seq' ? task.items : [task]) : [];
  for (const item of items) {
    const name = scalarString(item);
    if (name !== undefined) {
      members.push(name);
      continue;
    }
    if (item.kind !== 'map') continue;
    const sub = entryOf(item, 'group');
    const subName = sub ? scalarString(sub.value) : undefined;
    const taskEntry = entryOf(item, 'task');
    if (subName !== undefined) {
      // A reference with overrides, or an inline sub-group with its own task list.
      if (taskEntry && depth < 8) {
        const qualified = `${groupName}::${subName}`;
        addMembers(index, qualified, taskEntry.value, depth + 1);
        members.push(qualified);
      } else members.push(subName);
      continue;
    }
    const tname = taskEntry ? scalarString(taskEntry.value) : undefined;
    if (tname === undefined) continue;
    members.push(tname);
    // An inline task that declares its own output type.
    const ot = entryOf(item, 'output_type');
    const otName = ot ? scalarString(ot.value) : undefined;
    if (otName && (OUTPUT_TYPES as readonly string[]).includes(otName) && !index.tasks.has(tname)) {
      index.tasks.set(tname, {
        outputType: otName as OutputType,
        maxGenToks: maxGenToksOf(entryOf(item, 'generation_kwargs')?.value),
      });
    }
  }
  if (!index.groups.has(groupName)) index.groups.set(groupName, members);
}

/** What one config file adds to a task index, kept apart so that a changed file is re-indexed alone. */
export interface FileContribution {
  /** The task the file defines (it joins its tags even when its output type is unknown). */
  task?: string;
  /** The file's own task, or tasks declared inline in its group (`inline`: no file of their own). */
  tasks: { name: string; outputType: OutputType; maxGenToks?: number; inline?: true }[];
  /** Groups it defines (inline sub-groups as `parent::name`) → members, in the order written. */
  groups: [string, string[]][];
  /** Tags its task joins. */
  tags: string[];
  /** Included files (absolute paths) the contribution was computed from. */
  deps: string[];
}

export function emptyContribution(): FileContribution {
  return { tasks: [], groups: [], tags: [], deps: [] };
}

/** What one config file contributes to the index, with lm-eval's latest-harness include merging. */
export function configContribution(
  file: string,
  text: string,
  fs: TaskFileSystem,
  cache?: ParseCache,
): FileContribution {
  const out = emptyContribution();
  const rules = harnessRules(undefined);
  const parseCache = cache ?? parseCacheFor(fs);
  // The file itself is parsed outside the cache: only included templates are worth keeping.
  const parsed = cache ? parseTaskYaml(path.resolve(file), text) : parseCache.parse(path.resolve(file), text);
  if (parsed.fatal) return out;
  const resolved = resolveIncludes(parsed, fs, rules, parseCache);
  out.deps = [...resolved.reachedVia.keys()];
  const entries = resolved.entries;
  if (!entries) return out;
  const kind = kindOf(entries, rules);
  if (kind === 'group') {
    const name = scalarString(entries.get('group')?.value);
    if (name !== undefined) {
      const scratch = emptyIndex();
      addMembers(scratch, name, entries.get('task')?.value);
      out.groups = [...scratch.groups];
      for (const [n, t] of scratch.tasks) out.tasks.push({ name: n, ...t, inline: true });
    }
    return ownStrings(out);
  }
  if (kind !== 'task' && kind !== 'python-task') return out;
  const name = scalarString(entries.get('task')?.value);
  if (name === undefined) return out;
  out.task = name;
  const outputType = kind === 'python-task' && !entries.has('output_type') ? undefined : outputTypeOf(entries);
  if (outputType) {
    const maxGenToks =
      outputType === 'generate_until' ? maxGenToksOf(entries.get('generation_kwargs')?.value) : undefined;
    out.tasks.push({ name, outputType, ...(maxGenToks !== undefined ? { maxGenToks } : {}) });
  }
  for (const tag of namesOf(entries.get('tag')?.value)) if (!out.tags.includes(tag)) out.tags.push(tag);
  return ownStrings(out);
}

/**
 * A copy whose strings are the contribution's own: names read from YAML are slices of the parsed
 * text, and an index holding 14,000 files' names would otherwise keep every file's text alive (29 MB
 * of heap instead of 7 MB for lm-eval's task folder).
 */
function ownStrings(c: FileContribution): FileContribution {
  return JSON.parse(JSON.stringify(c)) as FileContribution;
}

/** Add one file's contribution to `index` (first definition of a name wins, as in lm-eval). */
export function addContribution(index: TaskIndex, file: string, c: FileContribution): void {
  for (const t of c.tasks) {
    if (index.tasks.has(t.name)) continue;
    index.tasks.set(t.name, {
      outputType: t.outputType,
      ...(t.maxGenToks !== undefined ? { maxGenToks: t.maxGenToks } : {}),
      ...(t.inline ? {} : { path: file }),
    });
  }
  for (const [g, members] of c.groups) if (!index.groups.has(g)) index.groups.set(g, members);
  if (c.task === undefined) return;
  for (const tag of c.tags) {
    const list = index.tags.get(tag) ?? [];
    if (!list.includes(c.task)) list.push(c.task);
    index.tags.set(tag, list);
  }
}

/** Index one config file into `index` (first definition of a name wins, as in lm-eval). */
export function indexConfigFile(index: TaskIndex, file: string, text: string, fs: TaskFileSystem): void {
  addContribution(index, file, configContribution(file, text, fs));
}
