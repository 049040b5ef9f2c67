// Which filter, metric and aggregation names a config can use besides lm-eval's built-in ones: those
// registered by the modules its `!function` tags import (in every file of its include tree: lm-eval's
// loader imports each tagged module while it reads the YAML, even for a key a later file overrides)
// and by a vendored or forked lm-eval in the project. A module that cannot be read makes every
// unregistered name unknown rather than wrong.
import * as path from 'node:path';
import type { HarnessRules } from './harnessVersion';
import { functionTarget } from './functionRefs';
import { parseCacheFor } from './includes';
import {
  type ModuleRegistrations,
  readRegistrations,
  type Registrations,
  registrationsInSource,
} from './pythonRegistrations';
import type { TaskFileSystem } from './types';
import type { YNode } from './yamlTree';

const VENDOR_FOLDERS =
  /^(third[_-]?party|3rdparty|vendor|vendored|external|extern|submodules|deps|libs?|packages|src)$/i;
const MAX_LEVELS = 8;
const MAX_CHILDREN = 200;

/** A checkout of lm-eval (a folder holding `lm_eval/__init__.py`) that the file lives in or beside. */
export function findHarnessCheckout(fs: TaskFileSystem, file: string): string | undefined {
  const isCheckout = (dir: string) => fs.exists(path.join(dir, 'lm_eval', '__init__.py'));
  let dir = path.dirname(path.resolve(file));
  for (let level = 0; level < MAX_LEVELS; level++) {
    if (isCheckout(dir)) return dir;
    const children = (fs.listDir(dir) ?? []).filter(
      (e) => e.isDirectory && !e.name.startsWith('.') && e.name !== 'node_modules',
    );
    for (const c of children.slice(0, MAX_CHILDREN)) {
      const child = path.join(dir, c.name);
      if (isCheckout(child)) return child;
      if (!VENDOR_FOLDERS.test(c.name)) continue;
      for (const g of (fs.listDir(child) ?? []).slice(0, MAX_CHILDREN))
        if (g.isDirectory && !g.name.startsWith('.') && isCheckout(path.join(child, g.name)))
          return path.join(child, g.name);
    }
    // The repository's root is as far as "the project" goes.
    if (fs.exists(path.join(dir, '.git'))) return undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** The modules of a checkout that register filters, metrics and aggregations when lm-eval starts. */
function harnessModules(fs: TaskFileSystem, root: string): string[] {
  const out: string[] = [];
  for (const sub of ['filters', 'api']) {
    const dir = path.join(root, 'lm_eval', sub);
    // registry.py defines register_filter & co. (calls with a parameter as the name), registers nothing.
    for (const e of fs.listDir(dir) ?? [])
      if (!e.isDirectory && e.name.endsWith('.py') && !(sub === 'api' && e.name === 'registry.py'))
        out.push(path.join(dir, e.name));
  }
  return out.sort();
}

function functionsIn(node: YNode | undefined, out: { spec: string; file: string }[]): void {
  const stack = node ? [node] : [];
  while (stack.length > 0 && out.length < 1000) {
    const n = stack.pop()!;
    if (n.kind === 'function') out.push({ spec: n.spec, file: n.file });
    else if (n.kind === 'map') for (const e of n.entries) stack.push(e.value);
    else if (n.kind === 'seq') stack.push(...n.items);
  }
}

/** Module texts read once per content (a utils.py shared by hundreds of configs). */
const parsedModules = new WeakMap<TaskFileSystem, Map<string, { text: string; r: ModuleRegistrations }>>();
function moduleParser(fs: TaskFileSystem): (file: string) => ModuleRegistrations | undefined {
  let memo = parsedModules.get(fs);
  if (!memo) {
    memo = new Map();
    parsedModules.set(fs, memo);
  }
  const m = memo;
  return (file) => {
    const text = fs.readFile(file);
    if (text === undefined) return undefined;
    const hit = m.get(file);
    if (hit && hit.text === text) return hit.r;
    const r = registrationsInSource(text);
    if (m.size > 2000) m.clear();
    m.set(file, { text, r });
    return r;
  };
}

/**
 * Registrations visible to a config: `roots` are the parsed files of its include tree (the checked
 * file first), whose `!function` modules are read with the sibling modules they import.
 */
export function configRegistrations(
  fs: TaskFileSystem,
  checkedFile: string,
  includedFiles: Iterable<string>,
  checkedRoot: YNode | undefined,
  rules: HarnessRules,
): Registrations {
  const fns: { spec: string; file: string }[] = [];
  functionsIn(checkedRoot, fns);
  const cache = parseCacheFor(fs);
  for (const file of includedFiles) functionsIn(cache.get(fs, file)?.root, fns);
  const modules: string[] = [];
  const missing: string[] = [];
  for (const fn of fns) {
    const target = functionTarget(fn.spec, fn.file, rules);
    if (!target) continue;
    if (fs.exists(target.modulePath)) modules.push(target.modulePath);
    // v0.4.12+ then imports an installed module of that name, which we cannot see.
    else missing.push(target.modulePath);
  }
  const checkout = findHarnessCheckout(fs, checkedFile);
  const harness = checkout ? { root: checkout, modules: harnessModules(fs, checkout) } : undefined;
  return readRegistrations(fs, modules, [...new Set(missing)], harness, moduleParser(fs));
}
