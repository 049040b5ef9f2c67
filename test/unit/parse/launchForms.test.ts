// Every launch shape people write (#14), one fixture each in the file kind where it occurs, under
// test/fixtures/launches/. Markers in the fixture say what must hold:
//   a line holding `@launch`          the next line starts a launch (`@launch-inline`: this line;
//                                     `@launch x2`: two launches there, one per branch value)
//   `expect-arg: key=value`           some launch has this model_args value (as lm-eval receives it)
//   `expect-batch-size: N`            some launch has `--batch_size N`
//   `expect-unknown: key`             some launch has this setting as an unknown value
//   `expect-codes: a,b`               these finding codes are reported
//   `expect-env: NAME=value`          some launch's environment has it; `expect-no-env: NAME` none has it
//   `expect-serve: N`                 N of the launches are vLLM servers
//   `expect-linked: backend`          a launch of that backend is linked to a server launch
//   `expect-vllm: 0.7.2`              every launch is judged with this vLLM release (`expect-harness`: lm-eval)
// and always: no error-severity finding (a value we cannot know is never an error).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { LineIndex } from '../../../server/src/service/positions';
import { testContext } from '../../helpers/context';
import { fixture } from '../../helpers/paths';

const dir = fixture('launches');
const ctx = testContext();

function headers(text: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`${name}:\\s*([^\\n]*?)\\s*(?:-->)?$`, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1].trim());
  return out;
}

function expectedLaunchLines(text: string): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  lines.forEach((l, n) => {
    const times = Number(/@launch(?:-inline)? x(\d+)/.exec(l)?.[1] ?? 1);
    for (let k = 0; k < times; k++) {
      if (l.includes('@launch-inline')) out.push(n);
      else if (l.includes('@launch')) out.push(n + 1);
    }
  });
  return out;
}

describe('launch forms (test/fixtures/launches)', () => {
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    const shape = headers(text, 'shape')[0] ?? name;
    it(`${name}: ${shape}`, () => {
      const a = analyzeDocument({ path: file, text }, ctx);
      const lines = new LineIndex(text);
      const found = a.launches.map((l) => lines.lineOf(l.invocation.range.start)).sort((x, y) => x - y);
      assert.deepEqual(found, expectedLaunchLines(text), 'launch start lines (0-based)');

      const errors = a.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((f) => `${f.code}: ${f.message}`),
        [],
        'no error',
      );

      for (const kv of headers(text, 'expect-arg')) {
        const eq = kv.indexOf('=');
        const [key, value] = [kv.slice(0, eq), kv.slice(eq + 1)];
        const values = a.launches.flatMap((l) =>
          [...l.args.values()].filter((x) => x.key === key && !x.unresolved).map((x) => String(x.value)),
        );
        assert.ok(values.includes(value), `${key}=${value} expected; got ${values.join(', ') || 'none'}`);
      }
      for (const n of headers(text, 'expect-batch-size'))
        assert.ok(
          a.launches.some((l) => l.invocation.batchSize?.value === n),
          `--batch_size ${n} in some launch`,
        );
      for (const key of headers(text, 'expect-unknown')) {
        assert.ok(
          a.launches.some((l) => l.unknownArgs.some((x) => x.key === key)),
          `${key} is an unknown value of some launch`,
        );
      }
      for (const codes of headers(text, 'expect-codes')) {
        const got = new Set(a.findings.map((f) => f.code));
        for (const c of codes.split(',').map((x) => x.trim()))
          assert.ok(got.has(c as never), `${c} expected; got ${[...got].join(', ')}`);
      }
      for (const kv of headers(text, 'expect-env')) {
        const eq = kv.indexOf('=');
        assert.ok(
          a.launches.some((l) => l.env[kv.slice(0, eq)] === kv.slice(eq + 1)),
          `${kv} in some launch's environment`,
        );
      }
      for (const n of headers(text, 'expect-no-env'))
        assert.ok(!a.launches.some((l) => n in l.env), `${n} in no launch's environment`);
      for (const n of headers(text, 'expect-serve'))
        assert.equal(a.launches.filter((l) => l.isServe).length, Number(n), 'server launches');
      for (const [header, pick] of [
        ['expect-vllm', (l: (typeof a.launches)[number]) => l.vllm],
        ['expect-harness', (l: (typeof a.launches)[number]) => l.harness],
      ] as const) {
        for (const v of headers(text, header))
          assert.deepEqual(
            a.launches.map((l) => pick(l).label),
            a.launches.map((l) => (pick(l).text === v ? pick(l).label : `${v} expected`)),
            header,
          );
      }
      for (const backend of headers(text, 'expect-linked'))
        assert.ok(
          a.launches.some((l) => l.backend === backend && l.server?.isServe),
          `${backend} linked to a server`,
        );
    });
  }
});
