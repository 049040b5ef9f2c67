// The SARIF the built CLI writes for the examples and the task-config fixtures, checked as GitHub
// code scanning and the SARIF 2.1.0 schema would check it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { it } from 'node:test';
import { repoRoot } from '../helpers/paths';
import { githubCodeScanningProblems, sarifSchemaErrors } from '../helpers/sarif';

it('check --format sarif: schema-valid, accepted by code scanning, paths relative to the working directory', () => {
  const r = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'bin', 'lm-eval-lens.js'),
      'check',
      '--format',
      'sarif',
      'examples',
      'test/fixtures/taskconfig',
    ],
    { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 },
  );
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.deepEqual(sarifSchemaErrors(log), []);
  assert.deepEqual(githubCodeScanningProblems(log), []);
  const results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] =
    log.runs[0].results;
  assert.ok(results.length >= 5, `${results.length} results`);
  const uris = new Set(results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri));
  assert.ok(
    [...uris].every((u) => u.startsWith('examples/') || u.startsWith('test/fixtures/')),
    [...uris].join(' '),
  );
});
