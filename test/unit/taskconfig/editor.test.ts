// Completion, hover, definition and links on fixture configs, with `|` carets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { caret } from '../../helpers/caret';
import { fixture } from '../../helpers/paths';
import {
  completeTaskConfig,
  definitionTaskConfig,
  documentLinksTaskConfig,
  hoverTaskConfig,
} from '../../../server/src/taskconfig';
import { memoryFs } from './memfs';

const HS = fixture('taskconfig', 'hellaswag', 'hellaswag.yaml');
const ctx = { fs: memoryFs() };

test('completion: top-level keys with docs, minus those present', () => {
  const { text, offset } = caret('task: x\ndoc_to_t|\n');
  const items = completeTaskConfig(HS, text, offset, ctx);
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('doc_to_text'));
  assert.ok(!labels.includes('task'));
  const doc = items.find((i) => i.label === 'doc_to_text')!.documentation as { value: string };
  assert.match(doc.value, /Jinja2/);
});

test('completion: enum values by position', () => {
  const at = (s: string) => {
    const { text, offset } = caret(s);
    return completeTaskConfig(HS, text, offset, ctx).map((i) => i.label);
  };
  assert.deepEqual(at('task: x\noutput_type: |\n'), [
    'loglikelihood',
    'loglikelihood_rolling',
    'multiple_choice',
    'generate_until',
  ]);
  assert.deepEqual(at('fewshot_config:\n  sampler: |\n'), ['default', 'first_n']);
  assert.ok(at('metric_list:\n  - metric: |\n').includes('acc_norm'));
  assert.ok(at('metric_list:\n  - metric: acc\n    aggregation: |\n').includes('mean'));
  assert.ok(at('filter_list:\n  - name: x\n    filter:\n      - function: |\n').includes('take_first_k'));
  assert.ok(at('metric_list:\n  - metric: acc\n    high|\n').includes('higher_is_better'));
  assert.ok(at('generation_kwargs:\n  max|\n').includes('max_gen_toks'));
  assert.ok(at('task: x\ninclude: |\n').includes('utils.py') === false, 'only YAML files and templates are offered');
});

test('completion: include offers sibling templates', () => {
  const { text, offset } = caret('include: |\ntask: x\n');
  const labels = completeTaskConfig(fixture('taskconfig', 'mmlu', 'x.yaml'), text, offset, ctx).map((i) => i.label);
  assert.ok(labels.includes('_default_template_yaml'));
  assert.ok(labels.includes('mmlu_anatomy.yaml'));
});

test('hover: keys, values, functions and includes', () => {
  const hover = (s: string, file = HS) => {
    const { text, offset } = caret(s);
    const h = hoverTaskConfig(file, text, offset, ctx);
    return h ? (h.contents as { value: string }).value : undefined;
  };
  assert.match(hover('task: x\nnum_few|shot: 5\n')!, /--num_fewshot/);
  assert.match(hover('task: x\noutput_type: multiple_ch|oice\n')!, /doc_to_choice/);
  assert.match(hover('metric_list:\n  - metric: acc_n|orm\n')!, /aggregation `mean`/);
  assert.match(hover('metric_list:\n  - metric: acc\n    higher_is_b|etter: true\n')!, /Direction/);
  assert.match(hover('process_docs: !function utils.process|_docs\n')!, /utils\.py/);
  assert.match(
    hover('include: _default_template|_yaml\n', fixture('taskconfig', 'mmlu', 'x.yaml'))!,
    /_default_template_yaml/,
  );
  assert.equal(hover('task: x\nmy_custom|_key: 1\n'), undefined);
});

test('definition: include → file, !function → def line', () => {
  const { text, offset } = caret('process_docs: !function utils.process|_docs\n');
  const [loc] = definitionTaskConfig(HS, text, offset, ctx);
  assert.equal(loc.uri, pathToFileURL(fixture('taskconfig', 'hellaswag', 'utils.py')).toString());
  assert.equal(loc.range.start.line, 9, 'the `def process_docs` line (0-based)');
  const inc = caret('include: _default_template|_yaml\ntask: x\n');
  const [l2] = definitionTaskConfig(fixture('taskconfig', 'mmlu', 'x.yaml'), inc.text, inc.offset, ctx);
  assert.equal(l2.uri, pathToFileURL(fixture('taskconfig', 'mmlu', '_default_template_yaml')).toString());
  const none = caret('include: nowh|ere_yaml\n');
  assert.deepEqual(definitionTaskConfig(HS, none.text, none.offset, ctx), []);
});

test('document links for include and !function', () => {
  const text =
    'include: ../mmlu/_default_template_yaml\ntask: x\nprocess_docs: !function utils.process_docs\ndoc_to_text: !function nope.f\n';
  const links = documentLinksTaskConfig(HS, text, ctx);
  assert.equal(links.length, 2);
  assert.ok(links[0].target!.endsWith('_default_template_yaml'));
  assert.ok(links[1].target!.endsWith('utils.py#L10'));
});
