// Duplicate task names across the workspace, as the server checks the file being edited.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { nodeFactProviders } from '../../../server/src/node/providers';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { normalizeSettings } from '../../../server/src/shared/settings';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';

const task = (name: string) =>
  `task: ${name}\ndataset_path: x\noutput_type: multiple_choice\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\ndoc_to_choice: [a, b]\n`;

describe('workspace task names in the editor', () => {
  it('reports a task name another workspace file already defines, and not a unique one', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-dup-'));
    fs.mkdirSync(path.join(root, 'tasks'));
    const a = path.join(root, 'tasks', 'a.yaml');
    const b = path.join(root, 'tasks', 'b.yaml');
    fs.writeFileSync(a, task('my_task'));
    fs.writeFileSync(b, task('my_task'));
    const settings = normalizeSettings({ lmEvalTasksDir: path.join(root, 'no-install') });
    const providers = nodeFactProviders({ settings, workspaceRoots: [root], trusted: false });
    const taskConfig = { fs: nodeTaskFileSystem(), workspaceNames: providers.workspaceTaskNames() };
    const ctx = { settings, providers, taskConfig };
    const dup = analyzeDocument({ path: b, text: task('my_task') }, ctx).findings.find(
      (f) => f.code === 'duplicate-task-name',
    );
    assert.ok(dup, 'b.yaml duplicates a.yaml');
    assert.match(dup.message, /a\.yaml/);
    assert.ok(
      !analyzeDocument({ path: b, text: task('other_task') }, ctx).findings.some(
        (f) => f.code === 'duplicate-task-name',
      ),
    );
  });
});
