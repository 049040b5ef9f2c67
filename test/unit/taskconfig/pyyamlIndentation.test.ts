// YAML that PyYAML (lm-eval's loader) reads although YAML 1.2 rejects it, and YAML that PyYAML rejects.
// PyYAML ignores indentation inside brackets and in quoted scalars' continuation lines; only a document
// marker at column 0 still ends the document there. Every expected value below is what PyYAML 6
// (yaml.CSafeLoader and the pure-Python FullLoader alike) returns for the same text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTaskYaml, toPlain } from '../../../server/src/taskconfig/yamlTree';
import { repairPyyamlIndentation } from '../../../server/src/taskconfig/pyyamlRepair';

const FILE = '/tasks/t.yaml';

function load(text: string) {
  const parsed = parseTaskYaml(FILE, text);
  const errors = parsed.findings.filter((f) => f.severity === 'error');
  const warnings = parsed.findings.filter((f) => f.severity === 'warning');
  const value = parsed.root ? toPlain(parsed.root, { left: 10_000 }) : undefined;
  return { parsed, errors, warnings, value };
}

function assertLoads(text: string, expected: unknown, warningsWanted = 1): void {
  const { parsed, errors, warnings, value } = load(text);
  assert.deepEqual(errors, [], 'PyYAML loads it: no error');
  assert.equal(parsed.fatal, false);
  assert.deepEqual(value, expected);
  assert.equal(warnings.length, warningsWanted, warnings.map((w) => w.message).join('\n'));
  for (const w of warnings) assert.match(w.message, /PyYAML \(and so lm-eval\)/);
}

function assertRejected(text: string, fragment: RegExp): void {
  const { parsed, errors } = load(text);
  assert.ok(errors.length > 0, 'PyYAML rejects it: an error');
  assert.ok(
    errors.some((e) => fragment.test(e.message)),
    errors.map((e) => e.message).join('\n'),
  );
  assert.ok(errors.every((e) => e.code === 'yaml-syntax'));
  void parsed;
}

test('a flow list whose items and closing bracket sit at the key column loads (QA D2, repro flow2/t.yaml)', () => {
  const text = [
    'task: flow_demo2',
    'generation_kwargs:',
    '  until: [',
    '  "\\n\\n",',
    '  "Question:"',
    '  ]',
    '  do_sample: false',
    'metric_list:',
    '  - metric: exact_match',
    '',
  ].join('\n');
  assertLoads(text, {
    task: 'flow_demo2',
    generation_kwargs: { until: ['\n\n', 'Question:'], do_sample: false },
    metric_list: [{ metric: 'exact_match' }],
  });
  const { warnings } = load(text);
  assert.equal(text.slice(warnings[0].range.start, warnings[0].range.end), '  "\\n\\n",', 'on the first low line');
});

test('a closing bracket at column 0 loads, for lists and mappings (lmms-eval tempcompass template)', () => {
  assertLoads('generation_kwargs:\n  until: [\n    "\\n\\n",\n    "Question:"\n]\n  do_sample: false\n', {
    generation_kwargs: { until: ['\n\n', 'Question:'], do_sample: false },
  });
  assertLoads(
    'lmms_eval_specific_kwargs:\n  default:\n    pre_prompt: ""\n    post_prompt: {\n    "yes_no": "\\nPlease answer yes or no:",\n    "captioning": ""\n}\n  plm:\n    pre_prompt: ""\n',
    {
      lmms_eval_specific_kwargs: {
        default: { pre_prompt: '', post_prompt: { yes_no: '\nPlease answer yes or no:', captioning: '' } },
        plm: { pre_prompt: '' },
      },
    },
  );
  assertLoads('task: t\ntag: [\na,\nb\n]\n', { task: 't', tag: ['a', 'b'] });
});

test('nested flow collections and multi-line plain scalars inside brackets load', () => {
  assertLoads('a:\n  b:\n    c: {\nx: [1,\n2, {y: [\n3]}],\nz: plain\nwords here\n}\n    d: 1\n', {
    a: { b: { c: { x: [1, 2, { y: [3] }], z: 'plain words here' }, d: 1 } },
  });
  assertLoads('k:\n  v: [first\nline, second]\n', { k: { v: ['first line', 'second'] } });
  assertLoads('k:\n  v: [\n"multi\nline"]\n', { k: { v: ['multi line'] } });
});

