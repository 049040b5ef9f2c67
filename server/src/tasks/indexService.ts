// The task indexes of every folder a session needs (workspace roots, `--include_path` folders, an
// installed lm-eval's tasks), built lazily: a folder is indexed when something first asks for it.
// In the server the build runs in short slices that wait for the open documents' analyses, so the
// file in front of the user is never held up by the workspace; the CLI builds a folder at once.
import * as path from 'node:path';
import {
  FolderIndex,
  type FileRecord,
  type MergedTaskIndex,
  type StatFile,
  type StoredFolderIndex,
} from './folderIndex';
import type { TaskFileSystem } from '../taskconfig/types';

/** Where folder indexes are kept between runs (keyed by folder; entries by path, size and mtime). */
export interface TaskIndexStore {
  load(root: string): StoredFolderIndex | undefined;
  save(index: StoredFolderIndex): void;
  /** Settles when every save so far is on disk. */
  flush?(): Promise<void>;
}

export interface IndexProgress {
  /** Folders still being indexed. */
  folders: number;
  /** Files read (or reused) and files found so far, over those folders. */
  done: number;
  total: number;
}

/** What one build or update of a folder did. */
export interface IndexPass {
  /** Files looked at in this pass, and how many of them reused a stored or earlier contribution. */
  files: number;
  reused: number;
  /** Task, group and tag names in the folder's index. */
  names: number;
}

/** Walks a whole folder somewhere else (a worker thread), delivering its records as it goes. */
export interface FolderBuilder {
  build(
    root: string,
    sink: { records(entries: [string, FileRecord][]): void; progress(done: number, total: number): void },
  ): {
    /** Settles when every record is delivered, with the walk's counts; rejects when the walk failed. */
    done: Promise<{ done: number; total: number; reused: number }>;
    prioritize(hints: readonly string[]): void;
    cancel(): void;
  };
}

export interface TaskIndexServiceOptions {
  fs: TaskFileSystem;
  /** Size and mtime of files: lets unchanged files reuse their stored or earlier contribution. */
  stat?: StatFile;
  store?: TaskIndexStore;
  /** 'background': build in slices (the server); 'sync': a folder is built in full when first asked (CLI). */
  mode: 'background' | 'sync';
  /** Awaited before every background slice: resolves when the foreground has nothing more urgent. */
  idle?: () => Promise<void>;
  /** Milliseconds of work per background slice. */
  sliceMs?: number;
  onProgress?: (p: IndexProgress | undefined) => void;
  /** A folder finished building or updating: results that depend on it can be recomputed. */
  onUpdated?: (root: string, pass: IndexPass) => void;
  /** Background mode: full walks of a folder go to this builder, one at a time (updates stay here). */
  builder?: FolderBuilder;
}

export interface FolderView {
  /** As far as it is built: a name found is found for good, a name missing may still arrive. */
  index: MergedTaskIndex;
  complete: boolean;
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

export class TaskIndexService {
  private readonly folders = new Map<string, FolderIndex>();
  private readonly loaded = new Set<FolderIndex>();
  private running = false;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];
  private lastProgressAt = 0;
  /** The folder walked by the builder now, and the walk. */
  private external?: { folder: FolderIndex; walk: ReturnType<FolderBuilder['build']> };
  /** Folders the builder failed on: walked here from then on. */
  private readonly builderFailed = new Set<FolderIndex>();

  constructor(private readonly opts: TaskIndexServiceOptions) {}

  /** The index of `root`; the first ask starts building it (in full, now, in sync mode). */
  view(root: string): FolderView {
    const folder = this.folder(root);
    return { index: folder.index, complete: folder.complete };
  }

  /** Index files whose paths mention these names (or folders) before the rest. */
  prioritize(root: string, hints: readonly string[]): void {
    const f = this.folders.get(path.resolve(root));
    if (!f || f.complete) return;
    if (this.external?.folder === f) this.external.walk.prioritize(hints);
    else f.prioritize(hints);
  }

  /** Files changed (saved, created, deleted): re-index them and whatever includes them. No list: re-walk every folder. */
  invalidate(files?: readonly string[]): void {
    if (!files && this.external) {
      // The walk under way may have read the old files: walk again.
      const { folder, walk } = this.external;
      this.external = undefined;
      walk.cancel();
      folder.abandonExternal();
    }
    for (const f of this.folders.values()) {
      if (files) f.invalidate(files);
      else f.walk();
    }
    if (this.opts.mode === 'sync') for (const f of this.folders.values()) this.buildNow(f);
    else this.schedule();
  }

