// `npm run fuzz`: 100,000 inputs (FUZZ_RUNS to change) through the fuzz properties, timed.
import fc from 'fast-check';
import { documentPath, launchText, yamlText } from '../test/fuzz/arbitraries';
import { checkDocument, warmUp } from '../test/fuzz/properties';
import { testContext } from '../test/helpers/context';

const total = Number(process.env.FUZZ_RUNS ?? 100_000);
const ctx = testContext();
warmUp(ctx);
const third = Math.ceil(total / 3);
let maxMs = 0;
const slowest = (ms: number) => {
  maxMs = Math.max(maxMs, ms);
};
const t0 = performance.now();
fc.assert(
  fc.property(documentPath, launchText, (p, t) => slowest(checkDocument(p, t, ctx))),
  { numRuns: third },
);
fc.assert(
  fc.property(fc.constantFrom('/w/tasks/t.yaml', '/w/run.yaml'), yamlText, (p, t) => slowest(checkDocument(p, t, ctx))),
  { numRuns: third },
);
fc.assert(
  fc.property(documentPath, fc.string({ unit: 'binary', maxLength: 400 }), (p, t) => slowest(checkDocument(p, t, ctx))),
  { numRuns: third },
);
const s = (performance.now() - t0) / 1000;
console.log(
  `fuzz: ${third * 3} inputs, 0 failures, ${s.toFixed(1)} s (${((s * 1000) / (third * 3)).toFixed(2)} ms/input, slowest ${maxMs.toFixed(1)} ms)`,
);
