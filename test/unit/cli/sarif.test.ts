// SARIF output: valid against the SARIF 2.1.0 schema, accepted by GitHub code scanning, rule metadata
// from the same source as docs/, relative URIs, stable fingerprints, related locations.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ReportedFinding } from '../../../server/src/cli/report';
import { FINGERPRINT_KEY, markdownToText, MAX_RESULTS, SRCROOT, toSarif } from '../../../server/src/cli/sarif';
import { codeDoc, ruleDocUrl } from '../../../server/src/shared/codeDocs';
import { DIAGNOSTIC_CODES } from '../../../server/src/shared/codes';
import { githubCodeScanningProblems, sarifSchemaErrors } from '../../helpers/sarif';

const root = path.resolve('/proj/project');
const at = (file: string, line: number, column = 0) => ({
  file: path.join(root, file),
  line,
  column,
  endLine: line,
  endColumn: column + 5,
});
const findings: ReportedFinding[] = [
  {
    ...at('jobs/run eval.sh', 4, 2),
    code: 'kv-cache-too-small',
    severity: 'error',
    message: 'max_model_len=32768 needs 4.0 GiB of KV cache; 2.1 GiB fit.',
    details: ["vLLM: The model's max seq len (32768) is larger than ..."],
    snippet: 'max_model_len=32768',
  },
  {
    ...at('tasks/a.yaml', 0),
    code: 'duplicate-task-name',
    severity: 'warning',
    message: `\`arc\` is also defined in ${path.join(root, 'tasks/b.yaml')}.`,
    snippet: 'arc',
    related: [{ ...at('tasks/b.yaml', 0), message: '`arc` defined here' }],
  },
  { ...at('../elsewhere/x.sh', 1), code: 'unknown-model', severity: 'info', message: 'No config for m.', snippet: 'm' },
];

// biome-ignore lint/suspicious/noExplicitAny: reading the JSON we produced
const sarifOf = (f: ReportedFinding[], r = root): any => JSON.parse(JSON.stringify(toSarif(f, '0.1.0', { root: r })));

