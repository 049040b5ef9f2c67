// One folder's task index, built a slice at a time so that the server answers the file in front of
// the user first and indexes a 14,000-file lm-eval checkout in the background. Each file's
// contribution is kept apart: a saved file is re-indexed alone, and contributions are reused from a
// disk cache when the file's (and its includes') size and mtime are unchanged.
import * as path from 'node:path';
import { ParseCache } from '../taskconfig/includes';
import { MergedTaskIndex } from './mergedIndex';
import type { TaskFileSystem } from '../taskconfig/types';
import {
  configContribution,
  emptyContribution,
  MAX_INDEXED_FILES,
  SKIPPED_DIRS,
  type FileContribution,
} from './taskIndex';

export { MergedTaskIndex };

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** Size and mtime of a file (undefined when it does not exist): the disk cache's key. */
export type StatFile = (file: string) => FileStamp | undefined;

/** Bump when what a file contributes changes, so caches written by older versions are ignored. */
export const INDEX_FORMAT = 2;

export interface StoredFile {
  /** size, mtimeMs */
  s: number;
  m: number;
  c: FileContribution;
  /** Included files with their size and mtime when the contribution was computed. */
  d?: [string, number, number][];
}

/** What the disk cache holds for one folder. */
export interface StoredFolderIndex {
  format: number;
  root: string;
  /** Keyed by absolute path. */
  files: Record<string, StoredFile>;
}

/** Files larger than this are not configs (lm-eval's are kilobytes); they add nothing. */
const MAX_CONFIG_BYTES = 2 * 1024 * 1024;
const MAX_DEPTH = 16;

const posix = (p: string) => (path.sep === '/' ? p : p.split(path.sep).join('/'));

/** What the index keeps of one file. */
export interface FileRecord {
  stamp: FileStamp;
  c: FileContribution;
  deps: [string, number, number][];
}

export interface FolderIndexOptions {
  fs: TaskFileSystem;
  /** Enables reuse of stored contributions (and of records across re-walks) by size and mtime. */
  stat?: StatFile;
  /** A current record of the file from another folder index of the session (folders that overlap). */
  shared?: (file: string) => FileRecord | undefined;
  /** Told of every file recorded (the worker that builds an index forwards them). */
  onRecord?: (file: string, rec: FileRecord) => void;
  /**
   * false: records go to `onRecord` only, with no merged index kept (a worker that streams a walk
   * to the server holds nothing but the folder it is in).
   */
  retain?: boolean;
}

/**
 * The task index of one folder (a workspace root, an `--include_path`, an installed lm-eval's tasks
 * folder). `step` lists or indexes files until told to yield; `complete` says whether every file
 * found has been read.
 */
export class FolderIndex {
  readonly root: string;
  readonly index = new MergedTaskIndex();
  /** Increases whenever the index changes. */
  version = 0;
  private readonly fs: TaskFileSystem;
  private readonly stat?: StatFile;
  private readonly shared?: (file: string) => FileRecord | undefined;
  private readonly onRecord?: (file: string, rec: FileRecord) => void;
  private readonly retain: boolean;
  /** Records of a build done elsewhere (a worker thread), arriving in batches; see `beginExternal`. */
  private incoming?: Map<string, FileRecord>;
  private stored?: Map<string, StoredFile>;
  private records = new Map<string, FileRecord>();
  private dirs: [string, number][] = [];
  private listed: string[] = [];
  private pending: string[] = [];
  private listing = false;
  private rebuildWhenDone = false;
  private hints: string[] = [];
  /** Templates parsed while indexing one folder; dropped when the build moves on (bounds memory). */
  private includeCache = new ParseCache();
  private includeCacheDir = '';
  private stats = new Map<string, FileStamp | undefined>();
  /** Counters for progress: files indexed in the current pass, and files to index in it. */
  done = 0;
  total = 0;
  /** Files whose contribution came from the disk cache (or an earlier pass) in the current pass. */
  reused = 0;
  /** Something was computed or removed since the index was last written to the disk cache. */
  changedSinceSave = false;

  constructor(root: string, opts: FolderIndexOptions) {
    this.root = path.resolve(root);
    this.fs = opts.fs;
    this.stat = opts.stat;
    this.shared = opts.shared;
    this.onRecord = opts.onRecord;
    this.retain = opts.retain ?? true;
    this.walk();
  }

  /** Contributions from the disk cache, reused for files whose size and mtime still match. */
  useStored(stored: StoredFolderIndex): void {
    if (this.stat && stored.format === INDEX_FORMAT && stored.root === this.root)
      this.stored = new Map(Object.entries(stored.files));
  }

  get complete(): boolean {
    return !this.incoming && !this.listing && this.pending.length === 0;
  }

  /**
   * A full walk of this folder is done elsewhere (a worker thread) and its records arrive with
   * `addExternal`; until `endExternal` the folder is not complete and keeps what it had.
   */
  beginExternal(): void {
    this.listing = false;
    this.dirs = [];
    this.listed = [];
    this.pending = [];
    this.done = 0;
    this.total = 0;
    this.reused = 0;
    this.incoming = new Map();
  }

