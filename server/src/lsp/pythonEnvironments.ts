// The interpreters the Python extension selected (lmEvalLens/pythonEnvironments): the packages
// installed there are read as text for the versions a launch runs; the interpreter never runs.
import { PythonEnvironmentsNotification, pythonEnvironmentsFrom } from '../shared/messages';
import type { ServerSession } from './session';
import { reconfigure } from './settings';

export function registerPythonEnvironments(session: ServerSession): void {
  session.connection.onNotification(PythonEnvironmentsNotification, (p) => {
    session.workspace.pythonEnvironments = pythonEnvironmentsFrom(p?.environments);
    void reconfigure(session);
  });
}
