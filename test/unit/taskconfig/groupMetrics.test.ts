// What a group's tasks report, followed through member names (in the files checked together), nested
// groups and overrides, and the unknown-metric warning for an aggregate metric none of them reports.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { validateTaskConfigWorkspace } from '../../../server/src/taskconfig';
import { memoryFs } from './memfs';

const dir = path.resolve('/w/groups');
const at = (name: string) => path.join(dir, name);
const task = (name: string, extra = '') =>
  `task: ${name}\ndataset_path: x\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\n${extra}`;

function aggregateWarnings(files: Record<string, string>): string[] {
  const out = validateTaskConfigWorkspace(
    Object.entries(files).map(([name, text]) => ({ path: at(name), text })),
    { fs: memoryFs({}, undefined) },
  );
  return [...out]
    .flatMap(([file, list]) => list.map((f) => ({ file: path.basename(f.file ?? file), f })))
    .filter(({ f }) => f.code === 'unknown-metric' && f.message.startsWith('No task of this group'))
    .map(({ file, f }) => `${file}: ${f.message.slice(0, f.message.indexOf(','))}`);
}

describe('aggregate_metric_list metrics no task reports', () => {
  const base = {
    'mc.yaml': task('mc', 'output_type: multiple_choice\ndoc_to_choice: [a, b]\n'),
    'gen.yaml': task('gen', 'metric_list:\n  - metric: exact_match\n  - metric: f1\n'),
  };

  it('follows member names, sub-groups and overrides', () => {
    assert.deepEqual(
      aggregateWarnings({
        ...base,
        'inner.yaml': 'group: inner\ntask: [mc]\n',
        'outer.yaml':
          'group: outer\ntask:\n  - inner\n  - gen\naggregate_metric_list:\n  - metric: acc_norm\n  - metric: f1\n  - metric: bleu\n',
        // An override of metric_list on a member changes what it reports.
        'over.yaml':
          'group: over\ntask:\n  - task: gen\n    metric_list:\n      - metric: chrf\naggregate_metric_list:\n  - metric: chrf\n  - metric: f1\n',
      }),
      [
        'outer.yaml: No task of this group reports `bleu` (they report `acc`',
        'over.yaml: No task of this group reports `f1` (they report `chrf`)',
      ],
    );
  });

  it('claims nothing when a member cannot be followed', () => {
    assert.deepEqual(
      aggregateWarnings({
        ...base,
        'tagged.yaml': task('tagged', 'tag: some_tag\nprocess_results: !function utils.process\n'),
        'g1.yaml': 'group: g1\ntask: [mc, not_in_this_set]\naggregate_metric_list:\n  - metric: bleu\n',
        'g2.yaml': 'group: g2\ntask: [mc, tagged]\naggregate_metric_list:\n  - metric: bleu\n',
        'g3.yaml': 'group: g3\ntask: [mc, some_tag]\naggregate_metric_list:\n  - metric: bleu\n',
      }),
      [],
    );
  });
});
