// The measurement behind the parser choice (docs/launch-forms.md, "Parser choice"): the hand-written
// shell reader against web-tree-sitter with the bash grammar, on the same cases. Not a dependency:
//   mkdir /tmp/ts && (cd /tmp/ts && npm i web-tree-sitter tree-sitter-bash tree-sitter-python)
//   npx tsc -p tsconfig.test.json && TREE_SITTER_DIR=/tmp/ts node out/scripts/compare-tree-sitter.js
// Prints, per shell fixture of test/fixtures/launches (and the parse fixture hard.sh): the launches
// the fixture marks, those our reader finds on the right lines, the lm-eval/vLLM commands visible as
// `command` nodes of the tree (what a tree walk gets before any expansion, function, `bash -c` or
// here-document logic), and the tree's ERROR nodes; then size, start-up and parse time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { findShellInvocations } from '../server/src/parse/shell';
import { LineIndex } from '../server/src/parse/lineIndex';
import { fixture, repoRoot } from '../test/helpers/paths';
import { generateLaunchScript } from './bench-launches';

interface TsNode {
  type: string;
  text: string;
  startIndex: number;
  childCount: number;
  child(i: number): TsNode | null;
  namedChildren: TsNode[];
}
interface TsModule {
  Parser: { init(): Promise<void>; new (): { setLanguage(l: unknown): void; parse(t: string): { rootNode: TsNode } } };
  Language: { load(path: string): Promise<unknown> };
}

const dir = process.env.TREE_SITTER_DIR ?? process.cwd();
const req = createRequire(path.join(dir, 'package.json'));
/** A file of an installed package, whatever its `exports` allow. */
const pkgFile = (pkg: string, file: string) => path.join(dir, 'node_modules', pkg, file);

function expectedLines(text: string): number[] {
  const out: number[] = [];
  text.split('\n').forEach((l, n) => {
    const times = Number(/@launch(?:-inline)? x(\d+)/.exec(l)?.[1] ?? 1);
    for (let k = 0; k < times; k++) if (l.includes('@launch')) out.push(l.includes('@launch-inline') ? n : n + 1);
  });
  return out;
}

const LAUNCH_WORDS = /^(\S*\/)?(lm_eval|lm-eval)$|^-m$|^serve$/;

