// Every public function survives any input: it returns, never throws, and stays fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fixture } from '../../helpers/paths';
import {
  classifyYamlDocument,
  completeTaskConfig,
  definitionTaskConfig,
  documentLinksTaskConfig,
  hoverTaskConfig,
  validateTaskConfig,
} from '../../../server/src/taskconfig';
import { memoryFs } from './memfs';

const yamlish = fc
  .array(
    fc.constantFrom(
      'task: ',
      'group: ',
      'include: ',
      '- ',
      '  ',
      '\n',
      ':',
      '"',
      "'",
      '!function ',
      'a.b',
      '[',
      ']',
      '{',
      '}',
      '&x ',
      '*x',
      '#',
      '|',
      '>',
      'metric_list',
      'output_type',
      '\t',
      '---\n',
      '\\n',
      '<<: ',
    ),
    { maxLength: 80 },
  )
  .map((a) => a.join(''));

test('never throws on arbitrary YAML-ish text', () => {
  const file = fixture('taskconfig', 'fuzz', 'x.yaml');
  const ctx = { fs: memoryFs({}, undefined) };
  fc.assert(
    fc.property(fc.oneof(yamlish, fc.string({ maxLength: 200 })), fc.nat(300), (text, off) => {
      const offset = Math.min(off, text.length);
      assert.ok(Array.isArray(validateTaskConfig(file, text, ctx)));
      classifyYamlDocument(file, text);
      completeTaskConfig(file, text, offset, ctx);
      hoverTaskConfig(file, text, offset, ctx);
      definitionTaskConfig(file, text, offset, ctx);
      documentLinksTaskConfig(file, text, ctx);
    }),
    { numRuns: 400 },
  );
});

// A hang fails through the test's timeout; how fast it is belongs in `npm run bench`.
test('deep block nesting and many aliases stay bounded', { timeout: 60_000 }, () => {
  const file = fixture('taskconfig', 'fuzz', 'deep.yaml');
  let deep = 'task: deep\nmetadata:\n';
  for (let i = 1; i < 3000; i++) deep += `${' '.repeat(i)}k${i}:\n`;
  const findings = validateTaskConfig(file, deep, { fs: memoryFs({}, undefined) });
  assert.ok(findings.some((f) => f.code === 'input-limit'));
});
