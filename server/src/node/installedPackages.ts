// The vllm and lm-eval installed in a Python environment, from the dist-info METADATA (or egg-info
// PKG-INFO) in its site-packages, read as text; and which environments a file runs in: the editor's
// selected interpreter for its folder, VIRTUAL_ENV, CONDA_PREFIX.
import * as path from 'node:path';
import type { VersionEvidence } from '../facts/providers';
import { parseDistFolderName, parseDistMetadata } from '../project/distInfo';
import type { PythonEnvironment } from '../shared/messages';
import type { TaskFileSystem } from '../taskconfig/types';
import { isInside } from './projectRoot';

/** The environment prefixes that apply to `file`: the selected interpreter's, then VIRTUAL_ENV and CONDA_PREFIX. */
export function environmentPrefixes(
  file: string,
  pythonEnvironments: readonly PythonEnvironment[],
  env: (name: string) => string | undefined,
  isDir: (p: string) => boolean,
): string[] {
  const prefixes: string[] = [];
  const selected = selectedEnvironment(pythonEnvironments, file);
  if (selected) prefixes.push(selected.sysPrefix ?? prefixOfInterpreter(selected.path, isDir));
  for (const v of ['VIRTUAL_ENV', 'CONDA_PREFIX']) {
    const p = env(v);
    if (p) prefixes.push(p);
  }
  return prefixes;
}

/** vllm and lm-eval as installed under the environment `prefix`. */
export function installedPackagesIn(fs: TaskFileSystem, prefix: string): VersionEvidence[] {
  const evidence: VersionEvidence[] = [];
  for (const site of sitePackages(fs, prefix)) {
    for (const e of (fs.listDir(site) ?? []).slice(0, 20_000)) {
      if (!e.isDirectory || !/^(vllm|lm[_-]eval)-.*\.(dist|egg)-info$/i.test(e.name)) continue;
      const folder = parseDistFolderName(e.name);
      const metaFile = path.join(site, e.name, e.name.endsWith('.egg-info') ? 'PKG-INFO' : 'METADATA');
      const meta = fs.readFile(metaFile);
      const dist = (meta !== undefined ? parseDistMetadata(meta) : undefined) ?? folder;
      if (!dist) continue;
      const sourceRoot = dist.package === 'lm-eval' ? lmEvalSource(fs, site, path.join(site, e.name)) : undefined;
      evidence.push({
        package: dist.package,
        kind: 'installed',
        file: dist.line ? metaFile : path.join(site, e.name),
        ...(dist.line ? { line: dist.line } : {}),
        spec: dist.version,
        dialect: 'exact',
        written: `${dist.package} ${dist.version} installed in ${prefix}`,
        ...(sourceRoot ? { sourceRoot } : {}),
      });
    }
  }
  return evidence;
}

/**
 * Where the installed lm_eval package's source is: in site-packages, or for an editable install
 * (`pip install -e`, PEP 660) the checkout that direct_url.json names.
 */
function lmEvalSource(fs: TaskFileSystem, site: string, distInfo: string): string | undefined {
  if (fs.exists(path.join(site, 'lm_eval', '__init__.py'))) return site;
  const raw = fs.readFile(path.join(distInfo, 'direct_url.json'));
  if (raw === undefined) return undefined;
  try {
    const d = JSON.parse(raw) as { url?: unknown; dir_info?: { editable?: unknown } };
    if (typeof d.url !== 'string' || d.dir_info?.editable !== true) return undefined;
    const root = uriToPath(d.url);
    return root && fs.exists(path.join(root, 'lm_eval', '__init__.py')) ? root : undefined;
  } catch {
    return undefined;
  }
}

/** `lib/pythonX.Y/site-packages` (and lib64) on POSIX, `Lib/site-packages` on Windows. */
function sitePackages(fs: TaskFileSystem, prefix: string): string[] {
  const isDir = (p: string) => fs.listDir(p) !== undefined;
  const out: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    for (const e of fs.listDir(path.join(prefix, lib)) ?? []) {
      if (e.isDirectory && /^python\d/.test(e.name)) {
        const site = path.join(prefix, lib, e.name, 'site-packages');
        if (isDir(site)) out.push(site);
      }
    }
  }
  const windows = path.join(prefix, 'Lib', 'site-packages');
  if (isDir(windows)) out.push(windows);
  return out;
}

/** The interpreter selected for the deepest workspace folder holding `file`, else one for no folder. */
function selectedEnvironment(envs: readonly PythonEnvironment[], file: string): PythonEnvironment | undefined {
  let best: PythonEnvironment | undefined;
  let bestLen = -1;
  for (const e of envs) {
    if (!e.folderUri) {
      if (bestLen < 0) [best, bestLen] = [e, 0];
      continue;
    }
    const folder = uriToPath(e.folderUri);
    if (folder && isInside(file, folder) && folder.length > bestLen) [best, bestLen] = [e, folder.length];
  }
  return best;
}

function uriToPath(uri: string): string | undefined {
  try {
    const u = new URL(uri);
    if (u.protocol !== 'file:') return undefined;
    const p = decodeURIComponent(u.pathname);
    return /^\/[A-Za-z]:/.test(p) ? p.slice(1) : p;
  } catch {
    return undefined;
  }
}

/** `…/.venv/bin/python3` → `…/.venv`; `C:\\env\\Scripts\\python.exe` → `C:\\env`; a conda `python.exe` at the root → its folder. */
export function prefixOfInterpreter(interpreter: string, isDir: (p: string) => boolean): string {
  if (isDir(interpreter)) return interpreter;
  const dir = path.dirname(interpreter);
  const base = path.basename(dir).toLowerCase();
  return base === 'bin' || base === 'scripts' ? path.dirname(dir) : dir;
}
