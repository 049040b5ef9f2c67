// The server's task indexes: folders walked in a worker thread (paused while a document is being
// analysed), cached in the editor's storage or the user cache folder, progress reported to the client,
// saved files re-indexed on the main thread between analyses.
import * as path from 'node:path';
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { indexProgressReporter } from '../service/indexProgress';
import { TaskIndexService, type IndexPass } from '../tasks';
import { nodeTaskFileSystem } from './taskFileSystem';
import { statFile, userCacheDir } from './taskIndexStore';
import { workerFolderBuilder } from './taskIndexWorker';

export interface ServerTaskIndexOptions {
  /** The editor's storage folder (VS Code's global storage); else the platform's user cache folder. */
  storagePath?: string;
  /** Resolves when no document analysis needs the main thread. */
  idle(): Promise<void>;
  createProgress(): Promise<WorkDoneProgressServerReporter>;
  onUpdated(root: string, pass: IndexPass): void;
}

export function serverTaskIndex(opts: ServerTaskIndexOptions): {
  taskIndex: TaskIndexService;
  /** Hold the worker's walk while the server analyses a document (true), or let it go on (false). */
  pause(busy: boolean): void;
} {
  const builder = workerFolderBuilder(path.join(opts.storagePath || userCacheDir(), 'task-index'));
  const taskIndex = new TaskIndexService({
    fs: nodeTaskFileSystem({ maxCachedFiles: 0 }),
    stat: statFile,
    builder,
    mode: 'background',
    idle: opts.idle,
    onProgress: indexProgressReporter(opts.createProgress),
    onUpdated: opts.onUpdated,
  });
  return { taskIndex, pause: (busy) => builder.pause(busy) };
}
