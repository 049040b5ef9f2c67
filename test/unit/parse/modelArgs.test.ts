// Both lm-eval key=value parsers (reference/lm-eval.md §4.4), the JSON form, and the problems we
// report, with every range checked by slicing the source.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { identityMapped } from '../../../server/src/parse/mappedText';
import { parseCliModelArgsValues, parseModelArgs } from '../../../server/src/parse/modelArgs';
import { coerceCliValue, coercePythonStringValue } from '../../../server/src/parse/modelArgsValues';

const cli = (s: string) => parseModelArgs(identityMapped(s), 'cli');
const py = (s: string) => parseModelArgs(identityMapped(s), 'python-string');
const slice = (s: string, r: { start: number; end: number }) => s.slice(r.start, r.end);

describe('CLI parser (MergeDictAction + key_val_to_dict @HEAD)', () => {
  it('reproduces the measured coercions of §4.4', () => {
    const s = "a=-1,b=1e3,c=None,d='x',e=[1],f= 2,g=0x10,h=true,i=1_000,j=";
    const r = cli(s);
    assert.equal(r.dialect, 'cli');
    assert.deepEqual(Object.fromEntries(r.args.map((a) => [a.key, a.value])), {
      a: -1,
      b: 1000,
      c: null,
      d: 'x',
      e: [1],
      f: 2,
      g: 16,
      h: true,
      i: 1000,
      j: '',
    });
    assert.deepEqual(r.problems, []);
    for (const a of r.args) {
      assert.equal(slice(s, a.keyRange), a.key);
      assert.equal(slice(s, a.valueRange), a.rawValue);
      assert.equal(slice(s, a.range), `${a.key}=${a.rawValue}`);
    }
    assert.equal(r.args.find((a) => a.key === 'f')!.rawValue, ' 2', 'CLI values are not stripped');
  });

  it('a trailing comma is an empty pair: ValueError (error on the comma)', () => {
    const s = 'pretrained=x,';
    const r = cli(s);
    assert.deepEqual(
      r.problems.map((p) => [p.kind, p.severity, slice(s, p.range)]),
      [['empty-pair', 'error', ',']],
    );
    const d = 'a=1,,b=2';
    assert.deepEqual(
      cli(d).problems.map((p) => [p.kind, d.slice(0, p.range.start)]),
      [['empty-pair', 'a=1,']],
    );
  });

  it('bare key is an error; whitespace in a key is a warning', () => {
    const s = 'a=1, dtype=float,trust_remote_code';
    const r = cli(s);
    assert.deepEqual(
      r.problems.map((p) => [p.kind, p.severity, slice(s, p.range)]),
      [
        ['whitespace-in-key', 'warning', ' dtype'],
        ['bare-key', 'error', 'trust_remote_code'],
      ],
    );
    assert.deepEqual(
      r.args.map((a) => a.key),
      ['a', ' dtype'],
    );
  });

  it('splits on the first = only', () => {
    const r = cli('limit_mm_per_prompt=image=50');
    assert.deepEqual(
      r.args.map((a) => [a.key, a.value]),
      [['limit_mm_per_prompt', 'image=50']],
    );
  });

  it('a list with commas is one comma-in-value error suggesting JSON', () => {
    const s = 'pretrained=x,until=["a","b"],max_gen_toks=5';
    const r = cli(s);
    assert.equal(r.problems.length, 1);
    const p = r.problems[0];
    assert.equal(p.kind, 'comma-in-value');
    assert.equal(slice(s, p.range), 'until=["a","b"]');
    assert.match(p.message, /\{"until": \["a","b"\]\}/);
    assert.match(p.message, /ValueError/);
    assert.deepEqual(
      r.args.map((a) => a.key),
      ['pretrained', 'until', 'max_gen_toks'],
    );
  });

  it('an apostrophe inside a value warns when later pairs follow (#4178)', () => {
    const s = "until=Bob's,temperature=0";
    const r = cli(s);
    assert.deepEqual(
      r.problems.map((p) => [p.kind, p.severity, p.range.start]),
      [['apostrophe-in-value', 'warning', s.indexOf("'")]],
    );
    assert.deepEqual(cli("temperature=0,until=Bob's").problems, [], 'last pair: nothing is swallowed');
  });

  it('an unbalanced quote is an error on the quote', () => {
    const s = 'think_end_token="</think>,x=1';
    const r = cli(s);
    assert.ok(r.problems.some((p) => p.kind === 'unbalanced-quote' && slice(s, p.range) === '"'));
  });

  it('duplicate keys warn on the later key', () => {
    const s = 'dtype=float,dtype=bfloat16';
    const r = cli(s);
    assert.deepEqual(
      r.problems.map((p) => [p.kind, p.severity, p.range.start]),
      [['duplicate-key', 'warning', s.lastIndexOf('dtype')]],
    );
  });

  it('JSON: members with ranges; nested values; invalid JSON is an error', () => {
    const s =
      ' {"pretrained": "Qwen/Qwen1.5-4B", "chat_template_args": {"enable_thinking": false}, "max_model_len": 1024}';
    const r = cli(s);
    assert.equal(r.dialect, 'json');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.args.map((a) => [a.key, a.value]),
      [
        ['pretrained', 'Qwen/Qwen1.5-4B'],
        ['chat_template_args', { enable_thinking: false }],
        ['max_model_len', 1024],
      ],
    );
    assert.equal(slice(s, r.args[0].keyRange), '"pretrained"');
    assert.equal(slice(s, r.args[0].valueRange), '"Qwen/Qwen1.5-4B"');
    assert.equal(slice(s, r.args[2].range), '"max_model_len": 1024');
    const bad = "{'pretrained': 'x'}";
    const b = cli(bad);
    assert.equal(b.dialect, 'json');
    assert.deepEqual(
      b.problems.map((p) => [p.kind, p.severity, p.range.start]),
      [['invalid-json', 'error', 1]],
    );
    assert.match(b.problems[0].message, /double quotes/);
  });

  it('several values: the first as JSON wins; otherwise all are merged', () => {
    const a = identityMapped('pretrained=x');
    const b = identityMapped('dtype=bfloat16');
    const r = parseCliModelArgsValues([a, b]);
    assert.deepEqual(
      r.args.map((x) => [x.key, x.value]),
      [
        ['pretrained', 'x'],
        ['dtype', 'bfloat16'],
      ],
    );
    const j = parseCliModelArgsValues([identityMapped('{"pretrained": "x"}'), b]);
    assert.deepEqual(
      j.args.map((x) => x.key),
      ['pretrained'],
    );
  });

  it('an empty value string gives no args and no problems', () => {
    assert.deepEqual(cli(''), { dialect: 'cli', args: [], problems: [] });
  });
});

