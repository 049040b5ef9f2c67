// Validates every file of an lm-eval tasks folder (default ../shared/corpus/lm-eval-tasks) and prints
// the total time, the per-file cost of our checks next to a bare `yaml` parse of the same text, and
// every finding kind with its count.
//   npx tsc -p tsconfig.test.json && node out/scripts/bench-tasks.js [tasksDir] [--list code]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { classifyYamlDocument } from '../server/src/taskconfig/classify';
import { nodeTaskFileSystem } from '../server/src/node/taskFileSystem';
import { validateTaskConfigWorkspace } from '../server/src/taskconfig/workspace';
import type { Finding } from '../server/src/shared/findings';
import { sharedRoot } from '../test/helpers/paths';

function walk(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
}

export interface CorpusRun {
  files: number;
  taskConfigs: number;
  findings: Map<string, Finding[]>;
  validateMs: number;
  bareParseMs: number;
  readMs: number;
}

export function runCorpus(root: string): CorpusRun {
  const t0 = performance.now();
  const paths: string[] = [];
  walk(root, paths);
  paths.sort();
  const files = paths.map((p) => ({ path: p, text: fs.readFileSync(p, 'utf8') }));
  const readMs = performance.now() - t0;
  const t1 = performance.now();
  for (const f of files) parseDocument(f.text);
  const bareParseMs = performance.now() - t1;
  const t2 = performance.now();
  const configs = files.filter((f) => classifyYamlDocument(f.path, f.text) === 'task-config');
  const findings = validateTaskConfigWorkspace(configs, { fs: nodeTaskFileSystem() });
  const validateMs = performance.now() - t2;
  return { files: files.length, taskConfigs: configs.length, findings, validateMs, bareParseMs, readMs };
}

function main(): void {
  const args = process.argv.slice(2);
  const listIdx = args.indexOf('--list');
  const listCode = listIdx >= 0 ? args[listIdx + 1] : undefined;
  const positional = args.filter((a, i) => !a.startsWith('--') && (listIdx < 0 || i !== listIdx + 1));
  const root = path.resolve(positional[0] ?? path.join(sharedRoot, 'corpus', 'lm-eval-tasks'));
  const run = runCorpus(root);
  // A problem in a shared template is reported to every includer; count each written problem once.
  const unique = new Map<string, { file: string; f: Finding }>();
  for (const [file, list] of run.findings)
    for (const f of list) {
      if (f.related && f.message.startsWith('The included')) continue; // include-line summaries
      const at = f.file ?? file;
      unique.set(`${f.code}|${at}|${f.range.start}|${f.message}`, { file: at, f });
    }
  const counts = new Map<string, number>();
  for (const { f } of unique.values())
    counts.set(`${f.severity} ${f.code}`, (counts.get(`${f.severity} ${f.code}`) ?? 0) + 1);
  const n = run.files;
  console.log(`corpus: ${root}`);
  console.log(`files: ${n} (${run.taskConfigs} checked as task configs), read in ${run.readMs.toFixed(0)} ms`);
  console.log(
    `bare yaml parse : ${run.bareParseMs.toFixed(0)} ms total, ${((run.bareParseMs * 1000) / n).toFixed(0)} µs/file`,
  );
  console.log(
    `lm-eval-lens    : ${run.validateMs.toFixed(0)} ms total, ${((run.validateMs * 1000) / n).toFixed(0)} µs/file  (${(run.validateMs / run.bareParseMs).toFixed(2)}× bare parse)`,
  );
  console.log('findings (each written problem once):');
  for (const [k, v] of [...counts].sort()) console.log(`  ${k.padEnd(36)} ${v}`);
  if (listCode) {
    const rel = (p: string) => path.relative(root, p);
    for (const { file, f } of unique.values()) {
      if (f.code !== listCode) continue;
      const text = fs.readFileSync(file, 'utf8');
      const line = text.slice(0, f.range.start).split('\n').length;
      console.log(`${rel(file)}:${line} ${f.severity} ${f.message}`);
    }
  }
}

if (require.main === module) main();
