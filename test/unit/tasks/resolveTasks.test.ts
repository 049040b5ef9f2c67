import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture } from '../../helpers/paths';
import {
  builtinTaskIndex,
  decodeIndex,
  encodeIndex,
  findLmEvalTasksDir,
  fnmatchToRegExp,
  resolveTasks,
} from '../../../server/src/tasks';
import { memoryFs } from '../taskconfig/memfs';

const noFs = memoryFs({}, undefined);

test('built-in index: mmlu expands to 57 multiple_choice leaves', () => {
  const r = resolveTasks(['mmlu'], {}, noFs);
  assert.equal(r.tasks.length, 57);
  assert.ok(r.tasks.every((t) => t.outputType === 'multiple_choice' && t.source === 'builtin'));
  assert.deepEqual(r.unknown, []);
});

test('built-in index: gsm8k is generate_until; explicit max_gen_toks are kept', () => {
  const [gsm] = resolveTasks(['gsm8k'], {}, noFs).tasks;
  assert.equal(gsm.outputType, 'generate_until');
  assert.equal(gsm.maxGenToks, undefined, 'gsm8k.yaml sets no max_gen_toks: the model default (256) applies');
  const pro = resolveTasks(['mmlu_pro'], {}, noFs).tasks;
  assert.ok(pro.length > 10 && pro.every((t) => t.outputType === 'generate_until' && t.maxGenToks === 2048));
});

test('leaderboard mixes multiple_choice and generate_until', () => {
  const r = resolveTasks(['leaderboard'], {}, noFs);
  const types = new Set(r.tasks.map((t) => t.outputType));
  assert.ok(types.has('multiple_choice') && types.has('generate_until'));
  assert.ok(r.tasks.some((t) => t.maxGenToks !== undefined));
});

test('tags, globs and unknown names', () => {
  assert.deepEqual(
    resolveTasks(['ai2_arc'], {}, noFs)
      .tasks.map((t) => t.name)
      .sort(),
    ['arc_challenge', 'arc_easy'],
  );
  const glob = resolveTasks(['arc_*'], {}, noFs);
  assert.ok(glob.tasks.some((t) => t.name === 'arc_easy'));
  assert.deepEqual(resolveTasks(['no_such_task'], {}, noFs).unknown, ['no_such_task']);
  assert.ok(fnmatchToRegExp('mmlu_[!a]*').test('mmlu_biology'));
  assert.ok(!fnmatchToRegExp('mmlu_[!a]*').test('mmlu_anatomy'));
});

test('include paths and YAML paths override the built-ins', () => {
  const dir = fixture('taskconfig', 'virtual-include');
  const fs = memoryFs(
    {
      [path.join(dir, 'my.yaml')]: 'task: gsm8k\noutput_type: multiple_choice\n',
      [path.join(dir, 'mine.yaml')]: 'task: mine\ngeneration_kwargs:\n  max_new_tokens: 77\n',
    },
    undefined,
  );
  const r = resolveTasks(['gsm8k', path.join(dir, 'mine.yaml')], { includePaths: [dir] }, fs);
  assert.deepEqual(
    r.tasks.map((t) => [t.name, t.outputType, t.maxGenToks, t.source]),
    [
      ['gsm8k', 'multiple_choice', undefined, 'include-path'],
      ['mine', 'generate_until', 77, 'workspace'],
    ],
  );
});

test('index encoding round-trips', () => {
  const idx = builtinTaskIndex();
  const back = decodeIndex(encodeIndex(idx, 'x'));
  assert.equal(back.tasks.size, idx.tasks.size);
  assert.deepEqual(back.groups.get('mmlu'), idx.groups.get('mmlu'));
  assert.deepEqual(back.tasks.get('arc_easy'), idx.tasks.get('arc_easy'));
});

test('findLmEvalTasksDir: virtualenv site-packages and editable installs, never Python', () => {
  const venv = '/home/u/proj/.venv';
  const site = path.join(venv, 'lib', 'python3.11', 'site-packages');
  const fs = memoryFs({ [path.join(site, 'lm_eval', 'tasks', 'arc', 'arc_easy.yaml')]: 'task: arc_easy\n' }, undefined);
  assert.equal(findLmEvalTasksDir({ VIRTUAL_ENV: venv }, fs), path.join(site, 'lm_eval', 'tasks'));
  const fs2 = memoryFs(
    {
      [path.join(site, '__editable__.lm_eval-0.4.9.pth')]: '/src/lm-evaluation-harness\n',
      '/src/lm-evaluation-harness/lm_eval/tasks/x.yaml': 'task: x\n',
    },
    undefined,
  );
  assert.equal(findLmEvalTasksDir({ VIRTUAL_ENV: venv }, fs2), '/src/lm-evaluation-harness/lm_eval/tasks');
  assert.equal(findLmEvalTasksDir({}, memoryFs({}, undefined)), undefined);
});
