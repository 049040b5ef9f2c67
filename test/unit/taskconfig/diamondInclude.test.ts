// A diamond include is reported on the include list that creates it, the same whatever order files
// are analysed in, and never on a file that loads on its own (issue #14).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { validateTaskConfig, validateTaskConfigWorkspace } from '../../../server/src/taskconfig';
import { lineOf, memoryFs } from './memfs';

const dir = path.resolve('/w/diamond');
const files: Record<string, string> = {
  [path.join(dir, 'top.yaml')]: 'include:\n  - left_yaml\n  - right_yaml\ntask: top\n',
  [path.join(dir, 'nested.yaml')]: 'include: both_yaml\ntask: nested\n',
  [path.join(dir, 'both_yaml')]: 'include:\n  - left_yaml\n  - right_yaml\n',
  [path.join(dir, 'left_yaml')]: 'include: base_yaml\n',
  [path.join(dir, 'right_yaml')]: 'include: base_yaml\n',
  [path.join(dir, 'base_yaml')]: 'dataset_path: x\n',
};
const fs = memoryFs(files, undefined);

/** Every diamond-include finding, as `file:line` where it is written. */
function diamonds(order: string[]): string[] {
  const out = validateTaskConfigWorkspace(
    order.map((p) => ({ path: p, text: files[p] })),
    { fs },
  );
  const where = new Set<string>();
  for (const [file, list] of out)
    for (const f of list)
      if (f.code === 'diamond-include' && !f.message.startsWith('The included')) {
        const at = f.file ?? file;
        where.add(`${path.basename(at)}:${lineOf(files[at], f.range.start)}`);
      }
  return [...where].sort();
}

describe('diamond-include', () => {
  it('is written on the list where the paths part, whatever the order of analysis', () => {
    const names = Object.keys(files);
    const orders = [names, [...names].reverse(), [names[3], names[4], names[2], names[0], names[1], names[5]]];
    for (const order of orders) assert.deepEqual(diamonds(order), ['both_yaml:3', 'top.yaml:3'], order.join(' '));
  });

  it('is not reported in a file that loads on its own', () => {
    for (const name of ['left_yaml', 'right_yaml', 'base_yaml']) {
      const p = path.join(dir, name);
      const found = validateTaskConfig(p, files[p], { fs });
      assert.deepEqual(
        found.filter((f) => f.code === 'diamond-include'),
        [],
        name,
      );
    }
  });

  it('points at both paths and quotes what lm-eval raises', () => {
    const p = path.join(dir, 'top.yaml');
    const [f] = validateTaskConfig(p, files[p], { fs }).filter((x) => x.code === 'diamond-include');
    assert.match(f.message, /`right_yaml` includes `base_yaml`, which `left_yaml` already includes/);
    assert.ok(f.message.includes(`ValueError: Include cycle at ${path.join(dir, 'base_yaml')}`), f.message);
    assert.deepEqual(
      f.related?.map((r) => `${path.basename(r.file)}:${lineOf(files[r.file], r.range.start)}`),
      ['top.yaml:2', 'left_yaml:1', 'right_yaml:1'],
    );
  });

  it('is no error before v0.4.12, where a diamond loads', () => {
    const p = path.join(dir, 'top.yaml');
    const found = validateTaskConfig(p, files[p], { fs, harnessVersion: '0.4.11' });
    assert.deepEqual(
      found.filter((f) => f.code === 'diamond-include' || f.code === 'include-cycle'),
      [],
    );
  });
});