describe('toSarif', () => {
  it('is valid SARIF 2.1.0 and meets GitHub code scanning requirements', () => {
    const log = sarifOf(findings.slice(0, 2));
    assert.deepEqual(sarifSchemaErrors(log), []);
    assert.deepEqual(githubCodeScanningProblems(log), []);
  });

  it('the checks reject what GitHub rejected before: rules without metadata, absolute file:// URIs', () => {
    const old = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'lm-eval-lens', rules: [{ id: 'kv-cache-too-small', helpUri: 'https://x' }] } },
          results: [
            {
              ruleId: 'kv-cache-too-small',
              message: { text: 'm' },
              locations: [
                { physicalLocation: { artifactLocation: { uri: 'file:///home/u/run.sh' }, region: { startLine: 1 } } },
              ],
            },
          ],
        },
      ],
    };
    assert.deepEqual(sarifSchemaErrors(old), []);
    const problems = githubCodeScanningProblems(old);
    for (const want of ['shortDescription', 'fullDescription', 'help.text', 'file:// uri', 'partialFingerprints'])
      assert.ok(
        problems.some((p) => p.includes(want)),
        `${want} in ${problems.join('; ')}`,
      );
    assert.notDeepEqual(sarifSchemaErrors({ version: '2.1.0', runs: [{ results: [{}] }] }), []);
  });

  it('describes every code from its <code>.md (the docs source)', () => {
    const rules = sarifOf([]).runs[0].tool.driver.rules;
    assert.deepEqual(
      rules.map((r: { id: string }) => r.id),
      [...DIAGNOSTIC_CODES],
    );
    for (const r of rules) {
      const doc = codeDoc(r.id);
      assert.equal(r.shortDescription.text, doc.summary);
      assert.equal(r.fullDescription.markdown, doc.markdown);
      assert.equal(r.helpUri, ruleDocUrl(r.id));
      assert.ok(r.help.markdown.includes(doc.markdown) && r.help.text.includes(ruleDocUrl(r.id)));
      assert.ok(!r.fullDescription.text.replace(/`[^`]*`/g, '').includes('**'), `${r.id}: plain text`);
    }
    const kv = rules.find((r: { id: string }) => r.id === 'kv-cache-too-small');
    assert.equal(kv.defaultConfiguration.level, 'error');
  });

  it('writes paths relative to %SRCROOT%, encoded; a file outside the root keeps its file:// URI', () => {
    const log = sarifOf(findings);
    assert.deepEqual(sarifSchemaErrors(log), []);
    const run = log.runs[0];
    assert.equal(run.originalUriBaseIds[SRCROOT].uri, `file://${root}/`);
    const [kv, dup, outside] = run.results;
    assert.deepEqual(kv.locations[0].physicalLocation.artifactLocation, {
      uri: 'jobs/run%20eval.sh',
      uriBaseId: SRCROOT,
    });
    assert.deepEqual(kv.locations[0].physicalLocation.region, {
      startLine: 5,
      startColumn: 3,
      endLine: 5,
      endColumn: 8,
    });
    assert.equal(kv.ruleIndex, DIAGNOSTIC_CODES.indexOf('kv-cache-too-small'));
    assert.match(kv.message.text, /fit\.\nvLLM: The model's max seq len/);
    assert.deepEqual(dup.relatedLocations, [
      {
        id: 1,
        message: { text: '`arc` defined here' },
        physicalLocation: {
          artifactLocation: { uri: 'tasks/b.yaml', uriBaseId: SRCROOT },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 6 },
        },
      },
    ]);
    assert.match(outside.locations[0].physicalLocation.artifactLocation.uri, /^file:\/\/.*elsewhere\/x\.sh$/);
    assert.equal(outside.locations[0].physicalLocation.artifactLocation.uriBaseId, undefined);
  });

  it('fingerprints survive moved lines, changed numbers and another checkout, and tell findings apart', () => {
    const prints = (log: { runs: { results: { partialFingerprints: Record<string, string> }[] }[] }) =>
      log.runs[0].results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    const base = prints(sarifOf(findings));
    assert.equal(new Set(base).size, base.length);
    const moved = findings.map((f) => ({ ...f, line: f.line + 7, endLine: f.endLine + 7 }));
    assert.deepEqual(prints(sarifOf(moved)), base);
    const renumbered = findings.map((f) => ({ ...f, message: f.message.replace('4.0', '4.5') }));
    assert.deepEqual(prints(sarifOf(renumbered)), base);
    const other = path.resolve('/ci/checkout');
    const elsewhere = findings.map((f) => ({
      ...f,
      file: f.file.replace(root, other),
      message: f.message.replace(root, other),
    }));
    assert.deepEqual(prints(sarifOf(elsewhere, other)), base);
    const twice = prints(sarifOf([findings[0], { ...findings[0], line: 9, endLine: 9 }]));
    assert.notEqual(twice[0], twice[1]);
    const changed = prints(sarifOf([{ ...findings[0], snippet: 'max_model_len=4096' }]));
    assert.notEqual(changed[0], base[0]);
  });

  it(`keeps at most ${MAX_RESULTS} results and says how many were left out`, () => {
    const many = Array.from({ length: MAX_RESULTS + 3 }, (_, i) => ({ ...findings[2], ...at('m.sh', i) }));
    const run = sarifOf(many).runs[0];
    assert.equal(run.results.length, MAX_RESULTS);
    assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /^3 more results/);
  });

  it('turns the Markdown description into plain text', () => {
    assert.equal(
      markdownToText('**Error.** Use `f(**kw)`,\nsee [docs](https://d) and _this_; **not** `a_b_`.'),
      'Error. Use `f(**kw)`, see docs (https://d) and this; not `a_b_`.',
    );
  });
});
