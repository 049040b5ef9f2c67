// Where lm-eval looks for a `!function` module, by its own path arithmetic: v0.4.9
// `yaml_path.parent / f"{module}.py"`; v0.4.12+ `(base_dir / f"{module.replace('.', '/')}.py")`,
// where a module starting with `.` or `/` becomes an absolute path that pathlib keeps as is.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findPythonDefinition, functionTarget } from '../../../server/src/taskconfig/functionRefs';
import { harnessRules } from '../../../server/src/taskconfig/harnessVersion';
import { validateTaskConfig } from '../../../server/src/taskconfig/validate';
import { memoryFs } from './memfs';

const yaml = path.resolve('/proj/tasks/a/b/task.yaml');
const spec = '../../../../../etc/passwd.x';

describe('functionTarget', () => {
  it('v0.4.12+: dots become `/`, so a leading `.` makes an absolute path (the YAML folder is dropped)', () => {
    const t = functionTarget(spec, yaml, harnessRules('0.4.12'))!;
    assert.equal(t.modulePath, path.resolve('/etc/passwd.py'));
    assert.equal(t.absolute, true);
    assert.equal(t.importable, false);
    const plain = functionTarget('sub.utils.fn', yaml, harnessRules('0.4.12'))!;
    assert.equal(plain.modulePath, path.resolve('/proj/tasks/a/b/sub/utils.py'));
    assert.equal(plain.importable, true);
  });

  it('v0.4.9: the module is a file name under the YAML folder, `..` climbing up', () => {
    const t = functionTarget(spec, yaml, harnessRules('0.4.9'))!;
    assert.equal(t.modulePath, path.resolve('/etc/passwd.py'));
    assert.equal(
      functionTarget('../common.fn', yaml, harnessRules('0.4.9'))!.modulePath,
      path.resolve('/proj/tasks/a/common.py'),
    );
  });
});

describe('function-not-found names the file lm-eval looks at', () => {
  const text = `task: t\ndataset_path: d\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\nprocess_docs: !function ${spec}\n`;
  const messages = (version: string) =>
    validateTaskConfig(yaml, text, { fs: memoryFs({ [yaml]: text }), harnessVersion: version })
      .filter((f) => f.code === 'function-not-found')
      .map((f) => f.message);

  it('v0.4.12+: the absolute path, and that the module name cannot be imported either', () => {
    const [m] = messages('0.4.12');
    assert.ok(m.includes(`the absolute path ${path.resolve('/etc/passwd.py')}, not a file next to this YAML`), m);
    assert.match(m, /is not a module name Python can import either, so lm-eval raises ImportError/);
    assert.ok(!m.includes(path.join('tasks', 'etc')), m);
  });

  it("v0.4.9: the path under the YAML's folder that the OS resolves", () => {
    const [m] = messages('0.4.9');
    assert.ok(m.includes(`from this YAML's folder, ${path.resolve('/etc/passwd.py')}, which is not there`), m);
  });
});

describe('findPythonDefinition: names made at import time', () => {
  // lm-eval's global_mmlu_*/utils.py: `process_functions = {f"process_{s}": partial(...) ...}` then
  // `globals().update(process_functions)`; the YAMLs name `!function utils.process_business`.
  const generated =
    'from functools import partial\nprocess_functions = {f"process_{s}": partial(f, s) for s in S}\nglobals().update(process_functions)\n';
  for (const [form, source] of [
    ['globals().update', generated],
    ['globals()[name] =', 'for s in S:\n    globals()[f"process_{s}"] = partial(f, s)\n'],
    ['vars().update', 'vars().update(fns)\n'],
    ['setattr on the module', 'import sys\nsetattr(sys.modules[__name__], name, fn)\n'],
    ['a module __getattr__', 'def __getattr__(name):\n    return partial(f, name)\n'],
  ])
    it(`${form}: a name not written out is not evidence of absence`, () => {
      assert.equal(findPythonDefinition(source, 'process_business')?.uncertain, true);
    });

  it('a module without them: a missing name is missing', () => {
    assert.equal(findPythonDefinition('def process_docs(d):\n    return d\n', 'process_business'), undefined);
    assert.equal(findPythonDefinition('x = globals()\n', 'process_business'), undefined);
  });
});
