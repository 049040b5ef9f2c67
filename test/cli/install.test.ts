// The npm package as a user gets it: pack a clean copy of the tracked files (so `prepack` must
// build the bundles itself), install the tarball into a temporary global prefix offline (the
// package has no runtime dependencies: everything is bundled), then run both bins from there and
// through npx.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { repoRoot } from '../helpers/paths';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-npm-'));
const prefix = path.join(work, 'prefix');
const binDir = process.platform === 'win32' ? prefix : path.join(prefix, 'bin');
let tarball = '';
let packedFiles: string[] = [];
let packSummary = '';

function run(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? work,
    encoding: 'utf8',
    timeout: 180_000,
    input: opts.input,
    // A private npm cache: the install must not depend on (or pollute) the user's.
    env: { ...process.env, npm_config_cache: path.join(work, 'npm-cache'), npm_config_update_notifier: 'false' },
  });
  if (r.error) throw r.error;
  return r;
}

/** The tracked source tree without build output, with the repository's node_modules linked in. */
function cleanCopy(): string {
  const dst = path.join(work, 'src');
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const files =
    listed.status === 0
      ? listed.stdout.split('\0').filter(Boolean)
      : // not a git checkout: everything but build output and dependencies
        fs
          .readdirSync(repoRoot, { recursive: true, encoding: 'utf8' })
          .filter((f) => !/^(node_modules|out|\.git|e2e-artifacts)(\/|$)|\/out\//.test(f));
  for (const f of files) {
    const from = path.join(repoRoot, f);
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(dst, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dst, f));
  }
  // Each dependency linked on its own, so the copy's node_modules/.bin is its own folder.
  fs.mkdirSync(path.join(dst, 'node_modules'));
  for (const name of fs.readdirSync(path.join(repoRoot, 'node_modules'))) {
    if (name !== '.bin')
      fs.symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(dst, 'node_modules', name));
  }
  assert.ok(!fs.existsSync(path.join(dst, 'server', 'out')), 'the copy has no bundles before packing');
  return dst;
}

before(() => {
  const src = cleanCopy();
  const packed = run(npm, ['pack', '--json', '--pack-destination', work], { cwd: src });
  assert.equal(packed.status, 0, `npm pack failed:\n${packed.stdout}\n${packed.stderr}`);
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  tarball = path.join(work, info[0].filename);
  packedFiles = info[0].files.map((f) => f.path).sort();
  packSummary = `${info[0].filename}: ${info[0].size} bytes packed, ${info[0].unpackedSize} unpacked, ${packedFiles.length} files`;
  const installed = run(npm, [
    'install',
    '--global',
    '--prefix',
    prefix,
    '--offline',
    '--no-audit',
    '--no-fund',
    tarball,
  ]);
  assert.equal(installed.status, 0, `npm install -g failed:\n${installed.stdout}\n${installed.stderr}`);
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('carries exactly the bins, the two bundles and the docs', (t) => {
    t.diagnostic(packSummary);
    assert.deepEqual(packedFiles, [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'bin/lm-eval-lens-server.js',
      'bin/lm-eval-lens.js',
      'package.json',
      'server/out/cli.js',
      'server/out/server.js',
    ]);
  });

  it('declares no runtime dependencies (they are bundled)', () => {
    assert.equal(pkg.dependencies, undefined, 'everything the bins need is in the bundles');
    const installedPkg = path.join(prefix, 'lib', 'node_modules', 'lm-eval-lens');
    if (process.platform !== 'win32')
      assert.ok(!fs.existsSync(path.join(installedPkg, 'node_modules')), 'the install pulled in nothing');
  });

  it('lm-eval-lens --version from the global install', () => {
    const r = run(path.join(binDir, 'lm-eval-lens'), ['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('lm-eval-lens check on the examples from the global install', () => {
    const r = run(path.join(binDir, 'lm-eval-lens'), ['check', path.join(repoRoot, 'examples')]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /\[kv-cache-too-small\]/);
    assert.match(r.stdout, /\[float32-weights\]/);
    assert.match(r.stdout, /\d+ errors?, \d+ warnings?, \d+ notes? in \d+ files checked/);
  });

  it('lm-eval-lens-server --stdio answers an LSP initialize and publishes a diagnostic', async () => {
    const server = spawn(path.join(binDir, 'lm-eval-lens-server'), ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (b) => (stderr += String(b)));
    const connection = createMessageConnection(
      new StreamMessageReader(server.stdout),
      new StreamMessageWriter(server.stdin),
    );
    const file = path.join(repoRoot, 'examples', 'long-context-on-l4.sh');
    const uri = pathToFileURL(file).href;
    const diagnostics = new Promise<{ code?: unknown }[]>((resolve) =>
      connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: [] }) => {
        if (p.uri === uri && p.diagnostics.length) resolve(p.diagnostics);
      }),
    );
    connection.listen();
    try {
      const init = (await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
      })) as { serverInfo?: { name: string }; capabilities: { hoverProvider?: boolean } };
      assert.equal(init.serverInfo?.name, 'lm-eval-lens', stderr);
      assert.equal(init.capabilities.hoverProvider, true);
      await connection.sendNotification('initialized', {});
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'shellscript', version: 1, text: fs.readFileSync(file, 'utf8') },
      });
      const published = await diagnostics;
      assert.ok(
        published.some((d) => d.code === 'kv-cache-too-small'),
        JSON.stringify(published),
      );
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      server.kill();
    }
  });

  it('both bins run through npx from the tarball', () => {
    const cli = run(npx, ['--yes', '--offline', '--package', tarball, 'lm-eval-lens', '--version']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(cli.stdout.trim(), pkg.version);
    const server = run(npx, ['--yes', '--offline', '--package', tarball, 'lm-eval-lens-server', '--help']);
    assert.equal(server.status, 0, server.stderr);
    assert.match(server.stdout, /--stdio/);
  });
});
