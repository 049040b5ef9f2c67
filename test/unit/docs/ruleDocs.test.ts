// One source per code: docs/rules.md, docs/task-config-rules.md and CODE_DOCS are generated from the
// `<code>.md` next to each rule. This fails when they differ (run `npm run docs`).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DOC_FOLDERS, MARKER, readCodeDocs, renderRuleDocs } from '../../../scripts/gen-rule-docs';
import { CODE_DOCS } from '../../../server/src/shared/codeDocs.generated';
import { DIAGNOSTIC_CODES } from '../../../server/src/shared/codes';
import { repoRoot } from '../../helpers/paths';

/** A copy of what the generator reads, to break on purpose. */
function scratchRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-eval-lens-docs-'));
  for (const folder of Object.values(DOC_FOLDERS)) {
    fs.mkdirSync(path.join(dir, folder), { recursive: true });
    for (const f of fs.readdirSync(path.join(repoRoot, folder)))
      if (f.endsWith('.md')) fs.copyFileSync(path.join(repoRoot, folder, f), path.join(dir, folder, f));
  }
  fs.mkdirSync(path.join(dir, 'docs'));
  for (const page of Object.keys(DOC_FOLDERS))
    fs.copyFileSync(path.join(repoRoot, 'docs', page), path.join(dir, 'docs', page));
  return dir;
}

describe('rule docs', () => {
  it('docs/*.md and CODE_DOCS are what `npm run docs` generates from the <code>.md files', () => {
    for (const [file, content] of renderRuleDocs(repoRoot))
      assert.equal(
        fs.readFileSync(path.join(repoRoot, file), 'utf8'),
        content,
        `${file} is out of date: run \`npm run docs\``,
      );
  });

  it('every code has a section on the page its codeDescription links to', () => {
    for (const code of DIAGNOSTIC_CODES) {
      const page = fs.readFileSync(path.join(repoRoot, 'docs', CODE_DOCS[code].page), 'utf8');
      const body = page.slice(page.indexOf(MARKER));
      assert.ok(body.includes(`\n## ${code}\n`), `${code} in docs/${CODE_DOCS[code].page}`);
    }
  });

  it('refuses a code without a <code>.md, a file for an unknown code, and a bad summary', () => {
    const dir = scratchRoot();
    try {
      fs.renameSync(
        path.join(dir, DOC_FOLDERS['task-config-rules.md'], 'unknown-sampler.md'),
        path.join(dir, DOC_FOLDERS['task-config-rules.md'], 'unknown-sampling.md'),
      );
      assert.throws(() => readCodeDocs(dir), /unknown-sampling is not in DIAGNOSTIC_CODES/);
      fs.rmSync(path.join(dir, DOC_FOLDERS['task-config-rules.md'], 'unknown-sampling.md'));
      assert.throws(() => readCodeDocs(dir), /no <code>\.md for unknown-sampler/);
      fs.writeFileSync(
        path.join(dir, DOC_FOLDERS['task-config-rules.md'], 'unknown-sampler.md'),
        '---\nseverity: error\nsummary: no full stop\n---\nBody.\n',
      );
      assert.throws(() => readCodeDocs(dir), /unknown-sampler\.md: summary must be one sentence/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
