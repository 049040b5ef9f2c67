// The real file system behind task-config checks in the CLI and the server, with a small mtime cache
// so that templates included by thousands of configs are read once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DirEntry, TaskFileSystem } from '../taskconfig/types';

const MAX_CACHED_FILES = 4096;
const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** `maxCachedFiles`: 0 for a reader that keeps nothing (the task indexer reads each file once). */
export function nodeTaskFileSystem({ maxCachedFiles = MAX_CACHED_FILES } = {}): TaskFileSystem {
  const cache = new Map<string, { mtimeMs: number; size: number; text: string }>();
  return {
    readFile(p: string): string | undefined {
      try {
        const abs = path.resolve(p);
        const st = fs.statSync(abs, { throwIfNoEntry: false });
        if (!st?.isFile() || st.size > MAX_FILE_BYTES) return undefined;
        const hit = cache.get(abs);
        if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
        const text = fs.readFileSync(abs, 'utf8');
        if (maxCachedFiles <= 0) return text;
        if (cache.size >= maxCachedFiles) cache.delete(cache.keys().next().value as string);
        cache.set(abs, { mtimeMs: st.mtimeMs, size: st.size, text });
        return text;
      } catch {
        return undefined;
      }
    },
    exists(p: string): boolean {
      try {
        return fs.existsSync(p);
      } catch {
        return false;
      }
    },
    listDir(p: string): DirEntry[] | undefined {
      try {
        return fs.readdirSync(p, { withFileTypes: true }).map((d) => ({
          name: d.name,
          isDirectory: d.isDirectory() || (d.isSymbolicLink() && safeIsDir(path.join(p, d.name))),
        }));
      } catch {
        return undefined;
      }
    },
  };
}

function safeIsDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
