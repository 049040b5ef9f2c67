// Where a project's walk stops: the workspace folder (or the checked repository) holding the file,
// else the nearest git repository, else the CLI's current folder; and the folders on the way up.
import * as path from 'node:path';
import type { TaskFileSystem } from '../taskconfig/types';

/** The deepest a walk goes up from a file. */
export const MAX_DEPTH = 24;

/** Whether `file` is `dir` or lies below it. */
export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The deepest of `roots` holding the file, else its git repository, else `fallbackRoot` when it holds the file. */
export function projectRootOf(
  file: string,
  roots: readonly string[],
  fs: TaskFileSystem,
  fallbackRoot: string | undefined,
): string | undefined {
  const abs = path.resolve(file);
  let best: string | undefined;
  for (const r of roots) if (isInside(abs, r) && (!best || r.length > best.length)) best = r;
  if (best) return best;
  for (let d = path.dirname(abs), i = 0; i < MAX_DEPTH; i++) {
    if (fs.exists(path.join(d, '.git'))) return d;
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  const fallback = fallbackRoot && path.resolve(fallbackRoot);
  return fallback && isInside(abs, fallback) ? fallback : undefined;
}

/** The file's folder and its ancestors, up to `stop` (inclusive); never the home folder itself. */
export function foldersUpTo(file: string, stop: string | undefined, homeDir: string | undefined): string[] {
  const abs = path.resolve(file);
  const out: string[] = [];
  for (let d = path.dirname(abs); out.length < MAX_DEPTH; ) {
    if (homeDir && path.resolve(d) === path.resolve(homeDir) && d !== stop) break;
    out.push(d);
    if (d === stop) break;
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return out;
}