  /** Resolves when no folder is being indexed. */
  whenIdle(): Promise<void> {
    if (!this.running && !this.external) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Folder indexes held, for progress and tests. */
  roots(): string[] {
    return [...this.folders.keys()];
  }

  /** Stop indexing; settles when the disk cache holds everything saved so far. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.external?.walk.cancel();
    await this.opts.store?.flush?.();
  }

  private folder(root: string): FolderIndex {
    const abs = path.resolve(root);
    let f = this.folders.get(abs);
    if (!f) {
      f = new FolderIndex(abs, {
        fs: this.opts.fs,
        stat: this.opts.stat,
        shared: (file) => this.sharedRecord(file, f),
      });
      this.folders.set(abs, f);
      if (this.opts.mode === 'sync') this.buildNow(f);
      else this.schedule();
    }
    return f;
  }

  /**
   * The folder whose walk already covers `f`, if `f` has not started on its own: an installed lm-eval
   * (an editable install) inside the workspace checkout is indexed once, not twice.
   */
  private coveringFolder(f: FolderIndex): FolderIndex | undefined {
    if (f.started) return undefined;
    let best: FolderIndex | undefined;
    for (const g of this.folders.values())
      if (g !== f && g.covers(f.root) && (!best || g.root.length < best.root.length)) best = g;
    return best;
  }

  /** A record of `file` from another complete folder (overlapping folders read a file once). */
  private sharedRecord(file: string, asking: FolderIndex | undefined): FileRecord | undefined {
    for (const g of this.folders.values()) {
      if (g === asking || !g.complete) continue;
      const rec = g.recordOf(file);
      if (rec) return rec;
    }
    return undefined;
  }

  private buildNow(f: FolderIndex): void {
    const parent = this.coveringFolder(f);
    if (parent) {
      this.buildNow(parent);
      f.adoptFrom(parent);
      this.finished(f);
      return;
    }
    this.load(f);
    if (!f.complete) {
      f.step(() => false);
      this.finished(f);
    }
  }

  /** The stored index is read in the first slice of a folder, never on the caller's path. */
  private load(f: FolderIndex): void {
    if (this.loaded.has(f)) return;
    this.loaded.add(f);
    try {
      const stored = this.opts.store?.load(f.root);
      if (stored) f.useStored(stored);
    } catch {
      // An unreadable cache is rebuilt.
    }
  }

  private finished(f: FolderIndex): void {
    if (this.opts.store && f.changedSinceSave) {
      try {
        this.opts.store.save(f.toStored());
        f.changedSinceSave = false;
      } catch {
        // The cache is an optimisation: a failed write costs the next start some time.
      }
    }
    const names = f.index.tasks.size + f.index.groups.size + f.index.tags.size;
    this.opts.onUpdated?.(f.root, { files: f.done, reused: f.reused, names });
  }

  private schedule(): void {
    if (this.running || this.disposed) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    const sliceMs = this.opts.sliceMs ?? 8;
    try {
      for (;;) {
        await immediate();
        if (this.opts.idle) await this.opts.idle();
        if (this.disposed) break;
        const waiting = [...this.folders.values()].filter((x) => !x.complete || !this.loaded.has(x));
        if (!waiting.length) break;
        // A folder inside another one being indexed takes its records when that one is done.
        const derived = waiting.find((x) => {
          const parent = this.coveringFolder(x);
          return parent?.complete && this.loaded.has(parent);
        });
        if (derived) {
          derived.adoptFrom(this.coveringFolder(derived)!);
          this.loaded.add(derived);
          this.progress(false);
          this.finished(derived);
          continue;
        }
        const own = waiting.filter((x) => x !== this.external?.folder && !this.coveringFolder(x));
        // A full walk goes to the builder (one at a time); updates of a few files are done here.
        const walk = own.find((x) => this.wantsBuilder(x));
        if (walk && !this.external) {
          this.startExternal(walk);
          continue;
        }
        const f = own.find((x) => !this.wantsBuilder(x));
        if (!f) break;
        const end = performance.now() + sliceMs;
        this.load(f);
        // At least one directory or file per slice, then until the slice is used.
        const complete = f.complete || f.step(() => performance.now() >= end);
        this.progress(false);
        if (complete) this.finished(f);
      }
    } finally {
      this.running = false;
      if (!this.external) {
        this.progress(true);
        for (const w of this.idleWaiters.splice(0)) w();
      }
    }
  }

  /** A folder that has not started its walk goes to the builder, if there is one that has not failed on it. */
  private wantsBuilder(f: FolderIndex): boolean {
    return !!this.opts.builder && !f.started && !this.builderFailed.has(f);
  }

  private startExternal(f: FolderIndex): void {
    const builder = this.opts.builder!;
    this.loaded.add(f);
    f.beginExternal();
    const walk = builder.build(f.root, {
      records: (entries) => f.addExternal(entries),
      progress: (done, total) => {
        f.done = done;
        f.total = total;
        this.progress(false);
      },
    });
    this.external = { folder: f, walk };
    walk.done.then(
      (counts) => {
        if (this.external?.walk !== walk) return;
        this.external = undefined;
        f.endExternal(counts);
        this.finished(f);
        this.schedule();
      },
      () => {
        if (this.external?.walk !== walk) return;
        this.external = undefined;
        // Cancelled for a re-walk, or failed (say, out of memory): walk here.
        if (!this.disposed) {
          this.builderFailed.add(f);
          f.abandonExternal();
        }
        this.schedule();
      },
    );
  }

  private progress(end: boolean): void {
    if (!this.opts.onProgress) return;
    const busy = [...this.folders.values()].filter((f) => !f.complete);
    if (end || !busy.length) {
      this.lastProgressAt = 0;
      this.opts.onProgress(undefined);
      return;
    }
    const now = performance.now();
    if (this.lastProgressAt && now - this.lastProgressAt < 250) return;
    this.lastProgressAt = now;
    let done = 0;
    let total = 0;
    for (const f of busy) {
      done += f.done;
      total += f.total;
    }
    this.opts.onProgress({ folders: busy.length, done, total });
  }
}
