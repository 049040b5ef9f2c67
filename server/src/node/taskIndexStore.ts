// The disk cache of folder task indexes: one JSON file per folder, entries keyed by path with the
// size and mtime they were computed from, so that a server restarted on a 14,000-file lm-eval
// checkout stats its files instead of parsing them again.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INDEX_FORMAT, type StoredFile } from '../tasks/folderIndex';
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

/**
 * One file per folder, as JSON lines: a header `{format, root}`, then `[path, entry]` per file, so that
 * a worker can write a walk as it goes without holding it, and a reader never needs the whole text
 * as one string.
 */
export function nodeTaskIndexStore(dir: string): TaskIndexStore & { writer(root: string): TaskIndexWriter } {
  let writing: Promise<void> = Promise.resolve();
  const fileFor = (root: string) =>
    path.join(dir, `${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 24)}.jsonl`);
  const writer = (root: string): TaskIndexWriter => {
    const file = fileFor(root);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    let buffer = `${JSON.stringify({ format: INDEX_FORMAT, root: path.resolve(root) })}\n`;
    let bytes = 0;
    let failed = false;
    const flush = () => {
      if (failed || !buffer) return;
      try {
        if (bytes === 0) fs.mkdirSync(dir, { recursive: true });
        fs.appendFileSync(tmp, buffer);
        bytes += buffer.length;
        if (bytes > MAX_STORE_BYTES) failed = true;
      } catch {
        failed = true;
      }
      buffer = '';
    };
    return {
      add(p, entry) {
        buffer += `${JSON.stringify([p, entry])}\n`;
        if (buffer.length > 256 * 1024) flush();
      },
      commit() {
        flush();
        try {
          // A reader never sees half a file: rename is atomic.
          if (!failed) fs.renameSync(tmp, file);
        } catch {
          failed = true;
        }
        if (failed) fs.rmSync(tmp, { force: true });
      },
      abort() {
        failed = true;
        fs.rmSync(tmp, { force: true });
      },
    };
  };
  return {
    load(root) {
      let fd: number | undefined;
      try {
        const file = fileFor(root);
        const st = fs.statSync(file, { throwIfNoEntry: false });
        if (!st || st.size > MAX_STORE_BYTES) return undefined;
        // Read in pieces: the whole file as one string, then split, would be three copies at once.
        fd = fs.openSync(file, 'r');
        const files: StoredFolderIndex['files'] = {};
        const chunk = Buffer.alloc(1 << 20);
        let rest = '';
        let header: { format?: number; root?: string } | undefined;
        const line = (text: string) => {
          if (!text) return;
          if (!header) {
            header = JSON.parse(text) as { format?: number; root?: string };
            if (header.format !== INDEX_FORMAT || header.root !== path.resolve(root)) throw new Error('other index');
            return;
          }
          const [p, entry] = JSON.parse(text) as [string, StoredFile];
          files[p] = entry;
        };
        for (;;) {
          const n = fs.readSync(fd, chunk, 0, chunk.length, null);
          if (n === 0) break;
          const lines = (rest + chunk.toString('utf8', 0, n)).split('\n');
          rest = lines.pop() ?? '';
          for (const l of lines) line(l);
        }
        line(rest);
        return header ? { format: INDEX_FORMAT, root: path.resolve(root), files } : undefined;
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
    save(index) {
      // Written off the request path, one save after the other.
      writing = writing.then(() => {
        const w = writer(index.root);
        for (const [p, entry] of Object.entries(index.files)) w.add(p, entry);
        w.commit();
      });
    },
    flush: () => writing,
    writer,
  };
}

/** Writes a folder's entries as a walk finds them; `commit` makes them the folder's cache. */
export interface TaskIndexWriter {
  add(file: string, entry: StoredFile): void;
  commit(): void;
  abort(): void;
}