  addExternal(entries: readonly [string, FileRecord][]): void {
    if (!this.incoming) return;
    for (const [file, rec] of entries) {
      this.incoming.set(file, rec);
      this.index.add(file, rec.c);
    }
    this.version++;
  }

  /** The external walk is over: its records replace this folder's. */
  endExternal(counts: { done: number; total: number; reused: number }): void {
    if (!this.incoming) return;
    const had = this.records.size > 0;
    this.records = this.incoming;
    this.incoming = undefined;
    Object.assign(this, counts);
    this.rebuildWhenDone = had;
    this.finishPass();
  }

  /** An external walk failed: walk here instead. */
  abandonExternal(): void {
    this.incoming = undefined;
    this.walk();
  }

  /** Re-read the whole folder (a created or deleted folder, a setting): unchanged files are reused. */
  walk(): void {
    this.listing = true;
    this.dirs = [[this.root, 0]];
    this.listed = [];
    this.pending = [];
    this.done = 0;
    this.total = 0;
    this.reused = 0;
    this.stats.clear();
  }

  /**
   * Files were saved, created or deleted: re-index those under this folder and every file that
   * includes one of them. A path that is not a `.yaml` of this folder only affects the files
   * including it.
   */
  invalidate(files: readonly string[]): void {
    const changed = new Set(files.map((f) => path.resolve(f)));
    const again = new Set<string>();
    for (const f of changed) {
      this.stats.delete(f);
      if (this.isIndexable(f)) again.add(f);
    }
    for (const [file, rec] of this.records) if (rec.deps.some(([d]) => changed.has(d))) again.add(file);
    if (!again.size) return;
    if (this.complete) {
      this.done = 0;
      this.total = 0;
      this.reused = 0;
    }
    for (const f of again) {
      this.records.delete(f);
      if (!this.pending.includes(f)) this.pending.push(f);
      this.total++;
    }
    // Names of a changed file may disappear: the merged index is rebuilt once the files are read.
    this.rebuildWhenDone = true;
  }

  /** Index files whose path mentions one of `hints` (task names a file needs, its folder) first. */
  prioritize(hints: readonly string[]): void {
    const useful = hints.filter((h) => h.length >= 3);
    this.hints = useful;
    if (!useful.length || !this.pending.length) return;
    const hit = (f: string) => useful.some((h) => f.includes(h));
    const first = this.pending.filter(hit);
    if (!first.length || first.length === this.pending.length) return;
    this.pending = [...first, ...this.pending.filter((f) => !hit(f))];
  }

  /** True once this pass has read anything (a folder not started can still take a covering folder's records). */
  get started(): boolean {
    return this.done > 0 || this.listed.length > 0 || this.dirs.length !== 1 || this.dirs[0]?.[0] !== this.root;
  }

  /**
   * Whether this folder's walk reaches `dir` (and so indexes every file below it): inside the root,
   * through no skipped or hidden folder, within the depth limit.
   */
  covers(dir: string): boolean {
    const rel = path.relative(this.root, path.resolve(dir));
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const parts = rel.split(path.sep);
    return parts.length < MAX_DEPTH && parts.every((p) => !SKIPPED_DIRS.has(p) && !p.startsWith('.'));
  }

  /** This folder's current record of `file`, when it has read it and is not re-reading it. */
  recordOf(file: string): FileRecord | undefined {
    return this.pending.includes(file) ? undefined : this.records.get(file);
  }

  /** Take the records below this root from a complete folder that covers it: no file is read again. */
  adoptFrom(parent: FolderIndex): void {
    this.records.clear();
    this.index.clear();
    this.listing = false;
    this.dirs = [];
    this.pending = [];
    for (const [file, rec] of parent.records)
      if (this.isIndexable(file)) {
        this.records.set(file, rec);
        this.index.add(file, rec.c);
      }
    this.done = this.total = this.reused = this.records.size;
    this.rebuildWhenDone = false;
    this.finishPass();
  }

  /** Work until `shouldYield()` says stop (checked after every directory or file). True when complete. */
  step(shouldYield: () => boolean): boolean {
    while (!this.complete) {
      if (this.listing) this.listNext();
      else this.indexNext();
      if (shouldYield()) break;
    }
    return this.complete;
  }

  /** The contributions to write to the disk cache. */
  toStored(): StoredFolderIndex {
    const files: Record<string, StoredFile> = {};
    for (const [file, rec] of this.records)
      files[file] = { s: rec.stamp.size, m: rec.stamp.mtimeMs, c: rec.c, ...(rec.deps.length ? { d: rec.deps } : {}) };
    return { format: INDEX_FORMAT, root: this.root, files };
  }

