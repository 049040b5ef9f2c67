// Noise control (#14 item 6): identical findings in one file are reported once, with a count, the
// other places as related information, and a fix for all of them when each place has the same fix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { toDiagnostics } from '../../../server/src/service/diagnostics';
import { groupRepeatedFindings } from '../../../server/src/service/groupFindings';
import type { Finding } from '../../../server/src/shared/findings';
import { applyFix } from '../../helpers/applyFix';
import { testContext } from '../../helpers/context';

const ctx = testContext();
const path = '/project/sweep.sh';

function sweep(n: number): string {
  const lines = ['#!/bin/bash'];
  for (let k = 0; k < n; k++)
    lines.push(`lm_eval --model vllm --model_args pretrained=Qwen/Qwen2.5-7B-Instruct,batch_size=8 --tasks task_${k}`);
  return `${lines.join('\n')}\n`;
}

describe('repeated identical findings', () => {
  it('51 launches of the same choice give one finding with 50 related places', () => {
    const text = sweep(51);
    const findings = analyzeDocument({ path, text }, ctx).findings.filter((f) => f.code === 'duplicate-cli-kwarg');
    assert.equal(findings.length, 1);
    const f = findings[0];
    assert.match(f.message, /51 identical findings/);
    assert.equal(f.related?.length, 50);
    assert.ok(f.related!.every((r) => r.file === path && text.slice(r.range.start, r.range.end) === 'batch_size=8'));
    // The reported place is the first launch.
    assert.ok(f.range.start < text.indexOf('task_1\n'));
  });

  it('the fix for all places removes every collision', () => {
    const text = sweep(3);
    const f = analyzeDocument({ path, text }, ctx).findings.find((x) => x.code === 'duplicate-cli-kwarg')!;
    const all = f.fixes!.find((x) => /all 3 places/.test(x.title));
    assert.ok(all, f.fixes!.map((x) => x.title).join(' | '));
    const fixed = applyFix(text, all);
    assert.equal((fixed.match(/batch_size=8/g) ?? []).length, 0);
    assert.equal(
      analyzeDocument({ path, text: fixed }, ctx).findings.filter((x) => x.code === 'duplicate-cli-kwarg').length,
      0,
    );
  });

  it('LSP diagnostics carry the other places as relatedInformation with their own lines', () => {
    const text = sweep(3);
    const doc = TextDocument.create('file:///project/sweep.sh', 'shellscript', 1, text);
    const findings = analyzeDocument({ path, text }, ctx).findings;
    const d = toDiagnostics(findings, doc, { relatedUri: (file) => `file://${file}` }).find(
      (x) => x.code === 'duplicate-cli-kwarg',
    )!;
    assert.deepEqual(
      d.relatedInformation
        ?.filter((r) => r.message === 'same finding here')
        .map((r) => [r.location.uri, r.location.range.start.line]),
      [
        ['file:///project/sweep.sh', 2],
        ['file:///project/sweep.sh', 3],
      ],
    );
  });

  it('different messages or codes stay separate; one range seen twice is one place', () => {
    const base: Finding = { code: 'unknown-model', severity: 'info', message: 'm', range: { start: 0, end: 1 } };
    const out = groupRepeatedFindings(
      [
        base,
        { ...base, message: 'other' },
        { ...base, code: 'unknown-model-arg' },
        { ...base },
        { ...base, range: { start: 5, end: 6 } },
      ],
      path,
    );
    assert.equal(out.length, 3);
    assert.equal(out[0].related?.length, 1);
    assert.deepEqual(out[0].related![0].range, { start: 5, end: 6 });
  });
});
