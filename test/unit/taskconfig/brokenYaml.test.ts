// Hover, go to definition and completion while a task config is half-typed: the `yaml` library's
// tree survives syntax errors, and the editor features read it (validation still needs a clean parse).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  completeTaskConfig,
  definitionTaskConfig,
  hoverTaskConfig,
  parseTaskYaml,
} from '../../../server/src/taskconfig';
import { caret } from '../../helpers/caret';
import { fixture } from '../../helpers/paths';
import { memoryFs } from './memfs';

const HS = fixture('taskconfig', 'hellaswag', 'hellaswag.yaml');
const full = fs.readFileSync(HS, 'utf8');

test('hover answers in every state of typing the file, syntax errors or not', () => {
  const onTask = full.indexOf('task: hellaswag') + 1;
  const onDatasetPath = full.indexOf('dataset_path') + 3;
  let broken = 0;
  for (let i = 1; i <= 200; i++) {
    const typed = full.slice(0, Math.round((full.length * i) / 200));
    if (parseTaskYaml(HS, typed).fatal) broken++;
    // A fresh file name per state: nothing cached from a complete parse.
    const file = path.join(path.dirname(HS), `typing-${i}.yaml`);
    const ctx = { fs: memoryFs() };
    if (typed.length > onTask + 4) {
      const h = hoverTaskConfig(file, typed, onTask, ctx);
      assert.match((h?.contents as { value: string } | undefined)?.value ?? '', /\*\*task\*\*/, `state ${i}`);
    }
    if (/dataset_path:/.test(typed)) assert.ok(hoverTaskConfig(file, typed, onDatasetPath, ctx), `state ${i}`);
  }
  assert.ok(broken > 20, `${broken} of the 200 states do not parse: the test covers broken YAML`);
});

test('hover and go to definition before and after a line being typed in the middle', () => {
  const dir = '/proj/tasks/mine';
  const file = path.join(dir, 'mine.yaml');
  const fsys = memoryFs({ [path.join(dir, '_template_yaml')]: 'dataset_path: x\noutput_type: multiple_choice\n' });
  const { text, offset } = caret(
    'include: _templ|ate_yaml\ntask: mine\ndoc_to_text: "{{question\noutput_type: multiple_choice\n',
  );
  assert.ok(parseTaskYaml(file, text).fatal, 'the unterminated quote breaks the file');
  const def = definitionTaskConfig(file, text, offset, { fs: fsys });
  assert.equal(def[0]?.uri, `file://${path.join(dir, '_template_yaml')}`);
  const hover = hoverTaskConfig(file, text, text.indexOf('task:') + 1, { fs: fsys });
  assert.match((hover?.contents as { value: string } | undefined)?.value ?? '', /\*\*task\*\*/);

  // A broken key line after a complete one.
  const half = 'task: mine\noutput_type: multiple_choice\nmetric_list:\n  - metric: acc\n    aggregation: [mean\n';
  assert.ok(parseTaskYaml(file, half).fatal);
  const metric = hoverTaskConfig(file, half, half.indexOf('acc') + 1, { fs: fsys });
  assert.match((metric?.contents as { value: string } | undefined)?.value ?? '', /aggregation `mean`/);
});

test('completion offers values in a file that does not parse', () => {
  const { text, offset } = caret('task: x\ndoc_to_text: "{{q\noutput_type: |\n');
  assert.ok(parseTaskYaml(HS, text).fatal);
  const labels = completeTaskConfig(HS, text, offset, { fs: memoryFs() }).map((i) => i.label);
  assert.ok(labels.includes('multiple_choice'), labels.join(', '));
});

test('one YAML mistake is one yaml-syntax finding, however many ways the parser reports it', () => {
  for (const text of [
    'task: x\ndataset_path: y\n  doc_to_text: a\n',
    'dataset_path: y\n  doc_to_text: a\n',
    `task: x\ndataset_path: y\n  doc_to_text: ${'a'.repeat(1100)}\n`,
  ]) {
    const found = parseTaskYaml('/p/t.yaml', text).findings.filter((f) => f.code === 'yaml-syntax');
    assert.equal(found.length, 1, found.map((f) => f.message).join('\n'));
    assert.match(found[0].message, /^YAML syntax error: /);
  }
  // Mistakes on two lines are two findings.
  const two = parseTaskYaml('/p/t.yaml', 'a: b: c\nd: e\nf: g: h\n').findings.filter((f) => f.code === 'yaml-syntax');
  assert.deepEqual(
    two.map((f) => f.range.start),
    [3, 16],
  );
});
