// Seeded mistakes in copies of real lm-eval configs (test/fixtures/taskconfig): every task-config
// code at least three times, asserting code, severity and line (and the file, for included files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixture, readFixture } from '../../helpers/paths';
import { validateTaskConfig, validateTaskConfigWorkspace } from '../../../server/src/taskconfig';
import type { DiagnosticCode } from '../../../server/src/shared/codes';
import type { Severity } from '../../../server/src/shared/findings';
import { describe, lineOf, memoryFs } from './memfs';

interface Case {
  name: string;
  /** Fixture path of the checked file (its mutated text, or new text when it does not exist). */
  file: string;
  edit?: (text: string) => string;
  /** Extra in-memory files, by fixture-relative path. */
  extra?: Record<string, string>;
  harness?: string;
  builtinNames?: string[];
  workspaceNames?: Record<string, string>;
  code: DiagnosticCode;
  severity: Severity;
  line: number;
  /** Fixture-relative path of the file the finding is in, when not the checked file. */
  inFile?: string;
}

function sub(a: string, b: string): (t: string) => string {
  return (t) => {
    if (!t.includes(a)) throw new Error(`fixture does not contain ${JSON.stringify(a)}`);
    return t.replace(a, b);
  };
}
const append = (s: string) => (t: string) => t + s;

function baseText(rel: string): string {
  try {
    return readFixture('taskconfig', rel);
  } catch {
    return '';
  }
}

const ARC = 'arc/arc_easy.yaml';
const GSM = 'gsm8k/gsm8k.yaml';
const HS = 'hellaswag/hellaswag.yaml';
const MMLU = 'mmlu/mmlu_anatomy.yaml';
const TEMPLATE = 'mmlu/_default_template_yaml';