/** `command` nodes whose words name lm-eval or a vLLM server, by line. */
function treeLaunchLines(root: TsNode, lines: LineIndex): { launches: number[]; errors: number } {
  const launches: number[] = [];
  let errors = 0;
  const walk = (n: TsNode) => {
    if (n.type === 'ERROR') errors++;
    if (n.type === 'command') {
      const words = n.namedChildren.map((c) => c.text.replace(/^["']|["']$/g, ''));
      const flat = words.join(' ');
      if (
        words.some((w) => LAUNCH_WORDS.test(w) && w !== '-m' && w !== 'serve') ||
        /-m lm_eval\b|vllm serve\b|vllm\.entrypoints/.test(flat)
      )
        launches.push(lines.lineOf(n.startIndex));
    }
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i);
      if (c) walk(c);
    }
  };
  walk(root);
  return { launches, errors };
}

async function child(mode: string): Promise<void> {
  // Start-up: from nothing to the first launch found (ours) / the first tree (tree-sitter).
  const sample = 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen2.5-7B-Instruct --tasks gsm8k\n';
  const t0 = performance.now();
  if (mode === 'ours') {
    const { findShellInvocations: find } = require(path.join(repoRoot, 'out/server/src/parse/shell.js'));
    find(sample);
  } else {
    const ts = req('web-tree-sitter') as TsModule;
    await ts.Parser.init();
    const bash = await ts.Language.load(pkgFile('tree-sitter-bash', 'tree-sitter-bash.wasm'));
    await ts.Language.load(pkgFile('tree-sitter-python', 'tree-sitter-python.wasm'));
    const p = new ts.Parser();
    p.setLanguage(bash);
    p.parse(sample);
  }
  process.stdout.write(String(performance.now() - t0));
}

async function main(): Promise<void> {
  const mode = process.argv[process.argv.indexOf('--child') + 1];
  if (process.argv.includes('--child')) return child(mode);
  let ts: TsModule;
  try {
    ts = req('web-tree-sitter') as TsModule;
  } catch {
    console.log(`web-tree-sitter is not installed under ${dir}: see the header of this script.`);
    return;
  }
  await ts.Parser.init();
  const bash = await ts.Language.load(pkgFile('tree-sitter-bash', 'tree-sitter-bash.wasm'));
  const parser = new ts.Parser();
  parser.setLanguage(bash);

  const files = [
    ...fs
      .readdirSync(fixture('launches'))
      .filter((f) => f.endsWith('.sh'))
      .map((f) => fixture('launches', f)),
  ];
  console.log('fixture                          marked  ours-on-line  tree-commands  tree-ERROR-nodes');
  let marked = 0;
  let ours = 0;
  let tree = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const lines = new LineIndex(text);
    const want = expectedLines(text);
    const got = findShellInvocations(text).map((i) => lines.lineOf(i.range.start));
    const oursOk = want.filter((l) => got.includes(l)).length;
    const t = treeLaunchLines(parser.parse(text).rootNode, lines);
    const treeOk = want.filter((l) => t.launches.includes(l)).length;
    marked += want.length;
    ours += oursOk;
    tree += treeOk;
    console.log(
      `${path.basename(file).padEnd(32)} ${String(want.length).padEnd(7)} ${String(oursOk).padEnd(13)} ${String(treeOk).padEnd(14)} ${t.errors}`,
    );
  }
  console.log(`${'total'.padEnd(32)} ${String(marked).padEnd(7)} ${String(ours).padEnd(13)} ${tree}`);

  const big = generateLaunchScript(50000);
  const median = (f: () => void) => {
    const xs: number[] = [];
    for (let k = 0; k < 5; k++) {
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      xs.push((c.user + c.system) / 1000);
    }
    return xs.sort((a, b) => a - b)[2];
  };
  const oursMs = median(() => findShellInvocations(big));
  const treeMs = median(() => parser.parse(big));
  console.log(
    `\n50,000-line script (CPU ms, median of 5): our reader (launches with every value decoded) ${oursMs.toFixed(0)}; tree-sitter parse alone (a tree, no values) ${treeMs.toFixed(0)}`,
  );

  const size = (f: string) => {
    const b = fs.readFileSync(f);
    return { raw: b.length, deflated: zlib.deflateRawSync(b, { level: 9 }).length };
  };
  const tsFiles = [
    pkgFile('web-tree-sitter', 'web-tree-sitter.wasm'),
    pkgFile('web-tree-sitter', 'web-tree-sitter.cjs'),
    pkgFile('tree-sitter-bash', 'tree-sitter-bash.wasm'),
    pkgFile('tree-sitter-python', 'tree-sitter-python.wasm'),
  ].map(size);
  const serverBundle = path.join(repoRoot, 'server/out/server.js');
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  const sum = (k: 'raw' | 'deflated') => tsFiles.reduce((a, b) => a + b[k], 0);
  if (fs.existsSync(serverBundle)) {
    const s = size(serverBundle);
    console.log(
      `size: tree-sitter runtime + bash + python grammars ${kb(sum('raw'))} (${kb(sum('deflated'))} compressed, as in a .vsix) against the whole server bundle ${kb(s.raw)} (${kb(s.deflated)})`,
    );
  }
  const startup = (m: string) => {
    const xs: number[] = [];
    for (let k = 0; k < 5; k++) {
      const r = spawnSync(process.execPath, [__filename, '--child', m], { encoding: 'utf8', env: process.env });
      xs.push(Number(r.stdout));
    }
    return xs.sort((a, b) => a - b)[2];
  };
  console.log(
    `start-up to the first result (ms, median of 5 fresh processes): our reader ${startup('ours').toFixed(1)}; tree-sitter init + both grammars ${startup('tree').toFixed(1)}`,
  );
}

void main();
