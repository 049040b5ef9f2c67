// The incremental folder index: same answers as lm-eval's path-order indexer whatever order files
// arrive in, priority for the names a file needs, a disk cache keyed by size and mtime, and
// re-indexing of only what a saved file affects.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { statFile } from '../../../server/src/node/taskIndexStore';
import { workerFolderBuilder } from '../../../server/src/node/taskIndexWorker';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';
import {
  buildTaskIndex,
  encodeIndex,
  FolderIndex,
  TaskIndexService,
  type StoredFolderIndex,
} from '../../../server/src/tasks';

const task = (name: string, type = 'multiple_choice', extra = '') =>
  `task: ${name}\ndataset_path: x\noutput_type: ${type}\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\n${extra}`;

/** A small task folder: duplicates across paths, tags, a group with an inline task, an include. */
function makeFolder(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-folder-'));
  const files: Record<string, string> = {
    'a/_template_yaml': 'dataset_path: x\noutput_type: generate_until\ngeneration_kwargs:\n  max_gen_toks: 64\n',
    'a/alpha.yaml':
      'include: _template_yaml\ntask: alpha\ntag: [letters]\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\n',
    'a/beta.yaml': task('beta', 'multiple_choice', 'tag: letters\n'),
    'b/alpha.yaml': task('alpha', 'loglikelihood', 'tag: letters\n'),
    'b/group.yaml': 'group: both\ntask:\n  - alpha\n  - task: inline_one\n    output_type: loglikelihood\n',
    'c/deep/gamma.yaml': task('gamma', 'multiple_choice', 'tag: [letters, greek]\n'),
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const encoded = (index: Parameters<typeof encodeIndex>[0]) => JSON.stringify(encodeIndex(index, ''));

describe('folder task index', () => {
  it('gives lm-eval path-order answers whatever order files are indexed in', () => {
    const root = makeFolder();
    const inOrder = buildTaskIndex(root, nodeTaskFileSystem());
    assert.equal(inOrder.tasks.get('alpha')?.outputType, 'generate_until', 'a/alpha.yaml precedes b/alpha.yaml');
    assert.equal(inOrder.tasks.get('alpha')?.maxGenToks, 64, 'from the included template');
    assert.deepEqual(inOrder.tags.get('letters'), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(inOrder.groups.get('both'), ['alpha', 'inline_one']);
    assert.equal(inOrder.owners.get('alpha'), path.join(root, 'a', 'alpha.yaml'));
    assert.equal(inOrder.owners.get('inline_one'), undefined, 'inline tasks have no file of their own');

    // Reverse order: the later files first.
    const reversed = new FolderIndex(root, { fs: nodeTaskFileSystem() });
    reversed.prioritize(['deep', 'b/']);
    reversed.step(() => false);
    assert.equal(encoded(reversed.index), encoded(inOrder));
    assert.equal(reversed.index.owners.get('alpha'), path.join(root, 'a', 'alpha.yaml'));
  });

  it('indexes the files that mention a needed name first', () => {
    const root = makeFolder();
    const folder = new FolderIndex(root, { fs: nodeTaskFileSystem() });
    // Finish listing (directories only), then ask for gamma.
    while (folder.total === 0) folder.step(() => true);
    folder.prioritize(['gamma']);
    let filesRead = 0;
    folder.step(() => ++filesRead >= 1);
    assert.equal(folder.complete, false);
    assert.equal(folder.index.tasks.get('gamma')?.outputType, 'multiple_choice', 'gamma came first');
    assert.equal(folder.index.tasks.has('beta'), false);
  });

  it('reuses stored contributions while size and mtime (its own and its includes) match', () => {
    const root = makeFolder();
    const first = new FolderIndex(root, { fs: nodeTaskFileSystem(), stat: statFile });
    first.step(() => false);
    assert.equal(first.reused, 0);
    const stored: StoredFolderIndex = JSON.parse(JSON.stringify(first.toStored()));

    const again = new FolderIndex(root, { fs: nodeTaskFileSystem(), stat: statFile });
    again.useStored(stored);
    again.step(() => false);
    assert.equal(again.reused, again.total, 'every file from the cache');
    assert.equal(encoded(again.index), encoded(first.index));

    // The template changes: the file including it is read again, the others still come from the cache.
    const template = path.join(root, 'a', '_template_yaml');
    fs.writeFileSync(
      template,
      'dataset_path: x\noutput_type: generate_until\ngeneration_kwargs:\n  max_gen_toks: 512\n',
    );
    const future = new Date(Date.now() + 5000);
    fs.utimesSync(template, future, future);
    const third = new FolderIndex(root, { fs: nodeTaskFileSystem(), stat: statFile });
    third.useStored(stored);
    third.step(() => false);
    assert.equal(third.reused, third.total - 1);
    assert.equal(third.index.tasks.get('alpha')?.maxGenToks, 512);
  });

  it('re-indexes a saved file and what includes it; names of a deleted file disappear', () => {
    const root = makeFolder();
    const folder = new FolderIndex(root, { fs: nodeTaskFileSystem(), stat: statFile });
    folder.step(() => false);
    const aAlpha = path.join(root, 'a', 'alpha.yaml');
    fs.rmSync(aAlpha);
    folder.invalidate([aAlpha]);
    assert.equal(folder.complete, false);
    folder.step(() => false);
    assert.equal(folder.index.tasks.get('alpha')?.outputType, 'loglikelihood', 'b/alpha.yaml now wins');
    assert.equal(folder.index.owners.get('alpha'), path.join(root, 'b', 'alpha.yaml'));

    const gamma = path.join(root, 'c', 'deep', 'gamma.yaml');
    fs.writeFileSync(gamma, task('delta'));
    folder.invalidate([gamma]);
    assert.equal(folder.total, 1, 'only the saved file is read again');
    folder.step(() => false);
    assert.equal(folder.index.tasks.has('gamma'), false);
    assert.equal(folder.index.tasks.get('delta')?.path, gamma);
    assert.deepEqual(folder.index.tags.get('greek'), undefined);
  });

  it('builds in the background only when asked, and says when it is done', async () => {
    const root = makeFolder();
    const updated: string[] = [];
    const service = new TaskIndexService({
      fs: nodeTaskFileSystem(),
      mode: 'background',
      sliceMs: 0,
      onUpdated: (r) => updated.push(r),
    });
    assert.deepEqual(service.roots(), []);
    const view = service.view(root);
    assert.equal(view.complete, false, 'the caller never waits for the build');
    await service.whenIdle();
    assert.deepEqual(updated, [root]);
    assert.equal(service.view(root).complete, true);
    assert.equal(view.index, service.view(root).index, 'one index object, referenced');
    assert.equal(view.index.tasks.get('beta')?.outputType, 'multiple_choice');
  });

  it('indexes a folder inside another one once (an editable lm-eval install inside the checkout)', async () => {
    const root = makeFolder();
    const base = nodeTaskFileSystem();
    const reads = new Map<string, number>();
    const counting = {
      ...base,
      readFile: (p: string) => {
        reads.set(p, (reads.get(p) ?? 0) + 1);
        return base.readFile(p);
      },
    };
    const inner = path.join(root, 'c');
    for (const mode of ['background', 'sync'] as const) {
      reads.clear();
      const service = new TaskIndexService({ fs: counting, mode, sliceMs: 0 });
      // The install is asked for first, as the editor does when a config needs both.
      const install = service.view(inner);
      const workspace = service.view(root);
      await service.whenIdle();
      assert.equal(service.view(inner).complete, true, mode);
      assert.deepEqual([...install.index.tasks.keys()], ['gamma'], `${mode}: only the folder's own tasks`);
      assert.equal(workspace.index.tasks.get('gamma')?.path, path.join(root, 'c', 'deep', 'gamma.yaml'));
      assert.deepEqual(
        [...reads.values()].filter((n) => n > 1),
        [],
        `${mode}: no file read twice`,
      );
    }
  });

  it('walks a folder in a worker thread with the same answers, and caches it on disk for the next walk', async () => {
    const root = makeFolder();
    const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-store-'));
    const inThread = buildTaskIndex(root, nodeTaskFileSystem());
    const passes: { files: number; reused: number }[] = [];
    for (let run = 0; run < 2; run++) {
      const service = new TaskIndexService({
        fs: nodeTaskFileSystem(),
        stat: statFile,
        mode: 'background',
        builder: workerFolderBuilder(storeDir),
        onUpdated: (_root, pass) => passes.push(pass),
      });
      const view = service.view(root);
      await service.whenIdle();
      assert.equal(service.view(root).complete, true);
      assert.equal(encoded(view.index), encoded(inThread), `run ${run}`);
      assert.equal(view.index.owners.get('alpha'), path.join(root, 'a', 'alpha.yaml'));
      // A saved file is re-indexed on this thread, from the worker's records.
      const beta = path.join(root, 'a', 'beta.yaml');
      fs.writeFileSync(beta, task('beta', 'generate_until', 'tag: letters\n'));
      const future = new Date(Date.now() + 10_000 * (run + 1));
      fs.utimesSync(beta, future, future);
      service.invalidate([beta]);
      await service.whenIdle();
      assert.equal(service.view(root).index.tasks.get('beta')?.outputType, 'generate_until');
      fs.writeFileSync(beta, task('beta', 'multiple_choice', 'tag: letters\n'));
      await service.dispose();
    }
    assert.deepEqual(
      passes.map((p) => [p.files, p.reused]),
      [
        [5, 0],
        [1, 0],
        [5, 4],
        [1, 0],
      ],
      'the second walk reads only the file saved since the first',
    );
  });
});
