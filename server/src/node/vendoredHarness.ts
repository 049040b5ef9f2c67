// Vendored copies of lm-eval in a project: a checkout at a folder, in its children, or in the
// children of vendor-like children (third_party/, vendor/, external/, ...), with the version the
// copy's own files say.
import * as path from 'node:path';
import type { VersionEvidence } from '../facts/providers';
import { harnessCheckoutVersion } from '../project/vendoredHarness';
import type { DirEntry, TaskFileSystem } from '../taskconfig/types';

const MAX_CHILDREN = 256;
const VENDOR_FOLDERS =
  /^(third[_-]?party|3rdparty|vendor|vendored|external|extern|submodules|deps|libs?|packages|src)$/i;

/** lm-eval checkouts at or just below `dir` (whose entries are `names`), as version evidence. */
export function vendoredHarnesses(fs: TaskFileSystem, dir: string, names: readonly DirEntry[]): VersionEvidence[] {
  const checkouts = [dir];
  for (const e of names.slice(0, MAX_CHILDREN)) {
    if (!e.isDirectory || e.name.startsWith('.') || e.name === 'node_modules') continue;
    const child = path.join(dir, e.name);
    checkouts.push(child);
    if (VENDOR_FOLDERS.test(e.name))
      for (const g of (fs.listDir(child) ?? []).slice(0, MAX_CHILDREN))
        if (g.isDirectory && !g.name.startsWith('.')) checkouts.push(path.join(child, g.name));
  }
  const out: VersionEvidence[] = [];
  for (const c of checkouts) {
    const v = vendoredHarness(fs, c);
    if (v) out.push(v);
  }
  return out;
}

/** The lm-eval checkout at `dir` (an `lm_eval/__init__.py`, or a pyproject.toml named lm-eval) and its version. */
function vendoredHarness(fs: TaskFileSystem, dir: string): VersionEvidence | undefined {
  const initPath = path.join(dir, 'lm_eval', '__init__.py');
  const hasInit = fs.exists(initPath);
  const pyprojectToml = fs.readFile(path.join(dir, 'pyproject.toml'));
  if (!hasInit && !(pyprojectToml && /^name\s*=\s*["']lm[-_]eval["']/m.test(pyprojectToml))) return undefined;
  const v = harnessCheckoutVersion({
    pyprojectToml,
    initPy: hasInit ? fs.readFile(initPath) : undefined,
    setupPy: fs.readFile(path.join(dir, 'setup.py')),
  });
  if (!v) return undefined;
  return {
    package: 'lm-eval',
    kind: 'vendored',
    file: path.join(dir, v.file),
    line: v.line,
    spec: v.version,
    dialect: 'exact',
    written: `lm-eval ${v.version} (a copy of lm-eval in ${path.basename(dir)})`,
    sourceRoot: dir,
    ...(v.note ? { note: v.note } : {}),
  };
}
