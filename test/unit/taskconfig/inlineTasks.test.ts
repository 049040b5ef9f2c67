// A group's inline tasks (`- task: name` with settings) are checked as tasks, merged as lm-eval merges
// them (template < the group's pushed-down keys < the member's own), and a template reached only
// from one counts as included (issue #14: such templates were never checked).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { validateTaskConfig, validateTaskConfigWorkspace } from '../../../server/src/taskconfig';
import { memoryFs } from './memfs';

const dir = path.resolve('/w/inline');
const at = (name: string) => path.join(dir, name);

describe('inline group tasks', () => {
  it('a .yaml template reached only from an inline task is a template, not a forgotten task', () => {
    const files = [
      { path: at('group.yaml'), text: 'group: g\ntask:\n  - task: a\n    include: _t.yaml\n' },
      { path: at('_t.yaml'), text: 'output_type: generate_until\ndoc_to_text: q\n' },
    ];
    const out = validateTaskConfigWorkspace(files, { fs: memoryFs({}, undefined) });
    assert.deepEqual(
      out.get(at('_t.yaml'))?.map((f) => f.code),
      [],
    );
  });

  it('merges the template, then the group, then the member', () => {
    const check = (group: string, template: string) => {
      const fs = memoryFs({ [at('_t_yaml')]: template }, undefined);
      return validateTaskConfig(at('g.yaml'), group, { fs })
        .filter((f) => f.code === 'generation-kwargs-ignored' && !f.message.startsWith('The included'))
        .map((f) => f.file ?? 'group');
    };
    const tmpl = 'output_type: multiple_choice\ngeneration_kwargs:\n  until: ["\\n"]\n';
    // The template's multiple_choice with its generation_kwargs: reported in the template.
    assert.deepEqual(check('group: g\ntask:\n  - task: a\n    include: _t_yaml\n', tmpl), [at('_t_yaml')]);
    // The member makes it a generate task: nothing to report.
    assert.deepEqual(
      check('group: g\ntask:\n  - task: a\n    include: _t_yaml\n    output_type: generate_until\n', tmpl),
      [],
    );
    // The group pushes generate_until down, and the member's own key wins over the group's.
    assert.deepEqual(
      check('group: g\noutput_type: generate_until\ntask:\n  - task: a\n    include: _t_yaml\n', tmpl),
      [],
    );
    assert.deepEqual(
      check(
        'group: g\noutput_type: generate_until\ntask:\n  - task: a\n    include: _t_yaml\n    output_type: loglikelihood\n',
        tmpl,
      ),
      [at('_t_yaml')],
    );
  });

  it('reports a key the group pushes down once, in the group, not once per member', () => {
    const text = 'group: g\nfoo: 1\ntask:\n  - task: a\n    dataset_path: x\n  - task: b\n    dataset_path: y\n';
    const found = validateTaskConfig(at('g.yaml'), text, { fs: memoryFs({}, undefined) }).filter(
      (f) => f.code === 'unknown-key',
    );
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'warning');
  });

  it('asks an inline task for nothing it does not write', () => {
    const text = 'group: g\ntask:\n  - task: arc_easy\n    num_fewshot: 0\n';
    assert.deepEqual(validateTaskConfig(at('g.yaml'), text, { fs: memoryFs({}, undefined) }), []);
  });
});
