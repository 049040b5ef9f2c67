// Where Select GPU / Select vLLM version / Allow fetching write: VS Code refuses workspace settings
// with no folder open, so the user settings are used then, and the user is told.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingsScope, userScopeNote } from '../../../client/src/settingsScope';

describe('settingsScope', () => {
  it('the workspace when a folder or a workspace file is open', () => {
    assert.equal(settingsScope({ folders: 1, workspaceFile: false }), 'workspace');
    assert.equal(settingsScope({ folders: 3, workspaceFile: true }), 'workspace');
    assert.equal(settingsScope({ folders: 0, workspaceFile: true }), 'workspace');
  });
  it('the user settings when nothing is open, with a note naming the setting', () => {
    assert.equal(settingsScope({ folders: 0, workspaceFile: false }), 'user');
    assert.match(userScopeNote('gpu'), /No folder is open: .*lmEvalLens\.gpu in your user settings/);
  });
});
