// The e2e suites through @vscode/test-electron's runTests(), as a desktop VS Code runs them.
// With VSCODE_EXECUTABLE_PATH (a desktop `code` binary) it uses that; without one (this machine:
// desktop builds only come from update.code.visualstudio.com) it passes code-shim.sh, which runs
// the same command line in code-server, so the launcher path stays tested.
// Usage: node run-electron.mjs <workspaceFolder>
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const workspace = process.argv[2];
if (!workspace) {
  console.error('usage: run-electron.mjs <workspaceFolder>');
  process.exit(2);
}
const desktop = process.env.VSCODE_EXECUTABLE_PATH;
if (desktop) console.log(`[e2e] desktop VS Code: ${desktop}`);
else
  console.log(
    '[e2e] VSCODE_EXECUTABLE_PATH is not set, so no desktop VS Code runs here; runTests() gets scripts/e2e/code-shim.sh (code-server) instead',
  );
try {
  const code = await runTests({
    vscodeExecutablePath: desktop || path.join(here, 'code-shim.sh'),
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'test', 'e2e', 'out', 'suite', 'index.js'),
    // a desktop VS Code would otherwise load the user's other extensions; the shim ignores the flag
    launchArgs: [workspace, '--disable-extensions'],
    extensionTestsEnv: { LENS_E2E_GREP: process.env.LENS_E2E_GREP ?? '' },
  });
  process.exit(code);
} catch (err) {
  console.error(`[e2e] runTests failed: ${err?.message ?? err}`);
  process.exit(1);
}
