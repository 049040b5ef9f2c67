// Every rule fixture (test/fixtures/rules/<code>/): what the language service reports in the file
// is exactly what its `want` markers say — code, place and message fragment (test/helpers/wantMarkers.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULE_FIXTURES, ruleFixtureFiles, runRuleFixture } from '../helpers/ruleFixtures';
import { parseWantMarkers } from '../helpers/wantMarkers';

describe('rule fixtures', () => {
  const codes = fs.readdirSync(RULE_FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const code of codes.map((e) => e.name).sort()) {
    for (const file of ruleFixtureFiles(code)) {
      it(`${code}/${path.basename(file)}`, () => {
        const run = runRuleFixture(file);
        assert.deepEqual(run.problems, []);
      });
    }
  }
});

describe('want markers', () => {
  it('read the line form, `at "text"` and carets', () => {
    const text = [
      '# want: unknown-key "Did you mean" at "doc_to_txt"',
      'doc_to_txt: x',
      'metric_list:',
      '  - metric: acc_nrm',
      '#           ^^^^^^^ want: unknown-metric "not a built-in \\"metric\\""',
      'group: g',
      '# ^^^^+ want: missing-required "needs"',
      '  prefix: "a',
      '\\nb"',
      '# ^want: yaml-syntax "PyYAML" at "\\\\nb\\""',
    ].join('\n');
    assert.deepEqual(parseWantMarkers(text), [
      { code: 'unknown-key', fragment: 'Did you mean', line: 1, flagged: 'doc_to_txt', markerLine: 1 },
      {
        code: 'unknown-metric',
        fragment: 'not a built-in "metric"',
        line: 3,
        startColumn: 12,
        endColumn: 19,
        continues: false,
        markerLine: 5,
      },
      {
        code: 'missing-required',
        fragment: 'needs',
        line: 5,
        startColumn: 2,
        endColumn: 6,
        continues: true,
        markerLine: 7,
      },
      { code: 'yaml-syntax', fragment: 'PyYAML', line: 8, flagged: '\\nb"', markerLine: 10 },
    ]);
    assert.throws(() => parseWantMarkers('# want: unknown-key no quotes\nx: 1\n'), /malformed marker/);
  });

  it('a fixture whose markers disagree with the findings fails', () => {
    // A real fixture with its marker moved one line down, and with a wrong fragment.
    const dir = path.join(RULE_FIXTURES, 'unknown-key');
    const firing = ruleFixtureFiles('unknown-key').find((f) =>
      fs.readFileSync(f, 'utf8').includes('want: unknown-key'),
    );
    assert.ok(firing, `a firing fixture in ${dir}`);
    const text = fs.readFileSync(firing, 'utf8');
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-eval-lens-want-'));
    const broken = path.join(scratch, path.basename(firing));
    try {
      fs.writeFileSync(broken, text.replace(/want: unknown-key "[^"]*"/, 'want: unknown-key "no such words"'));
      const run = runRuleFixture(broken);
      assert.ok(
        run.problems.some((p) => p.includes('matched no finding')),
        run.problems.join('\n'),
      );
      assert.ok(
        run.problems.some((p) => p.startsWith('finding without a marker: unknown-key')),
        run.problems.join('\n'),
      );
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
