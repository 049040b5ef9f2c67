import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';
import { invalidateTaskIndexes, resolveTasks } from '../../../server/src/tasks';

describe('workspace task index', () => {
  it('is read once and re-read after invalidation (a saved or created YAML)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-ws-'));
    const tfs = nodeTaskFileSystem();
    const task = (name: string, type: string) =>
      `task: ${name}\ndataset_path: x\noutput_type: ${type}\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\n`;
    fs.writeFileSync(path.join(root, 'a.yaml'), task('my_mc', 'multiple_choice'));
    assert.equal(resolveTasks(['my_mc'], { workspaceRoots: [root] }, tfs).tasks[0]?.source, 'workspace');
    fs.writeFileSync(path.join(root, 'b.yaml'), task('my_gen', 'generate_until'));
    assert.deepEqual(
      resolveTasks(['my_gen'], { workspaceRoots: [root] }, tfs).unknown,
      ['my_gen'],
      'cached until invalidated',
    );
    invalidateTaskIndexes(tfs);
    const after = resolveTasks(['my_gen'], { workspaceRoots: [root] }, tfs);
    assert.equal(after.tasks[0]?.outputType, 'generate_until');
  });
});
