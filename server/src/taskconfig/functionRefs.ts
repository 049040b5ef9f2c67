// `!function module.attr` targets, found by reading Python text (never importing or running it).
// v0.4.12+ (_import_func_in_yml): split at the last dot; the module file is
// `<dir of the YAML the tag is written in>/<module with dots as '/'>.py`; if that file is missing,
// lm-eval falls back to `__import__(module)` (an installed package). v0.4.9: the file was literally
// `<dir>/<module>.py` (dots kept) and there was no fallback.
import * as path from 'node:path';
import type { HarnessRules } from './harnessVersion';
import type { MergedEntry } from './includes';
import type { TaskFileSystem } from './types';
import type { YFunction, YNode } from './yamlTree';

export interface FunctionTarget {
  module: string;
  attr: string;
  /** The module file lm-eval looks for first. */
  modulePath: string;
  /** v0.4.12+: the module began with `.` or `/`, so dots-to-slashes made an absolute path and
   * pathlib's `base_dir / "/x.py"` dropped the YAML's folder: lm-eval looks at `modulePath` itself. */
  absolute?: boolean;
  /** `module` is a dotted name Python can import (v0.4.12+ falls back to `__import__` with it). */
  importable: boolean;
}

export function functionTarget(spec: string, yamlFile: string, rules: HarnessRules): FunctionTarget | undefined {
  const s = spec.trim();
  const dot = s.lastIndexOf('.');
  if (dot <= 0 || dot === s.length - 1) return undefined;
  const module = s.slice(0, dot);
  const attr = s.slice(dot + 1);
  const importable = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(module);
  // v0.4.9: `yaml_path.parent / f"{module}.py"` (`..` in it climbs up, as the OS resolves it).
  if (rules.legacy) return { module, attr, modulePath: path.join(path.dirname(yamlFile), `${module}.py`), importable };
  const rel = `${module.split('.').join('/')}.py`;
  if (rel.startsWith('/')) return { module, attr, modulePath: path.resolve(rel), absolute: true, importable };
  return { module, attr, modulePath: path.join(path.dirname(yamlFile), rel), importable };
}

export interface PythonDefinition {
  /** Offset of the line that defines the attribute. */
  offset: number;
  /** True when the name may come from `from x import *`, so absence proves nothing. */
  uncertain?: boolean;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const DYNAMIC_NAMES =
  /\bglobals\(\)\s*(?:\[|\.update\(|\.setdefault\()|\bvars\(\)\s*(?:\[|\.update\()|\bsetattr\(\s*sys\.modules\b|^[ \t]*exec\(|^def[ \t]+__getattr__\(/m;

/** Where a top-level `def`/`class`/assignment/import of `attr` is in a module's text. */
export function findPythonDefinition(source: string, attr: string): PythonDefinition | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(attr)) return undefined;
  const a = escapeRegExp(attr);
  const patterns = [
    new RegExp(`^(?:async[ \\t]+)?def[ \\t]+${a}\\b`, 'm'),
    new RegExp(`^class[ \\t]+${a}\\b`, 'm'),
    new RegExp(`^${a}[ \\t]*(?::[^=\\n]*)?=(?!=)`, 'm'),
    new RegExp(`^(?:[A-Za-z_][\\w]*[ \\t]*,[ \\t]*)*${a}[ \\t]*(?:,[^=\\n]*)?=(?!=)`, 'm'),
    new RegExp(`^(?:from[ \\t]+\\S+[ \\t]+)?import[ \\t]+[^\\n]*\\b${a}\\b`, 'm'),
    // A decorated or conditionally defined function (inside `if`/`try`) is still module-level.
    new RegExp(`^[ \\t]+(?:async[ \\t]+)?def[ \\t]+${a}\\b`, 'm'),
    new RegExp(`^[ \\t]+class[ \\t]+${a}\\b`, 'm'),
  ];
  for (const re of patterns) {
    const m = re.exec(source);
    if (m) return { offset: m.index };
  }
  // `from x import (a,\n b)` spanning lines.
  const paren = new RegExp(`^from[ \\t]+\\S+[ \\t]+import[ \\t]*\\([^)]*\\b${a}\\b`, 'm').exec(source);
  if (paren) return { offset: paren.index };
  const star = /^from[ \t]+\S+[ \t]+import[ \t]+\*/m.exec(source);
  if (star) return { offset: star.index, uncertain: true };
  // Names made at import time cannot be seen from text: `globals().update({...})` or `globals()[n] =`
  // (lm-eval's own global_mmlu/utils.py builds its process_* functions so), `vars()`, setattr on
  // the module, exec, a module-level `__getattr__` (PEP 562).
  const dynamic = DYNAMIC_NAMES.exec(source);
  if (dynamic) return { offset: dynamic.index, uncertain: true };
  return undefined;
}

export type FunctionCheck =
  | { status: 'no-dot' }
  | { status: 'module-missing'; target: FunctionTarget }
  | { status: 'attr-missing'; target: FunctionTarget }
  | { status: 'found'; target: FunctionTarget; offset: number; source: string };

export function checkFunctionRef(
  spec: string,
  yamlFile: string,
  rules: HarnessRules,
  fs: TaskFileSystem,
): FunctionCheck {
  const target = functionTarget(spec, yamlFile, rules);
  if (!target) return { status: 'no-dot' };
  const source = fs.readFile(target.modulePath);
  if (source === undefined) return { status: 'module-missing', target };
  const def = findPythonDefinition(source, target.attr);
  if (!def) return { status: 'attr-missing', target };
  return { status: 'found', target, offset: def.offset, source };
}

/** Every `!function` in a merged config (at most `limit`, depth-first in written order). */
export function collectFunctions(entries: Iterable<MergedEntry>, limit = 10_000): YFunction[] {
  const out: YFunction[] = [];
  const seen = new Set<YNode>();
  const stack: YNode[] = [];
  for (const e of entries) stack.push(e.value);
  while (stack.length > 0 && out.length < limit) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.kind === 'function') out.push(n);
    else if (n.kind === 'map') for (let i = n.entries.length - 1; i >= 0; i--) stack.push(n.entries[i].value);
    else if (n.kind === 'seq') for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
  }
  return out;
}
