// Where tests find the repository and the shared reference material, whether they run from
// TypeScript sources or from the compiled `out/` tree.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    // package-lock.json, not package.json: tsc copies package.json into out/ (the CLI imports it).
    if (fs.existsSync(path.join(dir, 'package-lock.json')) && fs.existsSync(path.join(dir, 'server'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${start}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot(__dirname);
/** `../shared` beside the checkout: the lm-eval task corpus, reference notes and vLLM log data. */
export const sharedRoot = path.resolve(repoRoot, '..', 'shared');
export const fixturesRoot = path.join(repoRoot, 'test', 'fixtures');

/**
 * For node:test's `skip`: false when `../shared/<parts>` exists, else the reason the test cannot run
 * (a clone without the shared reference folder beside it still passes `npm test`, and says why).
 */
export function needsShared(...parts: string[]): string | false {
  const p = path.join(sharedRoot, ...parts);
  return fs.existsSync(p) ? false : `needs ../shared/${parts.join('/')} beside the checkout (not at ${p})`;
}

export function fixture(...parts: string[]): string {
  return path.join(fixturesRoot, ...parts);
}

export function readFixture(...parts: string[]): string {
  return fs.readFileSync(fixture(...parts), 'utf8');
}
