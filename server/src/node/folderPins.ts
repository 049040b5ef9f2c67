// The version pins one folder writes: requirements files (with their `-r` includes), pyproject.toml,
// uv.lock / poetry.lock / Pipfile.lock, environment.yml and setup.py / setup.cfg, read as text.
import * as path from 'node:path';
import type { VersionEvidence } from '../facts/providers';
import { condaEnvironmentPins } from '../project/condaEnvironment';
import { pipfileLockPins, tomlLockPins } from '../project/lockFiles';
import { pyprojectPins, type TomlDocument } from '../project/pyproject';
import { parseRequirementsTxt } from '../project/requirementsTxt';
import { setupCfgPins, setupPyPins } from '../project/setupFiles';
import type { PackagePin } from '../project/types';
import { resolveSpec } from '../project/versionSpec';
import type { DirEntry } from '../taskconfig/types';

const MAX_INCLUDE_DEPTH = 5;
const REQUIREMENTS_FILE = /^(.*[-_.])?requirements([-_.].*)?\.(txt|in)$/i;

/** What the folder reader already has: its entries, a reader, and pyproject.toml parsed once. */
export interface FolderFiles {
  dir: string;
  names: readonly DirEntry[];
  has: ReadonlySet<string>;
  read(file: string): string | undefined;
  /** pyproject.toml's text and its parsed tables, when the folder has one. */
  pyproject?: { text: string; doc: TomlDocument };
}

/** A pin written in a project file, as version evidence. */
export function projectPin(file: string, p: PackagePin): VersionEvidence {
  return {
    package: p.package,
    kind: 'project',
    file,
    line: p.line,
    spec: p.spec,
    dialect: p.dialect,
    written: p.written,
  };
}

/**
 * Pins, in the order the README lists the files. A requirement with no version says nothing. In one
 * folder an exact pin (a lock file, `==`) is more specific than a range, so it comes first;
 * otherwise that order.
 */
export function folderPins(folder: FolderFiles): VersionEvidence[] {
  const pins = [...requirementsPins(folder), ...otherFilePins(folder)];
  const exact = (e: VersionEvidence) => resolveSpec(e.spec, e.dialect, e.package)?.range === false;
  const useful = pins.filter((e) => e.spec.trim() !== '' || e.dialect === 'exact');
  return [...useful.filter(exact), ...useful.filter((e) => !exact(e))];
}

/** Every requirements file of the folder, the most general name first, following `-r` includes. */
function requirementsPins({ dir, names, read }: FolderFiles): VersionEvidence[] {
  const pins: VersionEvidence[] = [];
  const requirements = names
    .filter((e) => !e.isDirectory && REQUIREMENTS_FILE.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const seen = new Set<string>();
  const readRequirements = (file: string, depth: number) => {
    if (seen.has(file) || depth > MAX_INCLUDE_DEPTH) return;
    seen.add(file);
    const text = read(file);
    if (text === undefined) return;
    const parsed = parseRequirementsTxt(text);
    for (const p of parsed.pins) pins.push(projectPin(file, p));
    for (const inc of parsed.includes) readRequirements(path.resolve(path.dirname(file), inc.path), depth + 1);
  };
  for (const r of requirements) readRequirements(path.join(dir, r), 0);
  return pins;
}

/** pyproject.toml, the lock files, environment.yml, setup.py and setup.cfg, in that order. */
function otherFilePins({ dir, has, read, pyproject }: FolderFiles): VersionEvidence[] {
  const pins: VersionEvidence[] = [];
  const readIfThere = (name: string) => (has.has(name) ? read(path.join(dir, name)) : undefined);
  const add = (name: string, found: PackagePin[]) => {
    for (const p of found) pins.push(projectPin(path.join(dir, name), p));
  };
  if (pyproject) add('pyproject.toml', pyprojectPins(pyproject.text, pyproject.doc));
  for (const lock of ['uv.lock', 'poetry.lock']) {
    const text = readIfThere(lock);
    if (text !== undefined) add(lock, tomlLockPins(text, lock));
  }
  const pipfileLock = readIfThere('Pipfile.lock');
  if (pipfileLock !== undefined) add('Pipfile.lock', pipfileLockPins(pipfileLock));
  for (const env of ['environment.yml', 'environment.yaml']) {
    const text = readIfThere(env);
    if (text !== undefined) add(env, condaEnvironmentPins(text));
  }
  const setupPy = readIfThere('setup.py');
  if (setupPy !== undefined) add('setup.py', setupPyPins(setupPy));
  const setupCfg = readIfThere('setup.cfg');
  if (setupCfg !== undefined) add('setup.cfg', setupCfgPins(setupCfg));
  return pins;
}

/** requirements.txt first, then requirements-*.txt, then other names, then `.in` sources. */
function rank(name: string): number {
  const n = name.toLowerCase();
  if (n === 'requirements.txt') return 0;
  if (n.startsWith('requirements')) return n.endsWith('.in') ? 3 : 1;
  return n.endsWith('.in') ? 3 : 2;
}