describe('string parser (simple_parse_args_string @HEAD)', () => {
  it('measured example under the string parser: no literal_eval, signed ints, stripped values', () => {
    const s = " a=-1,b=1e3,c=None,d='x',e=[1],f= 2,g=0x10,h=true,i=1_000,j=, ";
    const r = py(s);
    assert.deepEqual(Object.fromEntries(r.args.map((a) => [a.key, a.value])), {
      a: -1,
      b: 1000,
      c: null,
      d: 'x',
      e: '[1]',
      f: 2,
      g: '0x10',
      h: true,
      i: 1000,
      j: '',
    });
    assert.deepEqual(r.problems, [], 'a trailing comma is fine here');
    const f = r.args.find((a) => a.key === 'f')!;
    assert.equal(slice(s, f.valueRange), '2');
  });

  it('a bare key becomes "" with a warning; double commas are dropped', () => {
    const s = 'a=1,,trust_remote_code';
    const r = py(s);
    assert.deepEqual(
      r.args.map((a) => [a.key, a.value]),
      [
        ['a', 1],
        ['trust_remote_code', ''],
      ],
    );
    assert.deepEqual(
      r.problems.map((p) => [p.kind, p.severity, slice(s, p.range)]),
      [['bare-key', 'warning', 'trust_remote_code']],
    );
  });

  it('quotes do not protect commas: x="1,2" is flagged', () => {
    const s = 'x="1,2"';
    const r = py(s);
    assert.equal(r.problems[0].kind, 'comma-in-value');
    assert.equal(slice(s, r.problems[0].range), 'x="1,2"');
  });
});

describe('value coercion', () => {
  it('coerceCliValue follows handle_cli_value_string', () => {
    assert.equal(coerceCliValue('True'), true);
    assert.equal(coerceCliValue('FALSE'), false);
    assert.equal(coerceCliValue('1024'), 1024);
    assert.equal(coerceCliValue('-1'), -1);
    assert.equal(coerceCliValue('inf'), Infinity);
    assert.equal(coerceCliValue('0b101'), 5);
    assert.equal(coerceCliValue('"quoted"'), 'quoted');
    assert.deepEqual(coerceCliValue('[None]'), [null]);
    assert.equal(coerceCliValue('Qwen/Qwen1.5-4B'), 'Qwen/Qwen1.5-4B');
    assert.equal(coerceCliValue('1e'), '1e');
    assert.equal(coerceCliValue('1j'), '1j', 'complex has no ArgValue form: kept as text');
  });

  it('coercePythonStringValue follows handle_arg_string @HEAD', () => {
    assert.equal(coercePythonStringValue("'x'"), 'x');
    assert.equal(coercePythonStringValue('None'), null);
    assert.equal(coercePythonStringValue('-7'), -7);
    assert.equal(coercePythonStringValue('0.6'), 0.6);
    assert.equal(coercePythonStringValue('[1]'), '[1]');
    assert.equal(coercePythonStringValue('auto'), 'auto');
  });
});

describe('messages quote user text briefly', () => {
  const huge = 'x'.repeat(400_000);
  it('a 400 KB piece, key or value is quoted by its first 60 characters and …', () => {
    const cases: Array<[string, ReturnType<typeof cli>]> = [
      ['bare key (CLI)', cli(`a=1,'${huge}`)],
      ['bare key (Python)', py(`a=1,'${huge}`)],
      ['blanks around a key', py(` ${huge} =1`)],
      ['comma in a value', py(`stop=[${huge},b]`)],
      ['duplicate key', py(`${huge}=1,${huge}=2`)],
    ];
    for (const [name, r] of cases) {
      assert.ok(r.problems.length, `${name}: a problem`);
      for (const p of r.problems) {
        assert.ok(p.message.length < 600, `${name}: ${p.message.length} characters`);
        if (p.kind !== 'unbalanced-quote' && p.kind !== 'apostrophe-in-value')
          assert.match(p.message, /x{50,60}…/, `${name}: ${p.message.slice(0, 200)}`);
      }
    }
    assert.equal(
      cli('a=1,trust_remote_code').problems[0].message.includes("'trust_remote_code' has no '='"),
      true,
      'short text stays whole',
    );
  });

  it("a bare piece written `key: value` (a YAML habit, lm-eval's afrobench run.sh) is told to use `=`", () => {
    const [p] = cli('pretrained=m,parallelize: true').problems;
    assert.equal(p.kind, 'bare-key');
    assert.match(p.message, /Write parallelize=true\.$/);
    assert.match(cli('a=1,trust_remote_code').problems[0].message, /Write trust_remote_code=True for a flag\.$/);
  });
});
