// `$/progress` (window/workDoneProgress) while task folders are indexed, so that a user who opens an
// lm-eval checkout sees why duplicate-name checks arrive a few seconds after the first diagnostics.
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { IndexProgress } from '../tasks';

export const INDEX_PROGRESS_TITLE = 'lm-eval-lens: indexing task configs';

export function progressMessage(p: IndexProgress): string {
  const files = p.total
    ? `${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} files`
    : 'listing files';
  return p.folders > 1 ? `${files} in ${p.folders} folders` : files;
}

/**
 * Turns index progress events into one work-done progress per indexing run: begun on the first
 * event, reported at most every few hundred milliseconds (the index throttles), ended when idle.
 * `create` is the connection's `window.createWorkDoneProgress` (a no-op reporter for clients
 * without the capability).
 */
export function indexProgressReporter(
  create: () => Promise<WorkDoneProgressServerReporter>,
): (p: IndexProgress | undefined) => void {
  let current: Promise<WorkDoneProgressServerReporter | undefined> | undefined;
  return (p) => {
    if (!p) {
      const ending = current;
      current = undefined;
      void ending?.then((r) => r?.done());
      return;
    }
    const percentage = p.total ? Math.min(100, Math.floor((100 * p.done) / p.total)) : undefined;
    if (!current) {
      current = create()
        .then((r) => {
          r.begin(INDEX_PROGRESS_TITLE, percentage, progressMessage(p), false);
          return r;
        })
        .catch(() => undefined);
      return;
    }
    void current.then((r) => r?.report(percentage ?? 0, progressMessage(p)));
  };
}
