import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyYamlDocument } from '../../../server/src/taskconfig';

const c = (path: string, text: string, globs?: string[]) => classifyYamlDocument(path, text, { globs });

test('lm-eval task, group and template files are task configs', () => {
  assert.equal(c('/w/arc.yaml', 'task: arc\ndataset_path: x\noutput_type: multiple_choice\n'), 'task-config');
  assert.equal(c('/w/_g.yaml', 'group: g\ntask:\n  - a\n  - b\n'), 'task-config');
  assert.equal(
    c('/w/arc_challenge.yaml', 'include: arc_easy.yaml\ntask: arc_challenge\ndataset_name: ARC-Challenge\n'),
    'task-config',
  );
  assert.equal(
    c('/w/_default_template_yaml', 'dataset_path: cais/mmlu\ntest_split: test\ndoc_to_text: q\n'),
    'task-config',
  );
  assert.equal(c('/w/sq.yaml', 'task: squadv2\nclass: !function task.SQuAD2\n'), 'task-config');
  assert.equal(c('/repo/tasks/mine.yaml', 'task: mine\n'), 'task-config');
  assert.equal(c('/w/anything.yaml', 'foo: 1\n', ['**/anything.yaml']), 'task-config');
});

test('other YAML files are not', () => {
  assert.equal(
    c('/w/.github/workflows/ci.yml', 'name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n'),
    'other',
  );
  assert.equal(c('/w/k8s.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n'), 'other');
  assert.equal(c('/w/docker-compose.yaml', 'services:\n  web:\n    image: x\n'), 'other');
  assert.equal(c('/w/conf/config.yaml', 'defaults:\n  - model: llama\ntask: train\n'), 'other');
  assert.equal(c('/w/run.yaml', 'model: vllm\nmodel_args: pretrained=x\ntasks: [gsm8k]\nbatch_size: auto\n'), 'other');
  assert.equal(c('/w/ansible.yaml', '- hosts: all\n  tasks:\n    - name: x\n'), 'other');
  assert.equal(c('/w/notes.yaml', 'task: write docs\n'), 'other');
  // A key no lm-eval config has outweighs lm-eval-looking ones (#14: a Hydra config got 7 errors).
  const hydra = 'defaults:\n  - _self_\ntask: summarization\nmetric_list:\n  - rouge\n';
  assert.equal(c('/w/conf/config.yaml', hydra), 'other');
  assert.equal(
    c('/w/conf/eval.yaml', `${hydra}dataset_path: x\ndoc_to_text: q\ndoc_to_target: a\noutput_type: generate_until\n`),
    'other',
  );
  assert.equal(c('/w/deploy.yaml', 'apiVersion: v1\nkind: Job\ntask: x\ndataset_path: y\n'), 'other');
});

test('where lm-eval looks for tasks, a foreign key is a mistake in a task config', () => {
  const hydra = 'defaults:\n  - _self_\ntask: summarization\nmetric_list:\n  - rouge\n';
  assert.equal(c('/w/lm_eval/tasks/summ/summ.yaml', hydra), 'task-config');
  assert.equal(c('/w/my_tasks/summ.yaml', hydra), 'other');
  assert.equal(c('/w/conf/config.yaml', hydra, ['conf/**']), 'task-config');
  // A top-level `version` (a common slip for metadata.version) does not hide a task config.
  assert.equal(c('/w/mine.yaml', 'task: mine\ndataset_path: x\nversion: 1\n'), 'task-config');
});
