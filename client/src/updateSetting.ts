// Write one lmEvalLens setting where VS Code allows it: the workspace when one is open, else the
// user settings, with a message saying so (settingsScope.ts).
import * as vscode from 'vscode';
import { type SettingsScope, settingsScope, userScopeNote } from './settingsScope';

export async function updateLensSetting(key: string, value: unknown): Promise<SettingsScope> {
  const scope = settingsScope({
    folders: vscode.workspace.workspaceFolders?.length ?? 0,
    workspaceFile: vscode.workspace.workspaceFile !== undefined,
  });
  const target = scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('lmEvalLens').update(key, value, target);
  if (scope === 'user') void vscode.window.showInformationMessage(userScopeNote(key));
  return scope;
}
