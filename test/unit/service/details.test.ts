// A finding's message is one sentence; vLLM's own wording and the arithmetic go to `details`, which
// the editor shows as relatedInformation (or, for clients without it, on following message lines).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { toDiagnostics } from '../../../server/src/service/diagnostics';
import { formatText } from '../../../server/src/cli/report';
import { testContext } from '../../helpers/context';
import { fixture, repoRoot } from '../../helpers/paths';

const ctx = testContext({ gpu: 'L4' });
const l4Script = path.join(repoRoot, 'examples', 'long-context-on-l4.sh');

describe('finding details', () => {
  const text = fs.readFileSync(l4Script, 'utf8');
  const kv = analyzeDocument({ path: l4Script, text }, ctx).findings.find((f) => f.code === 'kv-cache-too-small');

  it('kv-cache-too-small: one sentence with the fix; vLLM quoted in details', () => {
    assert.ok(kv, 'the L4 example has a kv-cache-too-small finding');
    assert.doesNotMatch(kv.message, /says/);
    assert.match(kv.message, /set max_model_len=\d+ or less\.$/);
    assert.ok(
      kv.details?.some((d) => /^vLLM \d+\.\d+\.\d+ says: "To serve at least one request/.test(d)),
      JSON.stringify(kv.details),
    );
  });

  it('become relatedInformation at the finding itself, or message lines for clients without it', () => {
    const doc = TextDocument.create('file:///w/x.sh', 'shellscript', 1, text);
    const [withRelated] = toDiagnostics([kv!], doc);
    assert.equal(withRelated.message, kv!.message);
    assert.deepEqual(
      withRelated.relatedInformation?.map((r) => r.message),
      kv!.details,
    );
    assert.equal(withRelated.relatedInformation?.[0].location.uri, doc.uri);
    assert.deepEqual(withRelated.relatedInformation?.[0].location.range, withRelated.range);
    const [plain] = toDiagnostics([kv!], doc, { relatedInformation: false });
    assert.equal(plain.relatedInformation, undefined);
    assert.equal(plain.message, [kv!.message, ...kv!.details!].join('\n'));
  });

  it('are printed indented under the message by the CLI', () => {
    const out = formatText(
      [
        {
          file: '/w/x.sh',
          line: 5,
          column: 15,
          endLine: 5,
          endColumn: 30,
          code: 'kv-cache-too-small',
          severity: 'error',
          message: 'One sentence.',
          details: ['first', 'second\nthird'],
        },
      ],
      () => 'x.sh',
    );
    assert.equal(out, 'x.sh:6:16: error [kv-cache-too-small] One sentence.\n    first\n    second\n    third');
  });

  it('keep every message on the report fixtures and examples short', () => {
    const files = [
      ...fs.readdirSync(fixture('reports')).map((n) => fixture('reports', n)),
      ...fs
        .readdirSync(path.join(repoRoot, 'examples'))
        .filter((n) => /\.(sh|py|md|ipynb|yaml)$/.test(n))
        .map((n) => path.join(repoRoot, 'examples', n)),
    ];
    let checked = 0;
    for (const file of files) {
      for (const f of analyzeDocument({ path: file, text: fs.readFileSync(file, 'utf8') }, ctx).findings) {
        checked++;
        assert.ok(f.message.length <= 300, `${path.basename(file)} ${f.code}: ${f.message.length} chars: ${f.message}`);
        assert.doesNotMatch(f.message, /\bsays: "/, `${f.code}: vLLM's wording belongs in details`);
      }
    }
    assert.ok(checked > 10, `${checked} findings checked`);
  });
});
