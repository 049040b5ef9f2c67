// Find an installed lm-eval's `lm_eval/tasks` folder by looking at the usual site-packages locations
// (never by running Python): the active virtualenv/conda env, a `.venv` in the working directory,
// user and system prefixes, PYTHONPATH, and editable installs (`__editable__`/`.egg-link`/`.pth`).
import * as path from 'node:path';
import type { TaskFileSystem } from '../taskconfig/types';

type Env = Record<string, string | undefined>;

function libDirs(prefix: string, fs: TaskFileSystem): string[] {
  const out: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    const dir = path.join(prefix, lib);
    for (const e of fs.listDir(dir) ?? []) {
      if (e.isDirectory && /^python3(\.\d+)?t?$/.test(e.name)) {
        out.push(path.join(dir, e.name, 'site-packages'));
        out.push(path.join(dir, e.name, 'dist-packages'));
      }
    }
  }
  out.push(path.join(prefix, 'Lib', 'site-packages')); // Windows venvs
  return out;
}

function sitePackageCandidates(env: Env, fs: TaskFileSystem): string[] {
  const prefixes: string[] = [];
  if (env.VIRTUAL_ENV) prefixes.push(env.VIRTUAL_ENV);
  if (env.CONDA_PREFIX) prefixes.push(env.CONDA_PREFIX);
  const cwd = env.PWD;
  if (cwd) for (const v of ['.venv', 'venv', 'env']) prefixes.push(path.join(cwd, v));
  const home = env.HOME ?? env.USERPROFILE;
  if (home) {
    prefixes.push(path.join(home, '.local'));
    for (const c of ['miniconda3', 'anaconda3', 'miniforge3', 'mambaforge']) prefixes.push(path.join(home, c));
  }
  prefixes.push('/usr/local', '/usr', '/opt/conda');
  const dirs: string[] = [];
  for (const p of env.PYTHONPATH?.split(path.delimiter) ?? []) if (p) dirs.push(p);
  for (const prefix of prefixes) dirs.push(...libDirs(prefix, fs));
  dirs.push('/usr/lib/python3/dist-packages');
  if (env.LOCALAPPDATA) {
    const base = path.join(env.LOCALAPPDATA, 'Programs', 'Python');
    for (const e of fs.listDir(base) ?? [])
      if (e.isDirectory) dirs.push(path.join(base, e.name, 'Lib', 'site-packages'));
  }
  return dirs;
}

/** Source folders named by editable-install markers in a site-packages folder. */
function editableRoots(site: string, fs: TaskFileSystem): string[] {
  const roots: string[] = [];
  for (const e of fs.listDir(site) ?? []) {
    if (e.isDirectory) continue;
    const isMarker =
      /^(__editable__\.lm_eval|_?lm_eval).*\.pth$/i.test(e.name) || /^lm[-_]eval.*\.egg-link$/i.test(e.name);
    if (!isMarker) continue;
    const text = fs.readFile(path.join(site, e.name)) ?? '';
    for (const line of text.split(/\r?\n/)) {
      const l = line.trim();
      if (l && !l.startsWith('import ') && !l.startsWith('#') && path.isAbsolute(l)) roots.push(l);
    }
  }
  return roots;
}

export function findLmEvalTasksDir(env: Env, fs: TaskFileSystem): string | undefined {
  try {
    for (const site of sitePackageCandidates(env, fs)) {
      const direct = path.join(site, 'lm_eval', 'tasks');
      if (fs.exists(direct)) return direct;
      for (const root of editableRoots(site, fs)) {
        const t = path.join(root, 'lm_eval', 'tasks');
        if (fs.exists(t)) return t;
      }
    }
  } catch {
    // Nothing found is an answer, not an error.
  }
  return undefined;
}
