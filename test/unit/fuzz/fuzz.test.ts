// A few thousand hostile inputs on every run; `npm run fuzz` runs 100,000.
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { testContext } from '../../helpers/context';
import { documentPath, launchText, yamlText } from '../../fuzz/arbitraries';
import { checkDocument, warmUp } from '../../fuzz/properties';

const ctx = testContext();
warmUp(ctx);
const runs = Number(process.env.FUZZ_RUNS ?? 1500);

describe('fuzz: the language service survives anything', () => {
  it(`launch-like text in every embedding (${runs} inputs)`, () => {
    fc.assert(
      fc.property(documentPath, launchText, (p, t) => {
        checkDocument(p, t, ctx);
      }),
      { numRuns: runs },
    );
  });
  it(`YAML-like text (${runs} inputs)`, () => {
    fc.assert(
      fc.property(fc.constantFrom('/w/tasks/t.yaml', '/w/run.yaml'), yamlText, (p, t) => {
        checkDocument(p, t, ctx);
      }),
      { numRuns: runs },
    );
  });
  it(`arbitrary unicode (${runs} inputs)`, () => {
    fc.assert(
      fc.property(documentPath, fc.string({ unit: 'binary', maxLength: 400 }), (p, t) => {
        checkDocument(p, t, ctx);
      }),
      { numRuns: runs },
    );
  });
});
