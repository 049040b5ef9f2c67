// Where a command writes a setting. VS Code refuses workspace settings when no folder or workspace
// file is open ("Unable to write to Workspace Settings because no workspace is opened"): the user
// settings are then the only place, and the user is told so. Pure, so it is unit-tested without VS Code.

export type SettingsScope = 'workspace' | 'user';

export interface OpenWorkspace {
  /** How many workspace folders are open. */
  folders: number;
  /** A `.code-workspace` file is open (its settings are writable even with no folder in it). */
  workspaceFile: boolean;
}

export function settingsScope(open: OpenWorkspace): SettingsScope {
  return open.folders > 0 || open.workspaceFile ? 'workspace' : 'user';
}

/** What to tell the user after writing to their user settings: that it applies to every window. */
export function userScopeNote(key: string): string {
  return `No folder is open: lm-eval-lens set lmEvalLens.${key} in your user settings (every window). Open a folder to set it for one workspace.`;
}
