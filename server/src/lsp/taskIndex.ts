// The server's task indexes (node/serverTaskIndex.ts) wired to the session: started at initialize
// with progress reported to the client, paused while a document is analysed (session.ts), open
// documents re-checked when a pass ends, the built-in index decoded once the first files are
// checked, the disk cache written before the process exits.
import { serverTaskIndex } from '../node/serverTaskIndex';
import { builtinTaskIndex, type IndexPass } from '../tasks';
import type { ServerSession } from './session';

/** The task index resumes once no document has been analysed for this long (a burst of opened files goes first). */
const INDEX_QUIET_MS = 50;
const WARM_UP_DELAY_MS = 500;

export function startTaskIndex(session: ServerSession, storagePath: string | undefined): void {
  let revalidateSoon: NodeJS.Timeout | undefined;
  const indexUpdated = (root: string, pass: IndexPass) => {
    session.connection.console.log(
      `task index of ${root} ready: ${pass.names} names; this pass looked at ${pass.files} files, ${pass.reused} unchanged since they were last indexed`,
    );
    clearTimeout(revalidateSoon);
    revalidateSoon = setTimeout(() => session.revalidate(), 0);
  };
  session.taskIndex = serverTaskIndex({
    storagePath,
    idle: () => session.analyses.whenIdle(INDEX_QUIET_MS),
    createProgress: () => session.connection.window.createWorkDoneProgress(),
    onUpdated: indexUpdated,
  });
}

/**
 * Decode the built-in task index (~50 ms) once the files opened with the editor are checked,
 * rather than in the middle of a big script's analysis later.
 */
export function warmUpBuiltinTaskIndex(session: ServerSession): void {
  setTimeout(() => {
    void session.analyses
      .whenIdle(INDEX_QUIET_MS)
      .then(() => session.guard('warm-up', undefined, () => builtinTaskIndex()));
  }, WARM_UP_DELAY_MS);
}

/** The task index's disk cache is written in the background: finish before the process exits. */
export function stopTaskIndex(session: ServerSession): void {
  session.taskIndex?.taskIndex.dispose();
}
