// Which files `check` looks at when given a directory: those an extractor or validator understands.
import * as fs from 'node:fs';
import * as path from 'node:path';

const UNDERSTOOD = /\.(sh|bash|zsh|slurm|sbatch|job|py|ipynb|json|jsonc|md|markdown|ya?ml)$/i;
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  'out',
  'dist',
]);
/** Bounded walk: a hostile tree (symlink loops, millions of files) must not hang the CLI. */
const MAX_FILES = 200_000;

export function collectFiles(inputs: string[]): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  const seenDirs = new Set<string>();
  const walk = (dir: string) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      if (files.length >= MAX_FILES) return;
      const p = path.join(dir, ent.name);
      if (ent.isDirectory() || (ent.isSymbolicLink() && isDir(p))) {
        if (!SKIP_DIRS.has(ent.name)) walk(p);
      } else if (UNDERSTOOD.test(ent.name) || (!ent.name.includes('.') && looksLikeShell(p))) files.push(p);
    }
  };
  for (const input of inputs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(input);
    } catch (e) {
      errors.push(`${input}: ${(e as Error).message}`);
      continue;
    }
    if (st.isDirectory()) walk(input);
    else files.push(input);
  }
  return { files, errors };
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Extension-less scripts with a shell shebang (SLURM job files often have none). */
function looksLikeShell(p: string): boolean {
  try {
    const fd = fs.openSync(p, 'r');
    const buf = Buffer.alloc(64);
    const n = fs.readSync(fd, buf, 0, 64, 0);
    fs.closeSync(fd);
    return /^#!.*\b(ba|z|da)?sh\b/.test(buf.subarray(0, n).toString('utf8'));
  } catch {
    return false;
  }
}
