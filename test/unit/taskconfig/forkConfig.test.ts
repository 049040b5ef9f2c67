// A vendored or forked lm-eval's own TaskConfig, GroupConfig and FewshotConfig, read as text: their
// fields are the keys the fork accepts (TaskConfig(**cfg)); a class that cannot be read makes unknown
// keys warnings that say so.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readForkConfig } from '../../../server/src/taskconfig/forkConfig';
import { dataclassFields } from '../../../server/src/taskconfig/pythonDataclass';
import { validateTaskConfig } from '../../../server/src/taskconfig/validate';
import { memoryFs } from './memfs';

const fieldsOf = (src: string, name = 'TaskConfig') => {
  const r = dataclassFields(src, name);
  return r && 'fields' in r ? r.fields : r;
};

describe('dataclassFields', () => {
  it("reads a dataclass's init fields: multi-line defaults, comments, docstrings and methods skipped", () => {
    const src = [
      'from dataclasses import dataclass, field',
      'import dataclasses',
      '',
      '@dataclasses.dataclass(frozen=False)',
      'class TaskConfig(dict):',
      '    """Doc: not_a_field: str = None"""',
      '    KIND: ClassVar[str] = "task"',
      '    task: Optional[str] = None  # name: str',
      '    fewshot_split: Optional[str] = (',
      '        None  # TODO: a: b = c',
      '    )',
      "    fewshot_delimiter: str = '\\n\\n'",
      '    metadata: dict = field(',
      '        default_factory=dict,',
      '    )',
      '    cache: dict = field(default_factory=dict, init=False)',
      '    style: str = """',
      'multi: line = default',
      '"""',
      '    def __post_init__(self) -> None:',
      '        local: int = 0',
      '    scores: list = None',
      '',
      'class Other:',
      '    x: int = 0',
    ].join('\n');
    assert.deepEqual(fieldsOf(src), ['task', 'fewshot_split', 'fewshot_delimiter', 'metadata', 'style', 'scores']);
    assert.equal(dataclassFields(src, 'TaskConfig')?.line, 5);
  });

  it('a base class in the same file contributes its fields first; other bases and own __init__ are problems', () => {
    const base = [
      '@dataclass',
      'class Base:',
      '    a: int = 0',
      '@dataclass',
      'class TaskConfig(Base):',
      '    b: int = 0',
    ];
    assert.deepEqual(fieldsOf(base.join('\n')), ['a', 'b']);
    assert.match(
      String(
        (
          dataclassFields('@dataclass\nclass TaskConfig(BaseModel):\n    a: int = 0', 'TaskConfig') as {
            problem: string;
          }
        ).problem,
      ),
      /inherits from `BaseModel`/,
    );
    assert.match(
      (dataclassFields('class TaskConfig(dict):\n    a: int = 0', 'TaskConfig') as { problem: string }).problem,
      /not a @dataclass/,
    );
    assert.match(
      (
        dataclassFields(
          '@dataclass\nclass TaskConfig:\n    a: int = 0\n    def __init__(self, **kw):\n        pass',
          'TaskConfig',
        ) as { problem: string }
      ).problem,
      /its own __init__/,
    );
    assert.equal(dataclassFields('from .config.task import TaskConfig\n', 'TaskConfig'), undefined);
    // Indented (nested) classes of the same name are not the module's.
    assert.equal(
      dataclassFields('if X:\n    @dataclass\n    class TaskConfig:\n        a: int = 0\n', 'TaskConfig'),
      undefined,
    );
  });
});

const root = path.resolve('/proj/third_party/lm-evaluation-harness');
const yaml = path.resolve('/proj/tasks/qa.yaml');
const TASK_PY = [
  'from dataclasses import dataclass',
  '@dataclass',
  'class TaskConfig(dict):',
  '    task: str = None',
  '    dataset_path: str = None',
  '    test_split: str = None',
  '    doc_to_text: str = None',
  '    doc_to_target: str = None',
  '    fewshot_config: dict = None',
  '    custom_prompt_style: str = None',
].join('\n');
const QA = 'task: qa\ndataset_path: d\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\n';

