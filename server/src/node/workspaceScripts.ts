// The scripts of the workspace that may launch lm-eval (shell / SLURM scripts, Python, run configs,
// notebooks), read as text for finding the script behind an open log. Bounded: depth, file count and
// size; dependency and environment folders are skipped; the list is reused for a few seconds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScriptFile } from '../logs/launchingScript';

const SCRIPT_EXT = /\.(sh|bash|zsh|slurm|sbatch|job|py|ya?ml|ipynb)$/i;
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.venv',
  'venv',
  'env',
  '__pycache__',
  'site-packages',
  '.tox',
  '.mypy_cache',
  'dist',
  'build',
  'out',
  'wandb',
]);
const MAX_DEPTH = 6;
const MAX_ENTRIES = 20_000;
const MAX_SCRIPTS = 500;
const MAX_BYTES = 512 * 1024;
const REUSE_MS = 5_000;
const MENTIONS_LM_EVAL = /lm[_-]eval|simple_evaluate/;

export function listWorkspaceScripts(roots: readonly string[]): ScriptFile[] {
  const out: ScriptFile[] = [];
  let seen = 0;
  const walk = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH || out.length >= MAX_SCRIPTS) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > MAX_ENTRIES || out.length >= MAX_SCRIPTS) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(p, depth + 1);
      } else if (e.isFile() && SCRIPT_EXT.test(e.name)) {
        try {
          if (fs.statSync(p).size > MAX_BYTES) continue;
          const text = fs.readFileSync(p, 'utf8');
          if (MENTIONS_LM_EVAL.test(text)) out.push({ path: p, text });
        } catch {
          // unreadable: not a candidate
        }
      }
    }
  };
  for (const r of roots) walk(r, 0);
  return out;
}

/** `listWorkspaceScripts` for the server: the last listing is reused for a few seconds. */
export function nodeWorkspaceScripts(roots: readonly string[]): () => ScriptFile[] {
  let cached: { at: number; files: ScriptFile[] } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > REUSE_MS) cached = { at: now, files: listWorkspaceScripts(roots) };
    return cached.files;
  };
}
