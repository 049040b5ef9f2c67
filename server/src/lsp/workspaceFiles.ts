// Files changed on disk: a saved document, or a file the client watches (PROJECT_FILE_GLOB and task
// YAML). Project facts (pins, config files) are read again, and task names resolve against the
// workspace's YAML: what changed is re-indexed in the background, then open documents re-checked.
import { URI } from '../node/uri';
import type { ServerSession } from './session';

export function registerWorkspaceFiles(session: ServerSession): void {
  const tasksChanged = (files: string[]) => {
    session.providers.invalidateWorkspaceTasks(files);
    session.revalidate();
  };
  session.documents.onDidSave((e) => tasksChanged([URI.toPath(e.document.uri)]));
  session.connection.onDidChangeWatchedFiles((p) => {
    session.providers.invalidateProjectFiles();
    tasksChanged(p.changes.map((c) => URI.toPath(c.uri)));
  });
}
