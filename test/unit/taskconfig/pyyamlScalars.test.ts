// PyYAML's implicit resolution of plain scalars (lib/yaml/resolver.py, constructor.py), which lm-eval's
// loader uses; the `yaml` package's YAML 1.1 schema disagrees on each starred case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonKeyString, resolvePlainScalar } from '../../../server/src/taskconfig/pyyamlScalars';
import { parseTaskYaml } from '../../../server/src/taskconfig/yamlTree';

describe('resolvePlainScalar', () => {
  const cases: [string, ReturnType<typeof resolvePlainScalar>][] = [
    ['y', { kind: 'str' }], // *
    ['n', { kind: 'str' }], // *
    ['Y', { kind: 'str' }], // *
    ['yes', { kind: 'bool', value: true }],
    ['Yes', { kind: 'bool', value: true }],
    ['YES', { kind: 'bool', value: true }],
    ['yEs', { kind: 'str' }],
    ['off', { kind: 'bool', value: false }],
    ['On', { kind: 'bool', value: true }],
    ['FALSE', { kind: 'bool', value: false }],
    ['1e3', { kind: 'str' }], // *
    ['1.0e3', { kind: 'str' }], // *
    ['1.0e+3', { kind: 'float', value: 1000 }],
    ['.5', { kind: 'float', value: 0.5 }],
    ['.', { kind: 'str' }], // *
    ['-.inf', { kind: 'float', value: Number.NEGATIVE_INFINITY }],
    ['1:30.5', { kind: 'float', value: 90.5 }],
    ['09', { kind: 'str' }], // *
    ['010', { kind: 'int', value: 8 }],
    ['0x1F', { kind: 'int', value: 31 }],
    ['0b101', { kind: 'int', value: 5 }],
    ['1_000', { kind: 'int', value: 1000 }],
    ['1:30', { kind: 'int', value: 90 }],
    ['0:30', { kind: 'str' }], // *
    ['-0', { kind: 'int', value: 0 }],
    ['~', { kind: 'null' }],
    ['Null', { kind: 'null' }],
    ['nULL', { kind: 'str' }],
    ['2024-01-31', { kind: 'timestamp' }],
    ['=', { kind: 'value-tag' }],
    ['acc', { kind: 'str' }],
  ];
  for (const [text, want] of cases)
    it(`${JSON.stringify(text)} → ${want.kind}`, () => {
      const got = resolvePlainScalar(text);
      if (want.kind === 'float' && got.kind === 'float' && Number.isNaN(want.value)) assert.ok(Number.isNaN(got.value));
      else assert.deepEqual(got, want);
    });
});

describe('parseTaskYaml follows PyYAML', () => {
  it('keeps y/n as strings, quoted and tagged scalars as written, and names keys as Python does', () => {
    const p = parseTaskYaml('/w/t.yaml', 'a: y\nb: "yes"\nc: !!str 10\nd: yes\nyes: 1\n1.0: x\ne: 1e3\n');
    assert.equal(p.root?.kind, 'map');
    if (p.root?.kind !== 'map') return;
    const values = Object.fromEntries(
      p.root.entries.map((e) => [e.key, e.value.kind === 'scalar' ? e.value.value : e.value.kind]),
    );
    assert.deepEqual(values, { a: 'y', b: 'yes', c: '10', d: true, True: 1, '1.0': 'x', e: '1e3' });
  });

  it('reports a bare `=`, which PyYAML cannot construct', () => {
    const p = parseTaskYaml('/w/t.yaml', 'task: t\ntarget_delimiter: =\n');
    assert.deepEqual(
      p.findings.map((f) => [f.code, f.severity]),
      [['yaml-syntax', 'error']],
    );
  });

  it('names keys as Python str() does', () => {
    assert.equal(pythonKeyString({ kind: 'bool', value: false }, 'off'), 'False');
    assert.equal(pythonKeyString({ kind: 'float', value: 2 }, '2.'), '2.0');
    assert.equal(pythonKeyString({ kind: 'null' }, '~'), 'None');
  });
});