function check(text: string, files: Record<string, string>, version = '0.4.4', source: string | null = root) {
  const fs = memoryFs({ [yaml]: text, ...files }, undefined);
  return validateTaskConfig(yaml, text, { fs, harnessVersion: version, ...(source ? { harnessSource: source } : {}) })
    .filter((f) => f.code === 'unknown-key')
    .map((f) => ({ severity: f.severity, message: f.message }));
}

describe("unknown-key with the fork's TaskConfig", () => {
  const apiTask = path.join(root, 'lm_eval', 'api', 'task.py');

  it("a key the fork's TaskConfig declares is accepted; one it lacks is an error naming that class", () => {
    assert.deepEqual(check(`${QA}custom_prompt_style: chat\n`, { [apiTask]: TASK_PY }), []);
    const [typo, ...rest] = check(`${QA}custom_prompt_styel: chat\nnum_fewshot: 0\n`, { [apiTask]: TASK_PY });
    assert.equal(rest.length, 1, 'num_fewshot is a release field the fork dropped');
    assert.equal(typo.severity, 'error');
    assert.match(
      typo.message,
      /TaskConfig of the lm-eval in force \(lm-evaluation-harness\/lm_eval\/api\/task\.py:3\)/,
    );
    assert.match(typo.message, /Did you mean `custom_prompt_style`\?/);
    // Without the fork's source, the release table judges (the error this fix removes).
    assert.equal(check(`${QA}custom_prompt_style: chat\n`, {}, '0.4.4', null)[0]?.severity, 'error');
  });

  it('lm_eval/config/task.py (v0.4.10+) is read first, with the FewshotConfig beside it', () => {
    const configTask = path.join(root, 'lm_eval', 'config', 'task.py');
    const withFewshot = `@dataclass\nclass FewshotConfig:\n    sampler: str = "default"\n    shuffle_seed: int = 0\n\n${TASK_PY}`;
    const files = { [configTask]: withFewshot, [apiTask]: 'from lm_eval.config.task import TaskConfig\n' };
    assert.deepEqual(check(`${QA}fewshot_config:\n  sampler: first_n\n  shuffle_seed: 3\n`, files, '0.4.12'), []);
    const [bad] = check(`${QA}fewshot_config:\n  samplr: first_n\n`, files, '0.4.12');
    assert.equal(bad.severity, 'error');
    assert.match(
      bad.message,
      /FewshotConfig of the lm-eval in force \(lm-evaluation-harness\/lm_eval\/config\/task\.py:2\)/,
    );
  });

  it('a fork whose TaskConfig cannot be read: unknown keys are warnings that say why', () => {
    for (const files of [{}, { [apiTask]: 'class TaskConfig(dict):\n    task: str = None\n' }]) {
      const [w] = check(`${QA}custom_prompt_style: chat\n`, files);
      assert.equal(w.severity, 'warning');
      assert.match(w.message, /the TaskConfig of the lm-eval copy in force could not be read/);
    }
  });

  it("a group may use the fork's GroupConfig fields", () => {
    const group = path.join(root, 'lm_eval', 'api', 'group.py');
    const groupPy =
      '@dataclass\nclass GroupConfig(dict):\n    group: str = None\n    task: list = None\n    weighting: str = None\n';
    const text = 'group: g\ntask:\n  - qa\nweighting: size\n';
    assert.deepEqual(check(text, { [apiTask]: TASK_PY, [group]: groupPy }), []);
    assert.equal(check(text, {}, '0.4.4', null).length, 1);
  });

  it('the fork is read again when its file changes', () => {
    const fs = memoryFs({ [apiTask]: TASK_PY }, undefined);
    assert.ok(readForkConfig(fs, root).task?.fields.has('custom_prompt_style'));
    fs.files.set(apiTask, TASK_PY.replace('custom_prompt_style', 'prompt_style'));
    const again = readForkConfig(fs, root).task;
    assert.ok(again?.fields.has('prompt_style') && !again.fields.has('custom_prompt_style'));
  });
});
