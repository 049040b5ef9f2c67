// The disk cache of folder task indexes: one JSON file per folder, entries keyed by path with the
// size and mtime they were computed from, so that a server restarted on a 14,000-file lm-eval
// checkout stats its files instead of parsing them again.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StatFile, StoredFolderIndex, TaskIndexStore } from '../tasks';

/** A cache file larger than this is not written (a folder of that size is not a task folder). */
const MAX_STORE_BYTES = 64 * 1024 * 1024;

/**
 * The per-user cache folder of the platform: `$XDG_CACHE_HOME` (or `~/.cache`) on Linux,
 * `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows. The server uses the editor's global
 * storage instead when the client passes one.
 */
export function userCacheDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'win32')
    return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'lm-eval-lens', 'Cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'lm-eval-lens');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'lm-eval-lens');
}

export const statFile: StatFile = (file) => {
  try {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    return st?.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
};

export function nodeTaskIndexStore(dir: string): TaskIndexStore {
  let writing: Promise<void> = Promise.resolve();
  const fileFor = (root: string) =>
    path.join(dir, `${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 24)}.json`);
  return {
    load(root) {
      try {
        const file = fileFor(root);
        const st = fs.statSync(file, { throwIfNoEntry: false });
        if (!st || st.size > MAX_STORE_BYTES) return undefined;
        const data = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredFolderIndex;
        return data && typeof data === 'object' && data.files && typeof data.files === 'object' ? data : undefined;
      } catch {
        return undefined;
      }
    },
    save(index) {
      const json = JSON.stringify(index);
      if (json.length > MAX_STORE_BYTES) return;
      const file = fileFor(index.root);
      const tmp = `${file}.${process.pid}.tmp`;
      // Written off the request path, one write after the other; a reader never sees half a file
      // (rename is atomic).
      writing = writing
        .then(() => fs.promises.mkdir(dir, { recursive: true }))
        .then(() => fs.promises.writeFile(tmp, json))
        .then(() => fs.promises.rename(tmp, file))
        .catch(() => fs.promises.rm(tmp, { force: true }).catch(() => undefined));
    },
    flush: () => writing,
  };
}
