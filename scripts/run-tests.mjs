// Runs every compiled `*.test.js` under out/test with Node's test runner. (Given a directory, Node
// 20 would also run every helper module under a `test/` folder as a test file.)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['out/test'];
const files = [];
const walk = (dir) => {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) walk(p);
    else if (ent.name.endsWith('.test.js')) files.push(p);
  }
};
for (const r of roots) fs.statSync(r).isDirectory() ? walk(r) : files.push(r);
files.sort();
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
