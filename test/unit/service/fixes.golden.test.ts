// Golden-file tests for quick fixes (actions/languageservices' code-actions testdata pattern):
// test/fixtures/fixes/<case>/input.<ext> and <code>@<title-slug>.expected.<ext>. Each expected
// file is the input after applying that fix; checking the result again must not report the code.
// UPDATE_GOLDEN=1 writes missing expected files (review them before committing).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { applyFix } from '../../helpers/applyFix';
import { testContext } from '../../helpers/context';
import { fixturesRoot } from '../../helpers/paths';

const root = path.join(fixturesRoot, 'fixes');

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const ctx = testContext();

for (const name of fs.existsSync(root) ? fs.readdirSync(root).sort() : []) {
  const dir = path.join(root, name);
  const input = fs.readdirSync(dir).find((f) => f.startsWith('input.'));
  if (!input) continue;
  const ext = path.extname(input);
  const inputPath = path.join(dir, input);
  const text = fs.readFileSync(inputPath, 'utf8');
  const expected = fs.readdirSync(dir).filter((f) => f.endsWith(`.expected${ext}`));
  describe(`fixes in ${name}`, () => {
    const analysis = analyzeDocument({ path: inputPath, text }, ctx);
    for (const file of expected) {
      const [code, fixSlug] = file.slice(0, -`.expected${ext}`.length).split('@');
      it(`${code}: ${fixSlug}`, () => {
        const finding = analysis.findings.find((f) => f.code === code);
        assert.ok(finding, `${code} expected in ${name}; got ${analysis.findings.map((f) => f.code).join(', ')}`);
        const fix = finding.fixes?.find((f) => slug(f.title) === fixSlug);
        assert.ok(fix, `fix ${fixSlug} expected; got ${finding.fixes?.map((f) => slug(f.title)).join(', ')}`);
        const out = applyFix(text, fix);
        assert.equal(out, fs.readFileSync(path.join(dir, file), 'utf8'));
        const again = analyzeDocument({ path: inputPath, text: out }, ctx);
        assert.ok(!again.findings.some((f) => f.code === code), `${code} still reported after the fix`);
      });
    }
    if (process.env.UPDATE_GOLDEN) {
      it('writes missing expected files', () => {
        for (const f of analysis.findings) {
          for (const fix of f.fixes ?? []) {
            const out = path.join(dir, `${f.code}@${slug(fix.title)}.expected${ext}`);
            if (!fs.existsSync(out) && !/^disable-/.test(slug(fix.title))) fs.writeFileSync(out, applyFix(text, fix));
          }
        }
      });
    }
  });
}
