// Part of `npm run build`: npm links the bins of dependencies into node_modules/.bin but not the
// package's own, so link `lm-eval-lens` and `lm-eval-lens-server` there too (`npx lm-eval-lens` in a
// checkout then runs this checkout). Not a `prepare` script: npm would list that as an install
// script of the published package.
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const binDir = path.join(root, 'node_modules', '.bin');
if (fs.existsSync(path.join(root, 'node_modules'))) {
  fs.mkdirSync(binDir, { recursive: true });
  for (const [name, target] of Object.entries(pkg.bin ?? {})) {
    const link = path.join(binDir, name);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.relative(binDir, path.join(root, target)), link);
  }
}
