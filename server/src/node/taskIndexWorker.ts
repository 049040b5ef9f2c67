// Full walks of a task folder in a worker thread: parsing lm-eval's 14,000 configs makes a lot of
// short-lived garbage, and a worker (with a small young generation) keeps that heap out of the
// server's, gives it back when the walk ends, and leaves the main thread free for the editor. The
// worker reads and writes the disk cache itself and sends the records in batches as it goes.
// Like the launch parser, it runs this same file (the server bundle) with the role below.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { FolderBuilder } from '../tasks';
import { FolderIndex, type FileRecord } from '../tasks/folderIndex';
import { nodeTaskFileSystem } from './taskFileSystem';
import { nodeTaskIndexStore, statFile } from './taskIndexStore';

const ROLE = 'lm-eval-lens/task-index';

type ToWorker =
  | { type: 'build'; root: string; storeDir?: string; pause?: SharedArrayBuffer }
  | { type: 'prioritize'; hints: string[] };
type FromWorker =
  | { type: 'records'; entries: [string, FileRecord][] }
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; done: number; total: number; reused: number };

/** Records are sent at most this often (a port delivers queued messages in one go: keep them few). */
const BATCH_MS = 250;
const SLICE_MS = 50;
/**
 * The walk's heap: its garbage is short-lived, and V8 lets it pile up to whatever limit it is given
 * (84 MB over the process's baseline on lm-eval's 14,000 files without limits, 48 MB with these).
 * A folder whose walk needs more fails here and is walked on the main thread instead.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE && parentPort) {
  const port = parentPort;
  let folder: FolderIndex | undefined;
  const send = (m: FromWorker) => port.postMessage(m);
  const build = async (root: string, storeDir: string | undefined, pause: Int32Array | undefined) => {
    const store = storeDir ? nodeTaskIndexStore(storeDir) : undefined;
    // Nothing is kept here: each record goes to the server and to the new cache file as it is made.
    const cache = store?.writer(root);
    let batch: [string, FileRecord][] = [];
    const f = new FolderIndex(root, {
      fs: nodeTaskFileSystem({ maxCachedFiles: 0 }),
      stat: statFile,
      retain: false,
      onRecord: (file, rec) => {
        batch.push([file, rec]);
        cache?.add(file, {
          s: rec.stamp.size,
          m: rec.stamp.mtimeMs,
          c: rec.c,
          ...(rec.deps.length ? { d: rec.deps } : {}),
        });
      },
    });
    folder = f;
    const stored = store?.load(root);
    if (stored) f.useStored(stored);
    let sentAt = performance.now();
    for (;;) {
      // The server is analysing a document: give it the CPU (a 2-core machine has no core to spare).
      while (pause && Atomics.load(pause, 0) === 1) Atomics.wait(pause, 0, 1, 100);
      const end = performance.now() + SLICE_MS;
      const complete = f.step(() => performance.now() >= end);
      if (complete || performance.now() - sentAt >= BATCH_MS) {
        if (batch.length) send({ type: 'records', entries: batch });
        batch = [];
        send({ type: 'progress', done: f.done, total: f.total });
        sentAt = performance.now();
      }
      if (complete) break;
      // Let `prioritize` messages in.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // An unchanged folder keeps its cache file as it is.
    if (f.changedSinceSave) cache?.commit();
    else cache?.abort();
    send({ type: 'done', done: f.done, total: f.total, reused: f.reused });
  };
  port.on('message', (m: ToWorker) => {
    if (m.type === 'build') void build(m.root, m.storeDir, m.pause ? new Int32Array(m.pause) : undefined);
    else if (m.type === 'prioritize') folder?.prioritize(m.hints);
  });
}

/**
 * Builds folders in worker threads, one worker per walk, ended when the walk is done. `storeDir`:
 * where the disk cache lives (the worker reads and writes it). `pause(true)` holds the walk between
 * slices until `pause(false)` (the server pauses it while it analyses a document).
 */
export function workerFolderBuilder(
  storeDir: string | undefined,
  script: string = __filename,
): FolderBuilder & { pause(paused: boolean): void } {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  return {
    pause(paused) {
      Atomics.store(flag, 0, paused ? 1 : 0);
      if (!paused) Atomics.notify(flag, 0);
    },
    build(root, sink) {
      const w = new Worker(script, { workerData: { role: ROLE }, resourceLimits: WORKER_LIMITS });
      let settled = false;
      let fail: (err: Error) => void = () => undefined;
      const done = new Promise<{ done: number; total: number; reused: number }>((resolve, reject) => {
        fail = reject;
        w.on('message', (m: FromWorker) => {
          if (m.type === 'records') sink.records(m.entries);
          else if (m.type === 'progress') sink.progress(m.done, m.total);
          else if (m.type === 'done') {
            settled = true;
            resolve(m);
            void w.terminate();
          }
        });
        w.on('error', (err) => {
          if (!settled) reject(err);
        });
        w.on('exit', (code) => {
          if (!settled) reject(new Error(`task index worker exited with code ${code}`));
        });
      });
      w.postMessage({ type: 'build', root, storeDir, pause: flag.buffer as SharedArrayBuffer } satisfies ToWorker);
      return {
        done,
        prioritize: (hints) => w.postMessage({ type: 'prioritize', hints: [...hints] } satisfies ToWorker),
        cancel: () => {
          if (!settled) fail(new Error('task index walk cancelled'));
          settled = true;
          void w.terminate();
        },
      };
    },
  };
}
