// The CLI behaves like ruff and ESLint: --help everywhere, -V, the synopsis only after a usage
// error, exit 2 for what cannot be checked, --quiet, - for stdin, colour only when asked or on a
// terminal, and GitHub workflow annotations.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const bin = path.join(repoRoot, 'bin', 'lm-eval-lens.js');
const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    input: opts.input ?? '',
    env: { ...env, ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: an ANSI colour escape is what is tested
const ANSI = /\x1b\[\d+m/;
const L4_SCRIPT = path.join('examples', 'long-context-on-l4.sh');

describe('lm-eval-lens help and version', () => {
  it('-V and --version print the package version', () => {
    for (const flag of ['-V', '--version']) {
      const r = cli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout.trim(), version);
    }
  });

  it('--help lists the subcommands; every subcommand has its own --help', () => {
    const top = cli(['--help']);
    assert.equal(top.code, 0);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+) {2,}\S/gm)].map((m) => m[1]);
    assert.ok(commands.includes('check') && commands.includes('estimate'), top.stdout);
    for (const c of commands) {
      for (const args of [
        [c, '--help'],
        [c, '-h'],
        ['help', c],
      ]) {
        const r = cli(args);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^Usage: lm-eval-lens ${c}`, 'm'), args.join(' '));
        assert.match(r.stdout, /--quiet/);
      }
    }
  });

  it('a usage error prints the message and the synopsis, not the whole help', () => {
    const r = cli(['check', '--bogus', 'examples']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: Unknown option '--bogus'/);
    assert.match(r.stderr, /Usage: lm-eval-lens check \[options\] PATH/);
    assert.match(r.stderr, /try 'lm-eval-lens check --help'/);
    assert.doesNotMatch(r.stderr, /--allow-network/, 'the option list stays in --help');
    assert.equal(r.stdout, '');
  });

  it('an error that is not about usage prints no usage', () => {
    const r = cli(['estimate', '--model-args', 'pretrained=nobody/nothing-7b']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown model "nobody\/nothing-7b"/);
    assert.doesNotMatch(r.stderr, /Usage:/);
  });
});

describe('lm-eval-lens check: exit 2 for what cannot be checked', () => {
  for (const [what, args, message] of [
    ['a missing path', ['check', 'examples', 'no-such-dir-lm-eval-lens'], /no-such-dir-lm-eval-lens: no such file/],
    ['an unknown --gpu', ['check', '--gpu', 'TPUv9', 'examples'], /unknown GPU "TPUv9"/],
    ['an unknown GPU with a count', ['check', '--gpu', '4xTPUv9', 'examples'], /unknown GPU "TPUv9"/],
    ['an unparseable --vllm-version', ['check', '--vllm-version', 'banana', 'examples'], /--vllm-version "banana"/],
    ['an unparseable --harness-version', ['check', '--harness-version', 'x.y', 'examples'], /--harness-version "x\.y"/],
    ['a bad --gpu-count', ['check', '--gpu-count', '0', 'examples'], /--gpu-count must be a positive integer/],
    ['an unknown --format', ['check', '--format', 'xml', 'examples'], /--format must be text, sarif, github or json/],
  ] as const) {
    it(what, () => {
      const r = cli([...args]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'nothing is checked');
    });
  }

  it('estimate refuses an unknown --gpu and an unparseable --vllm-version too', () => {
    const base = ['estimate', '--model-args', 'pretrained=Qwen/Qwen1.5-4B'];
    assert.equal(cli([...base, '--gpu', 'TPUv9']).code, 2);
    assert.equal(cli([...base, '--vllm-version', '0.x']).code, 2);
  });
});

describe('lm-eval-lens check output', () => {
  it('messages are one line; details follow indented', () => {
    const r = cli(['check', L4_SCRIPT]);
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n');
    const i = lines.findIndex((l) => l.includes('[kv-cache-too-small]'));
    assert.ok(i >= 0, r.stdout);
    assert.ok(lines[i].length < 260, lines[i]);
    assert.match(lines[i + 1], /^ {4}\S/);
    assert.ok(
      lines.some((l) => /^ {4}vLLM \d+\.\d+\.\d+ says: "/.test(l)),
      r.stdout,
    );
  });

  it('--quiet prints errors only, without the summary', () => {
    const full = cli(['check', 'examples']);
    const quiet = cli(['check', '--quiet', 'examples']);
    assert.equal(quiet.code, full.code);
    assert.match(full.stdout, /warning \[/);
    assert.doesNotMatch(quiet.stdout, /warning \[|files? checked/);
    assert.match(quiet.stdout, /error \[kv-cache-too-small\]/);
  });

  it('- reads stdin, named by --stdin-filename or guessed from the text', () => {
    const text = fs.readFileSync(path.join(repoRoot, L4_SCRIPT), 'utf8');
    const guessed = cli(['check', '-'], { input: text });
    assert.equal(guessed.code, 1, guessed.stderr);
    assert.match(guessed.stdout, /^stdin\.sh:6:16: error \[kv-cache-too-small\]/m);
    const named = cli(['check', '--stdin-filename', 'jobs/run.sh', '-'], { input: text });
    assert.match(named.stdout, /^jobs\/run\.sh:6:16: error \[kv-cache-too-small\]/m);
    const yaml = fs.readFileSync(path.join(repoRoot, 'examples', 'tasks', 'my_qa', 'my_qa.yaml'), 'utf8');
    const task = cli(['check', '--stdin-filename', path.join('examples', 'tasks', 'my_qa', 'piped.yaml'), '-'], {
      input: yaml,
    });
    assert.match(task.stdout, /piped\.yaml:4:1: error \[unknown-key\]/);
  });

  it('- with SARIF or workflow annotations needs --stdin-filename: they point at a repository path', () => {
    const text = fs.readFileSync(path.join(repoRoot, L4_SCRIPT), 'utf8');
    for (const format of ['sarif', 'github']) {
      const guessed = cli(['check', '--format', format, '-'], { input: text });
      assert.equal(guessed.code, 2);
      assert.match(guessed.stderr, new RegExp(`--format ${format} with - \\(stdin\\) needs --stdin-filename`));
      assert.equal(guessed.stdout, '');
    }
    const named = cli(['check', '--format', 'sarif', '--stdin-filename', 'jobs/run.sh', '-'], { input: text });
    assert.equal(named.code, 1, named.stderr);
    assert.match(named.stdout, /"uri": "jobs\/run\.sh"/);
  });

  it('colour: none in a pipe, on with FORCE_COLOR or --color, off again with NO_COLOR or --no-color', () => {
    assert.doesNotMatch(cli(['check', L4_SCRIPT]).stdout, ANSI);
    assert.match(cli(['check', L4_SCRIPT], { env: { FORCE_COLOR: '1' } }).stdout, ANSI);
    assert.match(cli(['check', '--color', L4_SCRIPT]).stdout, ANSI);
    assert.doesNotMatch(cli(['check', L4_SCRIPT], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout, ANSI);
    assert.doesNotMatch(cli(['check', '--no-color', L4_SCRIPT], { env: { FORCE_COLOR: '1' } }).stdout, ANSI);
  });

  it('no progress line when stderr is not a terminal', () => {
    const r = cli(['check', 'examples']);
    assert.doesNotMatch(r.stderr, /checking \d+\/\d+|\r/);
  });

  it('--format github writes one workflow command per finding', () => {
    const r = cli(['check', '--format', 'github', 'examples']);
    assert.equal(r.code, 1);
    const all = r.stdout.trim().split('\n');
    // One workflow command per finding, then the summary (a plain line in the job log).
    assert.match(all.at(-1) ?? '', /^\d+ errors?, \d+ warnings?, \d+ notes? in \d+ files checked$/);
    const lines = all.slice(0, -1);
    assert.ok(lines.length > 3);
    for (const l of lines)
      assert.match(
        l,
        /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=lm-eval-lens \([a-z0-9-]+\)::/,
      );
    const kv = lines.find((l) => l.includes('(kv-cache-too-small)'));
    assert.ok(kv?.startsWith('::error file=examples/long-context-on-l4.sh,line=6,'), kv);
    assert.match(kv ?? '', /%0AvLLM \d+\.\d+\.\d+ says: /, 'details on following lines, newline-escaped');
  });
});
