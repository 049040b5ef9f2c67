// Is a filter, metric or aggregation name registered? lm-eval's own names first (knowledge.ts), then
// those the config's own Python registers (its `!function` modules, a vendored lm-eval: see
// ../registrations.ts). When a module could not be read, an unregistered name is unknown, not wrong.
import * as path from 'node:path';
import type { RegistryKind } from '../pythonRegistrations';
import type { TaskConfigFacts } from './rule';

export type NameStatus =
  | { status: 'registered' }
  /** Not registered anywhere we could read; `read` names the modules that were searched. */
  | { status: 'unregistered'; read: string[]; harness?: string }
  /** Not found, but a module that could register it could not be read. */
  | { status: 'unknown' };

export function registeredName(
  f: TaskConfigFacts,
  kind: RegistryKind,
  name: string,
  builtin: (name: string) => boolean,
): NameStatus {
  if (builtin(name)) return { status: 'registered' };
  const r = f.registrations();
  if (r.has(kind, name)) return { status: 'registered' };
  if (r.unknown) return { status: 'unknown' };
  return { status: 'unregistered', read: r.modules, ...(r.harness ? { harness: r.harness } : {}) };
}

/** ` (nor by utils.py, which this config imports, nor by the vendored lm-eval in x)`, or empty. */
export function searchedModules(s: NameStatus, checkedFile: string): string {
  if (s.status !== 'unregistered' || (s.read.length === 0 && !s.harness)) return '';
  const dir = path.dirname(checkedFile);
  const rel = (p: string) => {
    const r = path.relative(dir, p);
    return r.startsWith('..') ? path.basename(p) : r.split(path.sep).join('/');
  };
  const parts: string[] = [];
  if (s.read.length > 0)
    parts.push(
      `by ${s.read.slice(0, 3).map(rel).join(', ')}${s.read.length > 3 ? ` and ${s.read.length - 3} more modules` : ''}, which this config imports`,
    );
  if (s.harness) parts.push(`by the vendored lm-eval in ${rel(s.harness)}`);
  return ` (nor ${parts.join(', nor ')})`;
}
