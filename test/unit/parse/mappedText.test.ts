// Decoders keep the document offset of every decoded character: slicing the source at a decoded
// character's range gives exactly what was written for it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument, isMap, isScalar, type Scalar } from 'yaml';
import { decodeJsonString } from '../../../server/src/parse/jsonString';
import { parseJsonValue } from '../../../server/src/parse/literals';
import { decodePythonString } from '../../../server/src/parse/pythonString';
import { decodeYamlScalar } from '../../../server/src/parse/yamlScalar';
import {
  identityMapped,
  mappedRange,
  overlapsHole,
  quotingAt,
  sliceMapped,
  type SourceMappedText,
} from '../../../server/src/parse/mappedText';
import { decodeShellWord } from '../../../server/src/parse/shellWord';

/** Source text written for each decoded character. */
function pieces(src: string, m: SourceMappedText): string[] {
  return Array.from({ length: m.text.length }, (_, i) => src.slice(m.offsets[i], m.ends[i]));
}

describe('identity and slices', () => {
  it('maps one to one and slices keep document offsets', () => {
    const m = identityMapped('abcdef', 2, 5);
    assert.equal(m.text, 'cde');
    assert.deepEqual(m.offsets, [2, 3, 4, 5]);
    const s = sliceMapped(m, 1, 3);
    assert.equal(s.text, 'de');
    assert.deepEqual(mappedRange(s, 0, 2), { start: 3, end: 5 });
  });
});

describe('shell words', () => {
  it('unquoted with backslash escapes', () => {
    const src = 'a\\ b\\$c';
    const w = decodeShellWord(identityMapped(src), 0);
    assert.equal(w.value.text, 'a b$c');
    assert.deepEqual(pieces(src, w.value), ['a', '\\ ', 'b', '\\$', 'c']);
  });

  it("single, double (with its escapes), $'…' and adjacent parts form one word", () => {
    const src = `'x y'"q\\"\\n"$'\\t\\x41'z rest`;
    const w = decodeShellWord(identityMapped(src), 0);
    assert.equal(w.value.text, 'x yq"\\n\tAz');
    assert.equal(w.end, src.indexOf(' rest'));
    assert.deepEqual(pieces(src, w.value), ['x', ' ', 'y', 'q', '\\"', '\\', 'n', '\\t', '\\x41', 'z']);
    assert.deepEqual(quotingAt(w.value, 0), ['shell-single']);
    assert.deepEqual(quotingAt(w.value, 3), ['shell-double']);
    assert.deepEqual(quotingAt(w.value, 9), ['shell-plain']);
  });

  it('a backslash-newline continuation vanishes, even mid-word', () => {
    const src = 'max_model\\\n_len=1';
    const w = decodeShellWord(identityMapped(src), 0);
    assert.equal(w.value.text, 'max_model_len=1');
    assert.deepEqual(mappedRange(w.value, 0, 13), { start: 0, end: 15 });
  });

  it('unknown variables and command substitutions are holes; known ones are substituted', () => {
    const known = identityMapped('XXQwenYY', 2, 6);
    const src = 'p=$M,q=${N},r=$(cmd a),s=`b`';
    const w = decodeShellWord(identityMapped(src), 0, (name) => (name === 'M' ? known : undefined));
    assert.equal(w.value.text, 'p=Qwen,q=${N},r=$(cmd a),s=`b`');
    assert.deepEqual(mappedRange(w.value, 2, 6), { start: 2, end: 6 }, 'inside the substitution: the assignment');
    assert.deepEqual(mappedRange(w.value, 0, 6), { start: 0, end: 4 }, 'leaving it: ends at the $M reference');
    const q = w.value.text.indexOf('${N}');
    assert.ok(overlapsHole(w.value, q, q + 4));
    assert.ok(!overlapsHole(w.value, 0, 6));
  });
});

describe('JSON strings', () => {
  it('decodes every escape including \\uXXXX and surrogate pairs', () => {
    const src = '"a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00/"';
    const d = decodeJsonString(identityMapped(src), 0);
    assert.equal(d.value.text, JSON.parse(src));
    assert.equal(d.end, src.length);
    assert.deepEqual(pieces(src, d.value), ['a', '\\"', 'b', '\\\\', 'c', '\\n', '\\u00e9', '\\ud83d', '\\ude00', '/']);
  });

  it('decodes the escapes as json.loads does (parseJsonValue shares the escape table)', () => {
    const src = '"\\b\\f\\n\\r\\t\\/\\u0041"';
    assert.equal(decodeJsonString(identityMapped(src), 0).value.text, JSON.parse(src));
    assert.deepEqual(parseJsonValue(src), { value: JSON.parse(src) });
    assert.equal(parseJsonValue('"\\x41"'), undefined);
  });
});

describe('Python strings', () => {
  it('prefixes, triple quotes, raw strings and escapes', () => {
    const cases: Array<[string, string]> = [
      [`'it\\'s'`, "it's"],
      [`"""a\n"b"\n"""`, 'a\n"b"\n'],
      [`r'\\d\\''`, "\\d\\'"],
      [`b"\\x41\\101"`, 'AA'],
      [`u'\\u00e9\\N{BULLET}'`, 'é\\N{BULLET}'],
      [`'a\\\nb'`, 'ab'],
    ];
    for (const [src, text] of cases) {
      const d = decodePythonString(identityMapped(src), 0)!;
      assert.equal(d.value.text, text, src);
      assert.equal(d.end, src.length, src);
    }
    assert.equal(decodePythonString(identityMapped('name'), 0), undefined);
  });

  it('f-string replacement fields are unresolved holes; {{ }} are braces', () => {
    const src = `f"pretrained={model!r:>{w}},x={{1}}"`;
    const d = decodePythonString(identityMapped(src), 0)!;
    assert.equal(d.value.text, 'pretrained={model!r:>{w}},x={1}');
    assert.ok(d.isFString);
    const at = d.value.text.indexOf('{model');
    assert.ok(overlapsHole(d.value, at, at + 1));
    assert.ok(!overlapsHole(d.value, 0, 10));
  });
});

describe('YAML scalars (checked against the yaml package value)', () => {
  const docs = [
    'v: plain\n  multi line\n\n  para\n',
    "v: 'it''s\n  folded'\n",
    'v: "tab\\there\n  next \\u00e9\\\n  joined"\n',
    'v: |\n  lit\n\n  x\n',
    'v: |-\n    keep\n    indent\n',
    'v: >\n  one\n  two\n\n  three\n    more\n',
    'v: >+\n  a\n\n',
    'k:\n  v: >-\n    pretrained=x,\n    dtype=float\n',
  ];
  for (const src of docs) {
    it(JSON.stringify(src), () => {
      const doc = parseDocument(src, { keepSourceTokens: true });
      let node: Scalar | undefined;
      const find = (n: unknown): void => {
        if (isMap(n)) for (const p of n.items) find(p.value);
        else if (isScalar(n)) node = n;
      };
      find(doc.contents);
      const m = decodeYamlScalar(identityMapped(src), node!);
      assert.equal(m.text, node!.value);
      // Every non-synthetic character maps back to itself.
      for (let i = 0; i < m.text.length; i++) {
        const written = src.slice(m.offsets[i], m.ends[i]);
        if (written.length === 1 && written !== '\n') assert.equal(written, m.text[i], `char ${i}`);
      }
    });
  }
});
