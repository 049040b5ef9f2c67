// Configurations drawn from real reports (reference/lm-eval.md §6 and vLLM issues): each fixture
// names its source and the codes it must produce (`# expect: a,b` or `none`); sound ones stay silent.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { applyFix } from '../../helpers/applyFix';
import { testContext } from '../../helpers/context';
import { fixture } from '../../helpers/paths';

const dir = fixture('reports');
const ctx = testContext();

describe('verdicts on real reports', () => {
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    const expect = /^# expect: (.*)$/m.exec(text)?.[1].trim();
    assert.ok(expect, `${name} has an # expect: line`);
    it(`${name} → ${expect}`, () => {
      const codes = new Set(analyzeDocument({ path: file, text }, ctx).findings.map((f) => f.code));
      if (expect === 'none') assert.deepEqual([...codes], []);
      else
        for (const code of expect.split(',').map((c) => c.trim()))
          assert.ok(codes.has(code as never), `${code} expected; got ${[...codes].join(', ') || 'nothing'}`);
    });
  }
});

describe('every fix on the report fixtures is verified by checking its result again', () => {
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    const before = analyzeDocument({ path: file, text }, ctx).findings;
    for (const finding of before) {
      for (const fix of finding.fixes ?? []) {
        it(`${name}: ${finding.code} → ${fix.title}`, () => {
          const fixed = applyFix(text, fix);
          assert.notEqual(fixed, text, 'the fix changes the text');
          const again = analyzeDocument({ path: file, text: fixed }, ctx).findings;
          const count = (fs_: { code: string }[]) => fs_.filter((f) => f.code === finding.code).length;
          assert.ok(count(again) < count(before), `${finding.code} still reported:\n${fixed}`);
          assert.ok(!again.some((f) => f.code === 'model-args-syntax'), 'the edit keeps model_args well-formed');
        });
      }
    }
  }
});
