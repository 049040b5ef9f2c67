// What ships: package the extension with vsce into a temp folder (from whatever bundles the last
// build left; `npm test` builds first) and check the .vsix's size and its exact file list against
// the deny-all .vscodeignore. vsce reads files only; it runs no workspace code.
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { repoRoot } from '../../helpers/paths';

const MAX_VSIX_BYTES = 1024 * 1024;

interface ZipEntry {
  name: string;
  compressedBytes: number;
  uncompressedBytes: number;
  method: number;
  localHeaderOffset: number;
}

/** Reads a zip's central directory (the .vsix is a plain zip without zip64). */
function zipEntries(zip: Buffer): ZipEntry[] {
  const EOCD = 0x06054b50;
  let eocd = -1;
  // the end record sits in the last 22 + 65535 (comment) bytes
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory header at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedBytes: zip.readUInt32LE(at + 20),
      uncompressedBytes: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readEntry(zip: Buffer, e: ZipEntry): Buffer {
  const start =
    e.localHeaderOffset + 30 + zip.readUInt16LE(e.localHeaderOffset + 26) + zip.readUInt16LE(e.localHeaderOffset + 28);
  const data = zip.subarray(start, start + e.compressedBytes);
  return e.method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
}

const ALLOWED: RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  // vsce lower-cases readme.md and changelog.md inside the package
  /^extension\/README\.md$/i,
  /^extension\/LICENSE(\.txt|\.md)?$/i,
  /^extension\/CHANGELOG\.md$/i,
  /^extension\/client\/out\/(extension|languageClient)\.js$/,
  /^extension\/media\/.+/,
  /^extension\/server\/out\/[^/]+\.js$/,
  /^extension\/schemas\/.+/,
  /^extension\/syntaxes\/.+/,
  /^extension\/images\/.+/,
];

let vsixPath = '';
let zip: Buffer;
let entries: ZipEntry[] = [];

before(() => {
  for (const bundle of ['client/out/extension.js', 'server/out/server.js']) {
    assert.ok(
      fs.existsSync(path.join(repoRoot, bundle)),
      `${bundle} is missing: run \`npm run build\` before this test (npm test does)`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-vsix-'));
  vsixPath = path.join(dir, 'lm-eval-lens.vsix');
  const vsce = require.resolve('@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsixPath], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
  zip = fs.readFileSync(vsixPath);
  entries = zipEntries(zip);
});

test(`the .vsix is at most ${MAX_VSIX_BYTES / 1024} KiB`, (t) => {
  const bytes = fs.statSync(vsixPath).size;
  t.diagnostic(`${path.basename(vsixPath)}: ${bytes} bytes, ${entries.length} files`);
  assert.ok(bytes <= MAX_VSIX_BYTES, `${vsixPath} is ${bytes} bytes`);
});

test('the .vsix holds only the bundles, manifest, docs, schemas, grammars and images', () => {
  const unexpected = entries.map((e) => e.name).filter((n) => !ALLOWED.some((re) => re.test(n)));
  assert.deepEqual(unexpected, [], 'files the .vscodeignore should keep out');
  const names = new Set(entries.map((e) => e.name.toLowerCase()));
  for (const required of [
    'extension/package.json',
    'extension/readme.md',
    'extension/changelog.md',
    'extension/client/out/extension.js',
    'extension/server/out/server.js',
  ]) {
    assert.ok(names.has(required), `missing ${required}`);
  }
  assert.ok(
    [...names].some((n) => n.startsWith('extension/license')),
    'missing LICENSE',
  );
  assert.ok(
    ![...names].some((n) => n.endsWith('.map') || n.endsWith('.ts') || n.includes('node_modules/')),
    'no source maps, sources or node_modules',
  );
});

test('every file the packaged manifest points at is inside the .vsix', () => {
  const manifestEntry = entries.find((e) => e.name === 'extension/package.json');
  assert.ok(manifestEntry);
  const manifest = JSON.parse(readEntry(zip, manifestEntry).toString('utf8')) as {
    main: string;
    icon?: string;
    contributes?: {
      grammars?: { path: string }[];
      walkthroughs?: { steps: { media: { markdown?: string; image?: string } }[] }[];
    };
  };
  const names = new Set(entries.map((e) => e.name));
  const inVsix = (p: string) => `extension/${path.posix.normalize(p).replace(/^\.\//, '')}`;
  const referenced = [
    manifest.main,
    ...(manifest.icon ? [manifest.icon] : []),
    ...(manifest.contributes?.grammars ?? []).map((g) => g.path),
    ...(manifest.contributes?.walkthroughs ?? []).flatMap((w) =>
      w.steps.map((step) => step.media.markdown ?? step.media.image ?? ''),
    ),
    // the language client bundle extension.js requires at run time
    'client/out/languageClient.js',
  ];
  for (const p of referenced) assert.ok(names.has(inVsix(p)), `${p} is referenced but not packaged`);
  assert.ok(manifest.icon, 'the manifest names an icon');
});

test('the packaged README and CHANGELOG link issues to the repository they belong to', () => {
  // vsce rewrites a bare " #123" into a link to this project's tracker; references to lm-eval's or
  // vLLM's issues must be written as full links or owner/repo#123.
  for (const name of ['extension/readme.md', 'extension/changelog.md']) {
    const entry = entries.find((e) => e.name.toLowerCase() === name);
    assert.ok(entry, name);
    const text = readEntry(zip, entry).toString('utf8');
    const ownIssues = [...text.matchAll(/\]\((https:\/\/github\.com\/lm-eval-lens\/lm-eval-lens\/issues\/\d+)\)/g)];
    assert.deepEqual(
      ownIssues.map((m) => m[1]),
      [],
      `${name}: links to this project's issues (an lm-eval or vLLM issue number rewritten by vsce?)`,
    );
    if (name.includes('readme'))
      assert.match(text, /\]\(https:\/\/github\.com\/EleutherAI\/lm-evaluation-harness\/issues\/1923\)/);
  }
});

test('the manifest carries what the Marketplace and Open VSX show', () => {
  const manifestEntry = entries.find((e) => e.name === 'extension/package.json');
  assert.ok(manifestEntry);
  const m = JSON.parse(readEntry(zip, manifestEntry).toString('utf8'));
  for (const key of ['publisher', 'name', 'displayName', 'description', 'version', 'license', 'icon', 'categories'])
    assert.ok(m[key], `package.json ${key}`);
  assert.match(m.repository?.url ?? '', /^https:\/\/github\.com\//);
  assert.ok(m.homepage && m.bugs?.url, 'homepage and bugs');
  assert.ok(m.engines?.vscode, 'engines.vscode');
});
