// Registrations read from a config's Python as text (lm_eval/api/registry.py's forms), the modules
// they pull in, and a vendored lm-eval found beside the project's task folders.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readRegistrations, registrationsInSource } from '../../../server/src/taskconfig/pythonRegistrations';
import { configRegistrations, findHarnessCheckout } from '../../../server/src/taskconfig/registrations';
import { harnessRules } from '../../../server/src/taskconfig/harnessVersion';
import { parseTaskYaml } from '../../../server/src/taskconfig/yamlTree';
import { memoryFs } from './memfs';

const names = (s: string) => {
  const r = registrationsInSource(s);
  return { filter: [...r.filter], metric: [...r.metric], aggregation: [...r.aggregation], unknown: r.unknownName };
};

describe('registrationsInSource', () => {
  it('reads decorators and calls in the forms lm-eval accepts', () => {
    const src = [
      'from lm_eval.api.registry import register_filter, register_metric',
      '@register_filter("strip")',
      'class Strip: ...',
      "@registry.register_filter(name='upper_k')",
      'class U: ...',
      '@register_metric(',
      '    metric="my_f1",  # the name',
      '    higher_is_better=True,',
      '    aggregation="mean",',
      ')',
      'def f1(items): ...',
      "register_aggregation('trimmed')(trimmed_mean)",
      'metric_registry.register("alias_a", "alias_b")(fn)',
      'FILTER_REGISTRY["legacy"] = LegacyFilter',
      '# @register_filter("commented")',
      'def register_filter(name):',
      '    pass',
    ].join('\n');
    assert.deepEqual(names(src), {
      filter: ['strip', 'upper_k', 'legacy'],
      metric: ['my_f1', 'alias_a', 'alias_b'],
      aggregation: ['trimmed'],
      unknown: false,
    });
  });

  it('marks a name it cannot read as unknown', () => {
    assert.equal(names('for n in NAMES:\n    register_filter(n)(make(n))\n').unknown, true);
    assert.equal(names('@register_filter(f"{PREFIX}_x")\nclass X: ...\n').unknown, true);
    assert.equal(names('@register_metric(higher_is_better=True)\ndef x(): ...\n').unknown, true);
  });

  it('lists the modules a module imports by name', () => {
    const r = registrationsInSource(
      'import re, helpers\nfrom .filters import X\nfrom . import metrics as m\nfrom lm_eval.api import registry\n',
    );
    assert.deepEqual(r.imports, ['.filters', '.metrics', 're', 'helpers']);
  });
});

describe('readRegistrations', () => {
  const dir = path.resolve('/w/task');
  const fs = memoryFs(
    {
      [path.join(dir, 'utils.py')]: 'from .filters import *\nimport helpers\n',
      [path.join(dir, 'filters.py')]: '@register_filter("deep")\nclass D: ...\n',
      [path.join(dir, 'helpers.py')]: 'register_aggregation("via_helpers")(f)\n',
      [path.join(dir, 'broken.py')]: 'from .missing_module import thing\n',
    },
    undefined,
  );

  it('follows sibling imports', () => {
    const r = readRegistrations(fs, [path.join(dir, 'utils.py')], [], undefined);
    assert.equal(r.has('filter', 'deep'), true);
    assert.equal(r.has('aggregation', 'via_helpers'), true);
    assert.equal(r.has('filter', 'other'), false);
    assert.equal(r.unknown, undefined);
  });

  it('says names are unknown when a module cannot be read', () => {
    assert.match(readRegistrations(fs, [path.join(dir, 'broken.py')], [], undefined).unknown ?? '', /missing_module/);
    assert.match(readRegistrations(fs, [], [path.join(dir, 'gone.py')], undefined).unknown ?? '', /gone\.py/);
  });
});

describe('configRegistrations', () => {
  const repo = path.resolve('/w/repo');
  const files = {
    [path.join(repo, '.git', 'HEAD')]: 'ref: refs/heads/main\n',
    [path.join(repo, 'third_party', 'lm-evaluation-harness', 'lm_eval', '__init__.py')]: '',
    [path.join(repo, 'third_party', 'lm-evaluation-harness', 'lm_eval', 'filters', 'mine.py')]:
      '@register_filter("fork_filter")\nclass F: ...\n',
    [path.join(repo, 'third_party', 'lm-evaluation-harness', 'lm_eval', 'api', 'registry.py')]:
      'def register_filter(name):\n    filter_registry.register(name)\n',
    [path.join(repo, 'tasks', 'mine', 'mine.yaml')]: 'include: _base_yaml\ntask: mine\n',
    [path.join(repo, 'tasks', 'mine', '_base_yaml')]: 'process_docs: !function utils.process_docs\n',
    [path.join(repo, 'tasks', 'mine', 'utils.py')]: '@register_metric(metric="mine_score")\ndef s(): ...\n',
  };
  const fs = memoryFs(files, undefined);

  it('finds a vendored lm-eval beside the tasks, up to the repository root', () => {
    assert.equal(
      findHarnessCheckout(fs, path.join(repo, 'tasks', 'mine', 'mine.yaml')),
      path.join(repo, 'third_party', 'lm-evaluation-harness'),
    );
    assert.equal(findHarnessCheckout(memoryFs({}, undefined), path.join(repo, 'tasks', 'x.yaml')), undefined);
  });

  it("reads the include tree's !function modules and the fork's filters", () => {
    const yaml = path.join(repo, 'tasks', 'mine', 'mine.yaml');
    const r = configRegistrations(
      fs,
      yaml,
      [path.join(repo, 'tasks', 'mine', '_base_yaml')],
      parseTaskYaml(yaml, files[yaml]).root,
      harnessRules(undefined),
    );
    assert.equal(r.has('metric', 'mine_score'), true, "from the template's !function module");
    assert.equal(r.has('filter', 'fork_filter'), true, 'from the vendored lm-eval');
    assert.equal(r.unknown, undefined, 'registry.py is not read as registrations');
    assert.deepEqual(r.modules, [path.join(repo, 'tasks', 'mine', 'utils.py')]);
  });
});
