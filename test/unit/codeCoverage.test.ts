// Every diagnostic code is one unit: something produces it, it is documented, and a fixture fires it
// and another must stay silent (test/fixtures/rules/<code>/, run by ruleFixtures.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LAUNCH_RULES } from '../../server/src/rules';
import { CODE_DOCS } from '../../server/src/shared/codeDocs.generated';
import { DIAGNOSTIC_CODES } from '../../server/src/shared/codes';
import { TASK_CONFIG_RULES } from '../../server/src/taskconfig/rules';
import { repoRoot } from '../helpers/paths';
import { ruleFixtureFiles } from '../helpers/ruleFixtures';
import { parseWantMarkers } from '../helpers/wantMarkers';

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

// Findings built outside the rule registries (the YAML parser, the include resolver, input limits).
const serverSources = sources(path.join(repoRoot, 'server', 'src'))
  .filter((p) => !p.includes(`${path.sep}shared${path.sep}`))
  .map((p) => fs.readFileSync(p, 'utf8'));
const registryCodes = new Set<string>([...LAUNCH_RULES, ...TASK_CONFIG_RULES].map((r) => r.code));

function hasProducer(code: string): boolean {
  if (registryCodes.has(code)) return true;
  const built = new RegExp(`\\bcode:\\s*[^,\\n]*'${code.replace(/[-]/g, '\\-')}'`);
  return serverSources.some((text) => built.test(text));
}

/** What the code lacks of producer, documentation, firing fixture and silent fixture. */
function coverageGaps(code: string): string[] {
  const gaps: string[] = [];
  if (!hasProducer(code)) gaps.push('producer (a rule in a registry, or a finding built with it in server/src)');
  const doc = (CODE_DOCS as Record<string, { page: string } | undefined>)[code];
  const page = doc ? fs.readFileSync(path.join(repoRoot, 'docs', doc.page), 'utf8') : '';
  if (!page.includes(`\n## ${code}\n`)) gaps.push('documentation (<code>.md next to its rule, npm run docs)');
  const fixtures = ruleFixtureFiles(code).map((f) => parseWantMarkers(fs.readFileSync(f, 'utf8')));
  if (!fixtures.some((ms) => ms.some((m) => m.code === code)))
    gaps.push(`a fixture that fires it (test/fixtures/rules/${code}/, with a want: ${code} marker)`);
  if (!fixtures.some((ms) => !ms.some((m) => m.code === code)))
    gaps.push(`a fixture where it stays silent (test/fixtures/rules/${code}/, no want: ${code} marker)`);
  return gaps;
}

describe('every diagnostic code', () => {
  for (const code of DIAGNOSTIC_CODES)
    it(`${code}: producer, documentation, a firing and a silent fixture`, () => {
      assert.deepEqual(coverageGaps(code), []);
    });

  it('the check fails for a code that has none of them', () => {
    assert.equal(coverageGaps('no-such-code').length, 4);
  });

  it('every fixture folder is a diagnostic code', () => {
    const dir = path.join(repoRoot, 'test', 'fixtures', 'rules');
    for (const e of fs.readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory())
        assert.ok((DIAGNOSTIC_CODES as readonly string[]).includes(e.name), `test/fixtures/rules/${e.name}`);
  });
});
