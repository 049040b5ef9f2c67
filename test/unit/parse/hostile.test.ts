// Hostile and random input: every reader returns and never throws. A hang fails through the test
// timeout; speed is measured by `npm run fuzz` and `npm run bench:launches`, not asserted here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findInvocations } from '../../../server/src/parse/invocations';
import { identityMapped } from '../../../server/src/parse/mappedText';
import { parseModelArgs } from '../../../server/src/parse/modelArgs';
import { closingIndex, tokenizePython } from '../../../server/src/parse/pythonTokens';

const KINDS = ['a.sh', 'a.py', 'a.ipynb', 'a.json', 'a.md', 'a.yaml', 'noext'];

const HANG = { timeout: 60_000 };

describe('hostile input', () => {
  const big = [
    ['10k commas', `lm_eval --model vllm --model_args pretrained=a${','.repeat(10_000)} --tasks mmlu`],
    ['unterminated quotes', `lm_eval --model vllm --model_args "pretrained=a,'x ${'"\''.repeat(5000)}`],
    ['binary', Array.from({ length: 50_000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('')],
    ['deep brackets', `lm_eval --model_args ${'['.repeat(20_000)} x\nsimple_evaluate(model_args=${'('.repeat(20_000)}`],
    ['many lines', 'lm_eval --model vllm --model_args a=1 \\\n'.repeat(5000)],
    ['f-string braces', `simple_evaluate(model_args=f"${'{'.repeat(10_000)}")`],
    ['yaml block', `model_args: >\n${'  a=1,\n'.repeat(20_000)}`],
    ['markdown fences', '```bash\n'.repeat(5000)],
    ['a function calling itself ten times', 'f() { f; f; f; f; f; f; f; f; f; f; }\nf\n'],
    [
      'functions fanning out ten times a level',
      `a0() { lm_eval --model vllm --model_args pretrained=x; }\n${Array.from({ length: 12 }, (_, k) => `a${k + 1}() { ${`a${k}; `.repeat(10)}}`).join('\n')}\na12\n`,
    ],
    ['eval of eval', `${'eval "'.repeat(200)}lm_eval --model vllm${'"'.repeat(200)}`],
    [
      'Python rebinding that doubles',
      `a = "x"\n${'a = a + a\n'.repeat(60)}simple_evaluate(model="vllm", model_args=a)\n`,
    ],
    [
      'Python branches on one name',
      `a = "pretrained=x"\n${'if c:\n    a = a + ",k=1"\n'.repeat(3000)}simple_evaluate(model="vllm", model_args=a)\n`,
    ],
    [
      'Python names chained',
      `${Array.from({ length: 3000 }, (_, k) => `a${k + 1} = a${k} + "x"`).join('\n')}\nsimple_evaluate(model_args=a3000)\n`,
    ],
  ] as const;
  for (const [name, text] of big) {
    it(`${name}: all readers finish`, HANG, () => {
      for (const path of KINDS) assert.ok(Array.isArray(findInvocations(text, { path })), `${name} as ${path}`);
    });
  }

  it('200k parentheses around a Python value: read in one pass (each layer used to scan to the end)', HANG, () => {
    // CPython refuses more than 200 nested parentheses; an editor still gets such text mid-edit.
    const n = 200_000;
    const text = `simple_evaluate(model="vllm", model_args=${'('.repeat(n)}"pretrained=x"${')'.repeat(n)})\n`;
    const [launch] = findInvocations(text, { path: 'a.py' });
    assert.equal(launch?.modelArgs?.args[0]?.rawValue, 'x');
  });

  it('closingIndex finds the first later closer at the same depth, for every token (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('(', ')', '[', ']', '{', '}', 'a', ',', ' ', '\n'), { maxLength: 60 }),
        (cs) => {
          const toks = tokenizePython(identityMapped(cs.join('')));
          for (let k = 0; k < toks.length; k++) {
            let naive = toks.length;
            for (let j = k + 1; j < toks.length; j++)
              if (toks[j].depth === toks[k].depth && toks[j].kind === 'op' && ')]}'.includes(toks[j].text)) {
                naive = j;
                break;
              }
            assert.equal(closingIndex(toks, k), naive);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('10k commas under the CLI parser: one empty-pair problem per comma', HANG, () => {
    const s = `a=1${','.repeat(10_000)}`;
    const value = parseModelArgs(identityMapped(s), 'cli');
    assert.equal(value.problems.filter((p) => p.kind === 'empty-pair').length, 10_000);
  });

  it('random text never throws in any reader (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...KINDS), (s, path) => {
        const withCmd = `lm_eval --model vllm --model_args ${s}\n${s}`;
        assert.ok(Array.isArray(findInvocations(withCmd, { path })));
        assert.ok(Array.isArray(findInvocations(s, { path })));
      }),
      { numRuns: 400 },
    );
  });

  it('random model_args strings: ranges stay inside the text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.constantFrom('cli' as const, 'python-string' as const),
        (s, dialect) => {
          const r = parseModelArgs(identityMapped(s), dialect);
          for (const a of r.args)
            for (const rg of [a.range, a.keyRange, a.valueRange])
              assert.ok(rg.start >= 0 && rg.start <= rg.end && rg.end <= s.length);
          for (const p of r.problems) assert.ok(p.range.start >= 0 && p.range.end <= s.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