const cases: Case[] = [
  // yaml-syntax
  {
    name: 'unclosed flow sequence',
    file: ARC,
    edit: sub('tag:\n  - ai2_arc', 'tag: [ai2_arc'),
    code: 'yaml-syntax',
    severity: 'error',
    line: 2,
  },
  {
    name: 'tab-indented key',
    file: GSM,
    edit: sub('  do_sample: false', '\tdo_sample: false'),
    code: 'yaml-syntax',
    severity: 'error',
    line: 28,
  },
  {
    name: 'unknown tag',
    file: HS,
    edit: sub('!function utils.process_docs', '!include utils.process_docs'),
    code: 'yaml-syntax',
    severity: 'error',
    line: 10,
  },
  {
    name: 'PyYAML-only under-indented quoted string',
    file: ARC,
    edit: sub('doc_to_text: "Question: {{question}}\\nAnswer:"', 'doc_to_text: "Question: {{question}}\n\\nAnswer:"'),
    code: 'yaml-syntax',
    severity: 'warning',
    line: 11,
  },
  // duplicate-key
  {
    name: 'duplicate top-level key',
    file: ARC,
    edit: append('output_type: multiple_choice\n'),
    code: 'duplicate-key',
    severity: 'warning',
    line: 6,
  },
  {
    name: 'duplicate nested key',
    file: GSM,
    edit: sub('  do_sample: false', '  do_sample: false\n  do_sample: true'),
    code: 'duplicate-key',
    severity: 'warning',
    line: 28,
  },
  {
    name: 'duplicate key in an included template',
    file: MMLU,
    extra: { [TEMPLATE]: `${baseText(TEMPLATE)}test_split: validation\n` },
    code: 'duplicate-key',
    severity: 'warning',
    line: 2,
    inFile: TEMPLATE,
  },
  // unknown-key
  {
    name: 'doc_to_txt typo',
    file: ARC,
    edit: sub('doc_to_text:', 'doc_to_txt:'),
    code: 'unknown-key',
    severity: 'error',
    line: 10,
  },
  {
    name: 'high_is_better in a metric entry',
    file: HS,
    edit: sub('    higher_is_better: true\n  - metric: acc_norm', '    high_is_better: true\n  - metric: acc_norm'),
    code: 'unknown-key',
    severity: 'warning',
    line: 17,
  },
  {
    name: 'unknown key in a template',
    file: MMLU,
    extra: { [TEMPLATE]: baseText(TEMPLATE).replace('fewshot_split:', 'fewshot_splitt:') },
    code: 'unknown-key',
    severity: 'error',
    line: 3,
    inFile: TEMPLATE,
  },
  {
    name: 'unknown fewshot_config key',
    file: TEMPLATE.replace('_default', 'x_default'),
    extra: {
      'mmlu/x_default_template_yaml': baseText(TEMPLATE).replace(
        '  sampler: first_n',
        '  sampler: first_n\n  sample: []',
      ),
    },
    code: 'unknown-key',
    severity: 'error',
    line: 6,
  },
  // invalid-value
  {
    name: 'bad output_type',
    file: ARC,
    edit: sub('output_type: multiple_choice', 'output_type: multiple_choise'),
    code: 'invalid-value',
    severity: 'error',
    line: 6,
  },
  {
    name: 'num_fewshot as text',
    file: GSM,
    edit: sub('num_fewshot: 5', 'num_fewshot: five'),
    code: 'invalid-value',
    severity: 'error',
    line: 31,
  },
  {
    name: 'take_first_k above repeats',
    file: GSM,
    edit: sub(
      'filter_list:\n',
      'filter_list:\n  - name: maj\n    filter:\n      - function: take_first_k\n        k: 4\n',
    ),
    code: 'invalid-value',
    severity: 'error',
    line: 36,
  },
  {
    name: '!function without a dot',
    file: HS,
    edit: sub('!function utils.process_docs', '!function process_docs'),
    code: 'invalid-value',
    severity: 'error',
    line: 10,
  },
  // missing-required
  {
    name: 'no split',
    file: ARC,
    edit: sub('validation_split: validation\ntest_split: test\n', ''),
    code: 'missing-required',
    severity: 'error',
    line: 3,
  },
  {
    name: 'multiple_choice without doc_to_choice',
    file: HS,
    edit: sub('doc_to_choice: "choices"\n', ''),
    code: 'missing-required',
    severity: 'error',
    line: 3,
  },
  {
    name: 'metric entry without metric',
    file: HS,
    edit: sub('  - metric: acc_norm\n', '  - hf_evaluate: false\n'),
    code: 'missing-required',
    severity: 'error',
    line: 18,
  },
  {
    name: 'custom filter without filter_fn',
    file: GSM,
    edit: sub('      - function: "take_first"\nmetadata', '      - function: custom\nmetadata'),
    code: 'missing-required',
    severity: 'error',
    line: 43,
  },
  // unknown-metric
  {
    name: 'acc_nrom',
    file: HS,
    edit: sub('metric: acc_norm', 'metric: acc_nrom'),
    code: 'unknown-metric',
    severity: 'warning',
    line: 18,
  },
  {
    name: 'exact_match typo',
    file: GSM,
    edit: sub('metric: exact_match', 'metric: exact_macth'),
    code: 'unknown-metric',
    severity: 'warning',
    line: 13,
  },
  {
    name: 'unknown metric in a template',
    file: MMLU,
    extra: { [TEMPLATE]: baseText(TEMPLATE).replace('metric: acc', 'metric: accuracy') },
    code: 'unknown-metric',
    severity: 'warning',
    line: 11,
    inFile: TEMPLATE,
  },
  // unknown-aggregation
  {
    name: 'avg aggregation',
    file: HS,
    edit: sub(
      '    aggregation: mean\n    higher_is_better: true\n  - metric: acc_norm',
      '    aggregation: avg\n    higher_is_better: true\n  - metric: acc_norm',
    ),
    code: 'unknown-aggregation',
    severity: 'error',
    line: 16,
  },
  {
    name: 'meen aggregation',
    file: GSM,
    edit: sub('aggregation: mean', 'aggregation: meen'),
    code: 'unknown-aggregation',
    severity: 'error',
    line: 14,
  },
  {
    name: 'group aggregation other than mean',
    file: 'mmlu/_group.yaml',
    extra: {
      'mmlu/_group.yaml':
        'group: mmlu_mini\ntask:\n  - mmlu_anatomy\naggregate_metric_list:\n  - metric: acc\n    aggregation: median\n',
    },
    code: 'unknown-aggregation',
    severity: 'error',
    line: 6,
  },
  // unknown-filter
  {
    name: 'regexp filter',
    file: GSM,
    edit: sub('- function: "regex"', '- function: "regexp"'),
    code: 'unknown-filter',
    severity: 'error',
    line: 35,
  },
  {
    name: 'take_frist filter',
    file: GSM,
    edit: sub('- function: "take_first"', '- function: "take_frist"'),
    code: 'unknown-filter',
    severity: 'error',
    line: 37,
  },
  {
    name: 'majority filter',
    file: ARC,
    edit: append('filter_list:\n  - name: vote\n    filter:\n      - function: majority\n'),
    code: 'unknown-filter',
    severity: 'error',
    line: 27,
  },
  // unknown-sampler
  {
    name: 'first-n sampler',
    file: 'mmlu/t_yaml',
    extra: { 'mmlu/t_yaml': baseText(TEMPLATE).replace('sampler: first_n', 'sampler: first-n') },
    code: 'unknown-sampler',
    severity: 'error',
    line: 5,
  },
  {
    name: 'random sampler',
    file: ARC,
    edit: append('fewshot_config:\n  sampler: random\n'),
    code: 'unknown-sampler',
    severity: 'error',
    line: 25,
  },
  {
    name: 'sampler in a template',
    file: MMLU,
    extra: { [TEMPLATE]: baseText(TEMPLATE).replace('sampler: first_n', 'sampler: firstn') },
    code: 'unknown-sampler',
    severity: 'error',
    line: 5,
    inFile: TEMPLATE,
  },
  // include-not-found
  {
    name: 'misspelt template',
    file: MMLU,
    edit: sub('"_default_template_yaml"', '"_default_templat_yaml"'),
    code: 'include-not-found',
    severity: 'error',
    line: 5,
  },
  {
    name: 'missing sibling',
    file: 'arc/arc_challenge.yaml',
    edit: sub('include: arc_easy.yaml', 'include: arc_easyy.yaml'),
    code: 'include-not-found',
    severity: 'error',
    line: 1,
  },
  {
    name: 'missing in a list',
    file: ARC,
    edit: append('include:\n  - ../mmlu/_default_template_yaml\n  - nowhere.yaml\n'),
    code: 'include-not-found',
    severity: 'error',
    line: 26,
  },
  // include-cycle
  {
    name: 'self include',
    file: 'arc/arc_challenge.yaml',
    edit: sub('include: arc_easy.yaml', 'include: arc_challenge.yaml'),
    code: 'include-cycle',
    severity: 'error',
    line: 1,
  },
  {
    name: 'two-file cycle',
    file: 'arc/a.yaml',
    extra: { 'arc/a.yaml': 'include: b_yaml\ntask: a\n', 'arc/b_yaml': 'include: a.yaml\ndataset_path: x\n' },
    code: 'include-cycle',
    severity: 'error',
    line: 1,
    inFile: 'arc/b_yaml',
  },
  {
    name: 'cycle under v0.4.9',
    harness: '0.4.9',
    file: 'arc/c.yaml',
    extra: { 'arc/c.yaml': 'include: c.yaml\ntask: c\n' },
    code: 'include-cycle',
    severity: 'error',
    line: 1,
  },
  // diamond-include
  {
    name: 'diamond',
    file: 'arc/d.yaml',
    extra: {
      'arc/d.yaml': 'include:\n  - b1_yaml\n  - b2_yaml\ntask: d\n',
      'arc/b1_yaml': 'include: base_yaml\n',
      'arc/b2_yaml': 'include: base_yaml\n',
      'arc/base_yaml': 'dataset_path: x\n',
    },
    code: 'diamond-include',
    severity: 'error',
    // On the include list where the two paths part (`- b2_yaml`), not in b2_yaml, which loads fine.
    line: 3,
  },
  {
    name: 'same include twice',
    file: 'arc/e.yaml',
    extra: { 'arc/e.yaml': 'include:\n  - base_yaml\n  - base_yaml\ntask: e\n', 'arc/base_yaml': 'dataset_path: x\n' },
    code: 'diamond-include',
    severity: 'error',
    line: 3,
  },
  {
    name: 'diamond through the checked file',
    file: 'arc/f.yaml',
    extra: {
      'arc/f.yaml': 'include:\n  - b1_yaml\n  - base_yaml\ntask: f\n',
      'arc/b1_yaml': 'include: base_yaml\n',
      'arc/base_yaml': 'dataset_path: x\n',
    },
    code: 'diamond-include',
    severity: 'error',
    line: 3,
  },
  // function-not-found
  {
    name: 'missing attribute',
    file: HS,
    edit: sub('utils.process_docs', 'utils.process_doc'),
    code: 'function-not-found',
    severity: 'error',
    line: 10,
  },
  {
    name: 'missing module file',
    file: HS,
    edit: sub('utils.process_docs', 'helpers.process_docs'),
    code: 'function-not-found',
    severity: 'warning',
    line: 10,
  },
  {
    name: 'missing module under v0.4.9 (no import fallback)',
    harness: '0.4.9',
    file: HS,
    edit: sub('utils.process_docs', 'helpers.process_docs'),
    code: 'function-not-found',
    severity: 'error',
    line: 10,
  },
  {
    name: 'missing filter class',
    file: HS,
    edit: append('filter_list:\n  - name: x\n    filter:\n      - function: !function utils.NoSuchFilter\n'),
    code: 'function-not-found',
    severity: 'error',
    line: 26,
  },
  // duplicate-task-name
  {
    name: 'built-in name',
    file: ARC,
    edit: sub('task: arc_easy', 'task: gsm8k'),
    builtinNames: ['gsm8k'],
    code: 'duplicate-task-name',
    severity: 'warning',
    line: 3,
  },
  {
    name: 'workspace name',
    file: HS,
    workspaceNames: { hellaswag: '/elsewhere/hellaswag.yaml' },
    code: 'duplicate-task-name',
    severity: 'warning',
    line: 3,
  },
  {
    name: 'group named like a task',
    file: 'mmlu/_g.yaml',
    extra: { 'mmlu/_g.yaml': 'group: arc_easy\ntask:\n  - mmlu_anatomy\n' },
    workspaceNames: { arc_easy: fixture('taskconfig', ARC) },
    code: 'duplicate-task-name',
    severity: 'warning',
    line: 1,
  },
  // legacy-group-task
  {
    name: 'group + task (latest)',
    file: ARC,
    edit: sub('tag:\n  - ai2_arc', 'group: ai2_arc'),
    code: 'legacy-group-task',
    severity: 'error',
    line: 1,
  },
  {
    // v0.4.5-v0.4.11: indexed as a task, then TaskConfig rejects `group` (TypeError).
    name: 'group + task (0.4.9)',
    harness: '0.4.9',
    file: ARC,
    edit: sub('tag:\n  - ai2_arc', 'group: ai2_arc'),
    code: 'legacy-group-task',
    severity: 'error',
    line: 1,
  },
  {
    // Before v0.4.5 TaskConfig still had a `group` field: deprecated, works.
    name: 'group + task (0.4.4)',
    harness: '0.4.4',
    file: ARC,
    edit: sub('tag:\n  - ai2_arc', 'group: ai2_arc'),
    code: 'legacy-group-task',
    severity: 'warning',
    line: 1,
  },
  {
    name: 'group + task via directive',
    file: GSM,
    edit: (t) =>
      `# lm-eval-lens: harness=0.4.9\n${sub('tag:\n  - math_word_problems', 'group: math_word_problems')(t)}`,
    code: 'legacy-group-task',
    severity: 'error',
    line: 2,
  },
  // generation-kwargs-ignored
  {
    name: 'generation_kwargs on multiple_choice',
    file: ARC,
    edit: append('generation_kwargs:\n  until: ["\\n"]\n'),
    code: 'generation-kwargs-ignored',
    severity: 'warning',
    line: 24,
  },
  {
    name: 'generation_kwargs on a template-typed task',
    file: MMLU,
    edit: append('generation_kwargs:\n  max_gen_toks: 5\n'),
    code: 'generation-kwargs-ignored',
    severity: 'warning',
    line: 8,
  },
  {
    name: 'generation_kwargs on loglikelihood',
    file: GSM,
    edit: sub('output_type: generate_until', 'output_type: loglikelihood'),
    code: 'generation-kwargs-ignored',
    severity: 'warning',
    line: 23,
  },
  // single-quoted-newline
  {
    name: "until: ['\\n']",
    file: GSM,
    edit: sub('    - "Question:"', "    - '\\n'"),
    code: 'single-quoted-newline',
    severity: 'warning',
    line: 25,
  },
  {
    name: 'until plain \\n',
    file: GSM,
    edit: sub('    - "</s>"', '    - \\n\\n'),
    code: 'single-quoted-newline',
    severity: 'warning',
    line: 26,
  },
  {
    name: 'single-quoted fewshot_delimiter',
    file: ARC,
    edit: append("fewshot_delimiter: '\\n\\n'\n"),
    code: 'single-quoted-newline',
    severity: 'warning',
    line: 24,
  },
  // no-task-or-group
  {
    name: 'task removed',
    file: ARC,
    edit: sub('task: arc_easy\n', ''),
    code: 'no-task-or-group',
    severity: 'warning',
    line: 1,
  },
  {
    name: 'only an include',
    file: 'mmlu/base.yaml',
    extra: { 'mmlu/base.yaml': 'include: _default_template_yaml\ndataset_name: anatomy\n' },
    code: 'no-task-or-group',
    severity: 'warning',
    line: 1,
  },
  {
    name: 'template saved as .yaml',
    file: 'mmlu/tpl.yaml',
    extra: { 'mmlu/tpl.yaml': baseText(TEMPLATE) },
    code: 'no-task-or-group',
    severity: 'warning',
    line: 1,
  },
  // input-limit
  {
    name: 'billion laughs',
    file: 'arc/lol.yaml',
    extra: { 'arc/lol.yaml': billionLaughs() },
    code: 'input-limit',
    severity: 'warning',
    line: 7,
  },
  {
    name: 'deep nesting',
    file: 'arc/deep.yaml',
    extra: { 'arc/deep.yaml': `task: deep\nmetadata: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n` },
    code: 'input-limit',
    severity: 'error',
    line: 2,
  },
  {
    name: 'huge file',
    file: 'arc/huge.yaml',
    extra: { 'arc/huge.yaml': `task: huge\ndescription: "${'x'.repeat(3 * 1024 * 1024)}"\n` },
    code: 'input-limit',
    severity: 'info',
    line: 1,
  },
  {
    name: 'include chain too deep',
    file: 'arc/chain.yaml',
    extra: includeChain(40),
    code: 'input-limit',
    severity: 'warning',
    line: 1,
    inFile: 'arc/chain32_yaml',
  },
];