  private isIndexable(file: string): boolean {
    const rel = path.relative(this.root, file);
    return file.endsWith('.yaml') && rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  private listNext(): void {
    const next = this.dirs.pop();
    if (!next) {
      this.finishListing();
      return;
    }
    const [dir, depth] = next;
    if (depth > MAX_DEPTH || this.listed.length >= MAX_INDEXED_FILES) return;
    const entries = this.fs.listDir(dir);
    if (!entries) return;
    const subdirs: [string, number][] = [];
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory) {
        if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) subdirs.push([p, depth + 1]);
      } else if (e.name.endsWith('.yaml') && this.listed.length < MAX_INDEXED_FILES) this.listed.push(p);
    }
    // Depth first, in name order (the stack pops the last pushed).
    subdirs.sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
    this.dirs.push(...subdirs);
  }

  private finishListing(): void {
    this.listing = false;
    const present = new Set(this.listed);
    let removed = false;
    for (const file of this.records.keys())
      if (!present.has(file)) {
        this.records.delete(file);
        removed = true;
        this.changedSinceSave = true;
      }
    this.pending = this.listed.sort((a, b) => {
      const pa = posix(a);
      const pb = posix(b);
      return pa < pb ? -1 : pa > pb ? 1 : 0;
    });
    this.listed = [];
    this.total = this.pending.length;
    this.prioritize(this.hints);
    // Re-walks keep the records of unchanged files; the merged index is rebuilt at the end.
    if (removed || this.records.size) this.rebuildWhenDone = true;
    if (!this.pending.length) this.finishPass();
  }

  private stampOf(file: string): FileStamp | undefined {
    if (!this.stat) return undefined;
    if (this.stats.has(file)) return this.stats.get(file);
    const st = this.stat(file);
    this.stats.set(file, st);
    return st;
  }

  /** A stored or earlier contribution still holds when the file and everything it includes are unchanged. */
  private reusable(stamp: FileStamp | undefined, s: FileStamp, deps: [string, number, number][]): boolean {
    if (!stamp || stamp.size !== s.size || stamp.mtimeMs !== s.mtimeMs) return false;
    for (const [d, size, mtimeMs] of deps) {
      const ds = this.stampOf(d);
      if (!ds || ds.size !== size || ds.mtimeMs !== mtimeMs) return false;
    }
    return true;
  }

  private indexNext(): void {
    const file = this.pending.shift();
    if (file === undefined) return;
    this.done++;
    const stamp = this.stampOf(file);
    const known = this.records.get(file);
    if (known && this.reusable(stamp, known.stamp, known.deps)) {
      this.reused++;
      this.index.add(file, known.c);
      this.afterFile();
      return;
    }
    const other = this.shared?.(file);
    if (other) {
      this.reused++;
      this.record(file, other);
      this.afterFile();
      return;
    }
    const stored = this.stored?.get(file);
    // Each stored entry is used once: the loaded cache shrinks as the walk goes.
    this.stored?.delete(file);
    if (stored && this.reusable(stamp, { size: stored.s, mtimeMs: stored.m }, stored.d ?? [])) {
      this.reused++;
      this.record(file, { stamp: stamp!, c: stored.c, deps: stored.d ?? [] });
      this.afterFile();
      return;
    }
    const text = this.fs.readFile(file);
    let c = emptyContribution();
    if (text !== undefined && text.length <= MAX_CONFIG_BYTES) {
      // Templates are included from the same folder or just above it: a cache per folder is enough.
      const dir = path.dirname(file);
      if (dir !== this.includeCacheDir) {
        this.includeCache = new ParseCache();
        this.includeCacheDir = dir;
      }
      try {
        c = configContribution(file, text, this.fs, this.includeCache);
      } catch {
        // A file we cannot read as a config adds nothing, as in lm-eval's indexer.
      }
    }
    this.changedSinceSave = true;
    if (text === undefined) {
      this.records.delete(file);
      this.rebuildWhenDone = true;
    } else {
      const deps: [string, number, number][] = [];
      for (const d of c.deps) {
        const ds = this.stampOf(d);
        if (ds) deps.push([d, ds.size, ds.mtimeMs]);
      }
      // The dependencies live in `deps` with their stamps; the contribution need not hold them twice.
      this.record(file, { stamp: stamp ?? { size: text.length, mtimeMs: 0 }, c: { ...c, deps: [] }, deps });
    }
    this.afterFile();
  }

  private record(file: string, rec: FileRecord): void {
    if (this.retain) {
      this.records.set(file, rec);
      this.index.add(file, rec.c);
    }
    this.onRecord?.(file, rec);
  }

  private afterFile(): void {
    this.version++;
    if (!this.pending.length) this.finishPass();
  }

  private finishPass(): void {
    this.stored = undefined;
    this.includeCache = new ParseCache();
    this.includeCacheDir = '';
    this.stats.clear();
    if (this.rebuildWhenDone) {
      this.rebuildWhenDone = false;
      this.index.clear();
      for (const [file, rec] of this.records) this.index.add(file, rec.c);
    }
    this.version++;
  }
}

/** Index a whole folder at once (the CLI and scripts; the server builds in slices). */
export function buildTaskIndex(root: string, fs: TaskFileSystem): MergedTaskIndex {
  const folder = new FolderIndex(root, { fs });
  folder.step(() => false);
  return folder.index;
}
