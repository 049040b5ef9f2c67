// "Allow fetching model configs from the Hugging Face Hub in this workspace": turns on
// lmEvalLens.allowNetwork in the workspace settings, for the owner who wants every unknown model's
// config.json fetched without asking. Offline stays the default; untrusted workspaces ignore it.
import * as vscode from 'vscode';
import { ALLOW_NETWORK_COMMAND } from '../../server/src/shared/commands';
import { updateLensSetting } from './updateSetting';

export function registerAllowNetworkCommand(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(ALLOW_NETWORK_COMMAND, async () => {
      // With no folder open the setting goes to the user settings, and updateLensSetting says so.
      if ((await updateLensSetting('allowNetwork', true)) === 'workspace')
        void vscode.window.showInformationMessage(
          'lm-eval-lens now fetches config.json of unknown models from the Hugging Face Hub in this workspace (HF_ENDPOINT and HF_TOKEN are honoured). Turn lmEvalLens.allowNetwork off to stay offline.',
        );
    }),
  );
}
