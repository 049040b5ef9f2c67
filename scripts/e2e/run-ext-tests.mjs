// Runs a mocha suite (an extensionTestsPath module) inside code-server's Node extension host and
// exits with its result: 0 pass, 1 fail, 124 timeout, 2 set-up problem.
//
//   node run-ext-tests.mjs <extensionDevelopmentPath> <extensionTestsPath> <workspaceFolder>
//   node run-ext-tests.mjs [workspaceFolder] --extensionDevelopmentPath=D --extensionTestsPath=T [--user-data-dir=U] [--extensions-dir=E] [...]
//
// The second form is the command line @vscode/test-electron's runTests() gives `vscodeExecutablePath`,
// so code-shim.sh (which execs this) can stand in for a desktop VS Code. Other VS Code flags are ignored.
// How: the built workbench honours ?payload=[["extensionDevelopmentPath",..],["extensionTestsPath",..]]
// only when the server runs with enable-smoke-test-driver; it then calls window.codeAutomationExit(code).
// Env: CODE_SERVER, CHROME, LENS_E2E_TIMEOUT_MS (default 240000), LENS_E2E_VERBOSE=1, LENS_E2E_PORT.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { OFFLINE_NOISE, launchBrowser, startCodeServer, writeUserSettings } from './codeServer.mjs';

const flags = new Map();
const positional = [];
for (const a of process.argv.slice(2)) {
  const m = /^--([^=]+)=(.*)$/s.exec(a);
  if (m) flags.set(m[1], [...(flags.get(m[1]) ?? []), m[2]]);
  else if (!a.startsWith('--')) positional.push(a);
}
let devPaths = flags.get('extensionDevelopmentPath') ?? [];
let testsPath = flags.get('extensionTestsPath')?.[0];
let folder = positional[0];
if (!testsPath && positional.length === 3)
  [devPaths, testsPath, folder] = [[positional[0]], positional[1], positional[2]];
if (!testsPath || !devPaths.length) {
  console.error('usage: run-ext-tests.mjs <extensionDevelopmentPath> <extensionTestsPath> <workspaceFolder>');
  process.exit(2);
}
devPaths = devPaths.map((p) => path.resolve(p));
testsPath = path.resolve(testsPath);
folder = folder && path.resolve(folder);

const verbose = !!process.env.LENS_E2E_VERBOSE;
/** The tag test/e2e/suite/index.ts puts on its report lines. */
const REPORT_TAG = '[lens-e2e]';
const timeoutMs = Number(process.env.LENS_E2E_TIMEOUT_MS) || 240_000;
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-e2e-'));
const userDataDir = flags.get('user-data-dir')?.[0] ?? path.join(profileDir, 'user-data');
const extensionsDir = flags.get('extensions-dir')?.[0] ?? path.join(profileDir, 'extensions');
writeUserSettings(userDataDir);
const logFile = path.join(profileDir, 'code-server.log');

let server;
let browser;
const finish = async (code, why) => {
  if (why) console.log(`[e2e] ${why}`);
  clearTimeout(timer);
  await browser?.close().catch(() => {});
  server?.stop();
  if (code !== 0) console.log(`[e2e] code-server log: ${logFile}`);
  process.exit(code);
};
const timer = setTimeout(
  () => void finish(124, `no result after ${timeoutMs} ms (is enable-smoke-test-driver honoured?)`),
  timeoutMs,
);

try {
  server = await startCodeServer({
    profileDir,
    userDataDir,
    extensionsDir,
    vscodeOptions: ['enable-smoke-test-driver'],
    logFile,
    verbose,
  });
  const remote = (p) => `vscode-remote://${server.authority}${p}`;
  const payload = [
    ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(testsPath)],
  ];
  const query = `${folder ? `folder=${encodeURIComponent(folder)}` : 'ew=true'}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  browser = await launchBrowser();
  const page = await browser.newPage();
  await page.exposeFunction(
    'codeAutomationExit',
    (code) => void finish(Number(code) || 0, `extension tests finished, exit code ${code}`),
  );
  // The extension host's console (mocha's reporter) is forwarded to the page console.
  page.on('console', async (msg) => {
    let text;
    try {
      text = util.format(...(await Promise.all(msg.args().map((a) => a.jsonValue()))));
    } catch {
      text = msg.text();
    }
    text = text
      .replace(/%c/g, '')
      .replace(/color: #[0-9a-f]{3,6};?\s*/gi, '')
      .replace(/font-weight: \w+;?\s*/g, '');
    if (verbose) return console.log(text);
    // the suite's report lines, and errors that name the extension (a failed activation, say)
    const at = text.indexOf(REPORT_TAG);
    if (at >= 0) console.log(text.slice(at + REPORT_TAG.length + 1));
    else if (msg.type() === 'error' && /lm-eval-lens|lmEvalLens/.test(text) && !OFFLINE_NOISE.test(text))
      console.log(text.slice(0, 2000));
  });
  await page.goto(`${server.base}/?${query}`);
} catch (err) {
  await finish(2, `set-up failed: ${err?.stack ?? err}`);
}
