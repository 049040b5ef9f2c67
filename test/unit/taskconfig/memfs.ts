// A TaskFileSystem for tests: in-memory files over the real fixture folder (read-only).
import * as path from 'node:path';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';
import type { TaskFileSystem } from '../../../server/src/taskconfig/types';
import type { Finding } from '../../../server/src/shared/findings';

export function memoryFs(
  files: Record<string, string> = {},
  base: TaskFileSystem | undefined = nodeTaskFileSystem(),
): TaskFileSystem & { files: Map<string, string> } {
  const map = new Map(Object.entries(files).map(([p, t]) => [path.resolve(p), t]));
  return {
    files: map,
    readFile: (p) => map.get(path.resolve(p)) ?? base?.readFile(p),
    exists: (p) => {
      const abs = path.resolve(p);
      return map.has(abs) || [...map.keys()].some((k) => k.startsWith(abs + path.sep)) || (base?.exists(p) ?? false);
    },
    listDir: (p) => {
      const dir = path.resolve(p);
      const own = [...map.keys()]
        .filter((k) => path.dirname(k) === dir)
        .map((k) => ({ name: path.basename(k), isDirectory: false }));
      const sub = new Set(
        [...map.keys()]
          .filter((k) => k.startsWith(dir + path.sep) && path.dirname(k) !== dir)
          .map((k) => k.slice(dir.length + 1).split(path.sep)[0]),
      );
      const fromBase = base?.listDir(p) ?? [];
      const names = new Set(own.map((o) => o.name));
      return [
        ...own,
        ...[...sub].map((name) => ({ name, isDirectory: true })),
        ...fromBase.filter((e) => !names.has(e.name) && !sub.has(e.name)),
      ];
    },
  };
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function describe(findings: Finding[], texts: (file: string | undefined) => string): string {
  return findings
    .map(
      (f) =>
        `${f.severity} ${f.code} ${f.file ? `${path.basename(f.file)}:` : ''}${lineOf(texts(f.file), f.range.start)} ${f.message.slice(0, 100)}`,
    )
    .join('\n');
}
