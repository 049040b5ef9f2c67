// Builds server/src/tasks/builtin-index.json from an lm-eval tasks folder (default: the corpus in
// ../shared/corpus/lm-eval-tasks). The JSON is derived data; the configs themselves are not shipped.
//   npx tsc -p tsconfig.test.json && node out/scripts/build-task-index.js [tasksDir] [--source "lm-eval <commit>"]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeTaskFileSystem } from '../server/src/node/taskFileSystem';
import { buildTaskIndex } from '../server/src/tasks/folderIndex';
import { encodeIndex } from '../server/src/tasks/builtinIndex';
import { repoRoot } from '../test/helpers/paths';

function main(): void {
  const args = process.argv.slice(2);
  const srcIdx = args.indexOf('--source');
  const source = srcIdx >= 0 ? args[srcIdx + 1] : 'lm-evaluation-harness 4e7e0d47 (0.4.13.dev0)';
  const positional = args.filter((a, i) => !a.startsWith('--') && (srcIdx < 0 || i !== srcIdx + 1));
  const repo = repoRoot;
  const root = path.resolve(positional[0] ?? path.join(repo, '..', 'shared', 'corpus', 'lm-eval-tasks'));
  const t0 = performance.now();
  const index = buildTaskIndex(root, nodeTaskFileSystem());
  const encoded = encodeIndex(index, source);
  const json = JSON.stringify(encoded);
  const out = path.join(repo, 'server', 'src', 'tasks', 'builtin-index.json');
  fs.writeFileSync(out, `${json}\n`);
  console.log(`${index.tasks.size} tasks, ${index.groups.size} groups, ${index.tags.size} tags from ${root}`);
  console.log(
    `wrote ${path.relative(repo, out)}: ${(json.length / 1024).toFixed(0)} KiB in ${(performance.now() - t0).toFixed(0)} ms`,
  );
}

main();