test('multi-line flow collections inside a block sequence load, one warning per collection', () => {
  const text = [
    'metric_list:',
    '  - metric: exact_match',
    '    kwargs: {',
    '  ignore_case: true,',
    '  regexes_to_ignore: [',
    '",",',
    '"\\\\$"',
    ']',
    '}',
    '  - [a,',
    'b]',
    '  - c',
    '',
  ].join('\n');
  assertLoads(
    text,
    {
      metric_list: [
        { metric: 'exact_match', kwargs: { ignore_case: true, regexes_to_ignore: [',', '\\$'] } },
        ['a', 'b'],
        'c',
      ],
    },
    2,
  );
});

test('a quoted string continued at a low column still loads with its warning', () => {
  assertLoads('g:\n  prefix: "Question: {{question}}\n\\nAnswer:"\n', {
    g: { prefix: 'Question: {{question}} \nAnswer:' },
  });
});

test('a bracket or quote that opens a plain scalar continuation line is text, not a collection', () => {
  // PyYAML reads `dev [y,` and `multiple_choice "q` as one plain scalar each; the low quoted line
  // below still needs the re-indented copy.
  assertLoads('fewshot_split: dev\n    [y,\ntask: t\ndoc_to_text: "a\nb"\n', {
    fewshot_split: 'dev [y,',
    task: 't',
    doc_to_text: 'a b',
  });
  assertLoads('output_type: multiple_choice\n  "q\ntask: t\nchoices: [\n"A"]\n', {
    output_type: 'multiple_choice "q',
    task: 't',
    choices: ['A'],
  });
});

test('what PyYAML rejects stays an error', () => {
  // Unclosed: PyYAML reads to the end of the file inside the brackets.
  assertRejected('k:\n  v: [a,\nb\nw: 1\n', /Flow sequence/);
  // A document marker at column 0 ends the document inside brackets and quotes too.
  assertRejected('k:\n  v: [a,\n---\n]\n', /./);
  assertRejected('k:\n  v: ["a\n...\nb"]\n', /./);
  assertRejected('g:\n  p: "a\n---\nb"\n', /./);
  // Block sequence entries are not allowed inside brackets.
  assertRejected('k: [\n- a\n]\n', /./);
  // After the bracket closes, block indentation counts again.
  assertRejected('k:\n  v: [a,\nb]\n w: 1\n', /./);
  assertRejected('a:\n  b: [1,\n] c\n', /./);
});

test('a key that does not end on its line, or a missing key, is an error (PyYAML simple keys)', () => {
  assertRejected('a:\n  b: {c\n: 1}\n', /does not end on the line it starts on/);
  assertRejected('a: {c\n  d: 1}\n', /does not end on the line it starts on/);
  assertRejected('a: {"c"  # x\n  : 1}\n', /does not end on the line it starts on/);
  assertRejected('tag: x\ninclude\n    : _template_yaml\ntask: t\n', /does not end on the line it starts on/);
  assertRejected('"tag": "x"\n"include"\n    : "_m"\n"task": "t"\n', /does not end on the line it starts on/);
  assertRejected('metadata:\n  version\n    : 2.0\n', /with no key before it/);
  assertRejected('metadata:\n  version: 1\n: 2\n', /with no key before it/);
  assertRejected('a: {x: 1, : 2}\n', /with no key before it/);
  // Explicit keys and values on the next line are fine.
  assertLoads('a: {? c\n  : 1}\n', { a: { c: 1 } }, 0);
  assertLoads('a: {c:\n    1}\n', { a: { c: 1 } }, 0);
  assertLoads('? \n: 2\n', { None: 2 }, 0);
});

test('the re-indented copy only adds spaces at line starts inside brackets or quotes', () => {
  const text = 'a:\n  b: [1,\n2,\n   3]\n  c: "x\ny"\n';
  const repair = repairPyyamlIndentation(text);
  assert.ok(repair);
  assert.equal(repair.text.replace(/ /g, ''), text.replace(/ /g, ''));
  assert.deepEqual(
    repair.insertions.map((i) => text.slice(i.at, text.indexOf('\n', i.at))),
    ['2,', 'y"'],
    'the 3] line is already past the key',
  );
  assert.deepEqual(
    repair.sites.map((s) => s.kind),
    ['flow', 'quoted'],
  );
  assert.equal(repairPyyamlIndentation('a:\n  b: [1, 2]\n'), undefined);
});

test('a plain scalar on its own line goes on at any column past its collection (PyYAML scan_plain)', () => {
  // `value` belongs to the mapping at column 0, so ` [x,` (column 1) continues it, and `other: 1]` is
  // the next key; the low quoted line further down is what needs the re-indented copy.
  assertLoads('key:\n  value\n [x,\nother: 1]\nq:\n  p: "a\nb"\n', {
    key: 'value [x,',
    other: '1]',
    q: { p: 'a b' },
  });
});