function billionLaughs(): string {
  const lines = ['task: lol', 'metadata:', '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 9; i++)
    lines.push(
      `  a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

function includeChain(n: number): Record<string, string> {
  const files: Record<string, string> = { 'arc/chain.yaml': 'include: chain1_yaml\ntask: chain\n' };
  for (let i = 1; i < n; i++) files[`arc/chain${i}_yaml`] = `include: chain${i + 1}_yaml\n`;
  files[`arc/chain${n}_yaml`] = 'dataset_path: x\n';
  return files;
}

for (const c of cases) {
  test(`seeded ${c.code}: ${c.name}`, () => {
    const abs = fixture('taskconfig', c.file);
    const extra = Object.fromEntries(Object.entries(c.extra ?? {}).map(([k, v]) => [fixture('taskconfig', k), v]));
    const original = extra[abs] ?? baseText(c.file);
    const text = c.edit ? c.edit(original) : original;
    const fs = memoryFs({ ...extra, [abs]: text });
    const findings = validateTaskConfig(abs, text, {
      fs,
      harnessVersion: c.harness,
      builtinNames: c.builtinNames ? new Set(c.builtinNames) : undefined,
      workspaceNames: c.workspaceNames ? new Map(Object.entries(c.workspaceNames)) : undefined,
    });
    const target = c.inFile ? fixture('taskconfig', c.inFile) : undefined;
    const textOf = (f: string | undefined) => (f ? (fs.readFile(f) ?? '') : text);
    const hit = findings.find(
      (f) =>
        f.code === c.code &&
        f.severity === c.severity &&
        f.file === target &&
        lineOf(textOf(f.file), f.range.start) === c.line,
    );
    assert.ok(
      hit,
      `expected ${c.severity} ${c.code} at ${c.inFile ?? c.file}:${c.line}, got:\n${describe(findings, textOf)}`,
    );
    assert.ok(hit.message.length > 20, 'the message says what to do');
    if (c.inFile) {
      // The checked file also says, on its include line, that the included file has problems.
      assert.ok(
        findings.some((f) => !f.file && f.message.startsWith('The included')),
        'summary on the include line',
      );
    }
  });
}

test('the unmodified fixtures have no errors', () => {
  const fs = memoryFs();
  for (const rel of [ARC, 'arc/arc_challenge.yaml', GSM, HS, MMLU]) {
    const abs = fixture('taskconfig', rel);
    const text = baseText(rel);
    const errors = validateTaskConfig(abs, text, { fs }).filter((f) => f.severity === 'error');
    assert.deepEqual(errors, [], `${rel}:\n${describe(errors, () => text)}`);
  }
});

test('a later include wins at v0.4.12+, the first at v0.4.9', () => {
  const dir = fixture('taskconfig', 'order');
  const files = {
    [path.join(dir, 'one_yaml')]: 'output_type: generate_until\ngeneration_kwargs:\n  until: ["x"]\n',
    [path.join(dir, 'two_yaml')]: 'output_type: multiple_choice\n',
    [path.join(dir, 't.yaml')]:
      'include: [one_yaml, two_yaml]\ntask: t\ndataset_path: x\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\ndoc_to_choice: [a, b]\n',
  };
  const fs = memoryFs(files, undefined);
  const t = files[path.join(dir, 't.yaml')];
  const latest = validateTaskConfig(path.join(dir, 't.yaml'), t, { fs });
  assert.ok(
    latest.some((f) => f.code === 'generation-kwargs-ignored'),
    'two_yaml wins: multiple_choice with generation_kwargs',
  );
  const legacy = validateTaskConfig(path.join(dir, 't.yaml'), t, { fs, harnessVersion: '0.4.9' });
  assert.ok(!legacy.some((f) => f.code === 'generation-kwargs-ignored'), 'one_yaml wins: generate_until');
});

test('diamond includes are fine under v0.4.9', () => {
  const dir = fixture('taskconfig', 'diamond');
  const files = {
    [path.join(dir, 'd.yaml')]: '# lm-eval-lens: harness=0.4.9\ninclude:\n  - b1_yaml\n  - b2_yaml\ntask: d\n',
    [path.join(dir, 'b1_yaml')]: 'include: base_yaml\n',
    [path.join(dir, 'b2_yaml')]: 'include: base_yaml\n',
    [path.join(dir, 'base_yaml')]: 'dataset_path: x\n',
  };
  const findings = validateTaskConfig(path.join(dir, 'd.yaml'), files[path.join(dir, 'd.yaml')], {
    fs: memoryFs(files, undefined),
  });
  assert.ok(!findings.some((f) => f.code === 'diamond-include' || f.code === 'include-cycle'));
});

test('workspace: duplicate names across files and templates that are only included', () => {
  const dir = fixture('taskconfig', 'ws');
  const files = [
    { path: path.join(dir, 'a.yaml'), text: 'include: base.yaml\ntask: same\n' },
    { path: path.join(dir, 'b.yaml'), text: 'include: base.yaml\ntask: same\n' },
    {
      path: path.join(dir, 'base.yaml'),
      text: 'dataset_path: x\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\n',
    },
    { path: path.join(dir, 'c.yaml'), text: 'group: same\ntask: [other]\n' },
  ];
  const out = validateTaskConfigWorkspace(files, { fs: memoryFs({}, undefined) });
  const dupB = out.get(files[1].path)!.filter((f) => f.code === 'duplicate-task-name');
  const dupC = out.get(files[3].path)!.filter((f) => f.code === 'duplicate-task-name');
  assert.equal(
    out.get(files[0].path)!.filter((f) => f.code === 'duplicate-task-name').length,
    0,
    'the first file in path order wins',
  );
  assert.equal(dupB.length, 1);
  assert.equal(lineOf(files[1].text, dupB[0].range.start), 2);
  assert.equal(dupC.length, 1);
  assert.equal(
    out.get(files[2].path)!.filter((f) => f.code === 'no-task-or-group').length,
    0,
    'base.yaml is a template',
  );
});

test('each code is seeded at least three times', () => {
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.code, (counts.get(c.code) ?? 0) + 1);
  const taskCodes: DiagnosticCode[] = [
    'yaml-syntax',
    'duplicate-key',
    'unknown-key',
    'invalid-value',
    'missing-required',
    'unknown-metric',
    'unknown-aggregation',
    'unknown-filter',
    'unknown-sampler',
    'include-not-found',
    'include-cycle',
    'diamond-include',
    'function-not-found',
    'duplicate-task-name',
    'legacy-group-task',
    'generation-kwargs-ignored',
    'single-quoted-newline',
    'no-task-or-group',
    'input-limit',
  ];
  for (const code of taskCodes) assert.ok((counts.get(code) ?? 0) >= 3, `${code}: ${counts.get(code) ?? 0}`);
});
