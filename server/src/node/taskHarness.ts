// Whose code a folder is, read as text: a harness's Python package folder (`lm_eval/`, `lmms_eval/`
// with an `__init__.py`) or a project (the `name` in pyproject.toml, setup.cfg or setup.py). Walking
// up from a task config, the nearest such folder decides which harness the config belongs to, the way
// ruff and ESLint let the nearest project file decide: a vendored lm-eval inside lmms-eval is lm-eval,
// lmms-eval's own tasks are lmms-eval's, a project of any other name uses lm-eval.
import * as path from 'node:path';
import { pyprojectIdentity } from '../project/pyproject';
import { lineAt } from '../project/types';
import { harnessOfDistribution, harnessOfPackage, type TaskHarnessFact } from '../taskconfig/otherHarness';
import type { FolderFiles } from './folderPins';

/** A folder that owns the files below it; `harness` absent = a project that is no known harness. */
export interface FolderOwner {
  harness?: TaskHarnessFact;
}

export function folderOwner(folder: FolderFiles): FolderOwner | undefined {
  const { dir, has } = folder;
  const pkg = harnessOfPackage(path.basename(dir));
  if (pkg && has.has('__init__.py')) {
    const file = path.join(dir, '__init__.py');
    return { harness: { harness: pkg, source: 'package', file, written: `${path.basename(dir)}/__init__.py` } };
  }
  const named = projectName(folder);
  if (!named) return undefined;
  const harness = harnessOfDistribution(named.name);
  if (!harness) return {};
  return {
    harness: {
      harness,
      source: 'project',
      file: path.join(dir, named.fileName),
      line: named.line,
      written: `name = "${named.name}" in ${named.fileName}`,
    },
  };
}

interface ProjectName {
  name: string;
  fileName: 'pyproject.toml' | 'setup.cfg' | 'setup.py';
  line: number;
}

/** The project's distribution name: pyproject.toml's `[project]`/Poetry `name`, setup.cfg's `[metadata] name`, setup.py's `name=`. */
function projectName({ dir, has, read, pyproject }: FolderFiles): ProjectName | undefined {
  if (pyproject) {
    const id = pyprojectIdentity(pyproject.text, pyproject.doc);
    if (id) return { name: id.name, fileName: 'pyproject.toml', line: nameLine(pyproject.text) };
  }
  if (has.has('setup.cfg')) {
    const text = read(path.join(dir, 'setup.cfg')) ?? '';
    const m = /^\[metadata\][^[]*?^name[ \t]*=[ \t]*([\w.-]+)[ \t]*$/m.exec(text);
    if (m) return { name: m[1], fileName: 'setup.cfg', line: lineAt(text, m.index + m[0].lastIndexOf('name')) };
  }
  if (has.has('setup.py')) {
    const text = read(path.join(dir, 'setup.py')) ?? '';
    const m = /\bname\s*=\s*["']([\w.-]+)["']/.exec(text.slice(0, 256 * 1024));
    if (m && /\bsetup\s*\(/.test(text)) return { name: m[1], fileName: 'setup.py', line: lineAt(text, m.index) };
  }
  return undefined;
}

function nameLine(text: string): number {
  const m = /^[ \t]*name[ \t]*=/m.exec(text);
  return m ? lineAt(text, m.index) : 1;
}
