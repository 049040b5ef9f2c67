// The task-config rule registry: one rule per code, and a rule that throws costs only its own findings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIAGNOSTIC_CODES } from '../../../server/src/shared/codes';
import { FindingSink } from '../../../server/src/taskconfig/findingsUtil';
import {
  checkTaskConfigRules,
  TASK_CONFIG_RULES,
  type TaskConfigFacts,
  type TaskConfigRule,
} from '../../../server/src/taskconfig/rules';
import { validateTaskConfig } from '../../../server/src/taskconfig';
import { memoryFs } from './memfs';

describe('TASK_CONFIG_RULES', () => {
  it('has one rule per code, each a diagnostic code', () => {
    const codes = TASK_CONFIG_RULES.map((r) => r.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const c of codes) assert.ok((DIAGNOSTIC_CODES as readonly string[]).includes(c), c);
  });

  it('reports a crashing rule as an info finding and keeps the other rules', () => {
    const facts = { file: '/w/t.yaml' } as TaskConfigFacts;
    const boom: TaskConfigRule = {
      code: 'unknown-metric',
      check() {
        throw new Error('boom');
      },
    };
    const fine: TaskConfigRule = {
      code: 'unknown-sampler',
      check(f, sink) {
        sink.at(f.file, { start: 1, end: 2 }, 'unknown-sampler', 'error', 'still here');
      },
    };
    const sink = new FindingSink('/w/t.yaml');
    checkTaskConfigRules(facts, sink, [boom, fine]);
    assert.deepEqual(
      sink.items.map((f) => [f.code, f.severity]),
      [
        ['input-limit', 'info'],
        ['unknown-sampler', 'error'],
      ],
    );
    assert.match(sink.items[0].message, /stopped the unknown-metric check.*boom/);
  });

  it('reports a root that is not a mapping from the include resolver, and runs no rule', () => {
    const findings = validateTaskConfig('/w/list.yaml', '- a\n- b\n', { fs: memoryFs({}, undefined) });
    assert.deepEqual(
      findings.map((f) => f.code),
      ['invalid-value'],
    );
    assert.match(findings[0].message, /must be a YAML mapping/);
  });
});
