// Recipe B: install the packaged .vsix into a fresh code-server profile and drive the workbench like
// a user: the squiggle and Problems entry, the hover breakdown, the quick-fix menu (applied), the
// grammar's tokens, a crash log's diagnosis, hover and fix to its launching script (crash-log.png,
// crash-log-fix.png), the language status item following a GPU picked with lmEvalLens.selectGpu, and
// the code lens "Fits on: …" opening the "Which GPU fits?" table (gpu-table.png, memory-bar.png).
// Screenshots go to the artifacts folder. The DOM selectors are those of VS Code 1.139 (code-server 4.139.1).
// Usage: node ui-smoke.mjs <vsix> <workspaceFolder> <artifactsDir>
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser, requireEnv, startCodeServer, writeUserSettings } from './codeServer.mjs';

const [vsix, workspace, artifacts] = process.argv.slice(2);
if (!vsix || !workspace || !artifacts) {
  console.error('usage: ui-smoke.mjs <vsix> <workspaceFolder> <artifactsDir>');
  process.exit(2);
}
const SEED = 'seed-qwen1.5-4b.sh';
const NO_DIRECTIVE = 'gpu-from-settings.sh';
const L4_SCRIPT = 'long-context-on-l4.sh';
const CRASH_LOG = 'qwen1.5-4b-mmlu.out';
const FIGURES_LOG = 'qwen2.5-7b-bnb-rtx4060.out';
const WAIT_MS = 60_000;
// A script whose GPU comes from settings (a `# lm-eval-lens: gpu=` directive would win over them).
fs.writeFileSync(
  path.join(workspace, NO_DIRECTIVE),
  fs.readFileSync(path.join(workspace, 'long-context-on-l4.sh'), 'utf8').replace(/^# lm-eval-lens:.*\n/m, ''),
);

const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-ui-'));
const userDataDir = path.join(profileDir, 'user-data');
const extensionsDir = path.join(profileDir, 'extensions');
writeUserSettings(userDataDir, { 'editor.hover.delay': 200, 'workbench.colorTheme': 'Default Dark Modern' });
const logFile = path.join(artifacts, 'ui-code-server.log');

const t0 = Date.now();
const say = (msg) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

const install = spawnSync(
  requireEnv('CODE_SERVER', 'run scripts/e2e/setup.sh and source $LENS_E2E_HOME/env.sh'),
  [
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--config',
    path.join(profileDir, 'config.yaml'),
    '--install-extension',
    path.resolve(vsix),
  ],
  {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` },
  },
);
if (install.status !== 0 || !/successfully installed/i.test(install.stdout)) {
  console.error(`[ui] installing ${vsix} failed:\n${install.stdout}\n${install.stderr}`);
  process.exit(1);
}
say(`installed ${path.basename(vsix)} into a fresh profile`);

let server;
let browser;
let page;
try {
  server = await startCodeServer({ profileDir, userDataDir, extensionsDir, logFile });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${server.base}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: WAIT_MS });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: WAIT_MS });
  say('workbench loaded');

  // 1. squiggle + Problems
  await openFromExplorer(SEED);
  const modelArgsLine = page.locator('.monaco-editor .view-line', { hasText: 'pretrained=Qwen' }).first();
  await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: WAIT_MS });
  // The code lens above the launch shifts the lines when it appears: wait for it before clicking text.
  await page
    .locator('.monaco-editor .codelens-decoration', { hasText: 'Fits on:' })
    .first()
    .waitFor({ timeout: WAIT_MS });
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'float32' }).first().waitFor({ timeout: WAIT_MS });
  await page.screenshot({ path: path.join(artifacts, 'squiggle.png') });
  say('float32-weights squiggle and Problems entry: squiggle.png');

  // 2. the injection grammar splits model_args into key / = / value tokens
  const tokens = await modelArgsLine.locator('span > span').allTextContents();
  for (const t of ['pretrained', '=', 'Qwen/Qwen1.5-4B', 'dtype', 'float', '0.6']) {
    if (!tokens.includes(t))
      throw new Error(`the grammar did not tokenize "${t}" on its own; tokens: ${JSON.stringify(tokens)}`);
  }
  say(
    `model_args tokens: ${tokens
      .filter((t) => t.trim())
      .slice(0, 8)
      .join(' ')} ...`,
  );

  // 3. hover with the memory breakdown
  await hoverOver(modelArgsLine.locator('span > span', { hasText: /^pretrained$/ }).first());
  const hover = page.locator('.monaco-hover:visible', { hasText: 'GiB' }).first();
  await hover.waitFor({ timeout: WAIT_MS });
  const hoverText = (await hover.textContent()) ?? '';
  for (const needle of ['Weights', 'GiB', 'A100-80GB'])
    if (!hoverText.includes(needle)) throw new Error(`hover lacks "${needle}": ${hoverText}`);
  await page.screenshot({ path: path.join(artifacts, 'hover.png') });
  say('hover with the GiB breakdown: hover.png');

  // 4. quick-fix menu: the preferred fix and the refactoring, then apply the fix
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  // Ctrl+. is sometimes swallowed while the workbench settles (the light bulb shows, no menu opens:
  // seen twice on a loaded machine); the server's answer itself is checked by the extension-host
  // suites. So the keystroke is tried up to three times, each attempt said.
  const menu = page.locator('.action-widget', { hasText: 'Set dtype=auto' }).first();
  for (let attempt = 1; ; attempt++) {
    await modelArgsLine
      .locator('span > span', { hasText: /^float$/ })
      .first()
      .click();
    await page.keyboard.press('Control+.');
    try {
      await menu.waitFor({ timeout: attempt < 3 ? 15_000 : WAIT_MS });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      say(`quick-fix menu not shown after Ctrl+. (attempt ${attempt}); trying again`);
      await page.keyboard.press('Escape');
    }
  }
  await page.locator('.action-widget', { hasText: 'Add enforce_eager=True' }).first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: path.join(artifacts, 'quickfix.png') });
  say('quick-fix menu: quickfix.png');
  await menu.getByText('Set dtype=auto').first().click();
  await page.locator('.monaco-editor .view-line', { hasText: 'dtype=auto' }).first().waitFor({ timeout: WAIT_MS });
  await page
    .locator('.markers-panel .monaco-list-row', { hasText: 'float32' })
    .first()
    .waitFor({ state: 'detached', timeout: WAIT_MS });
  say('fix applied: dtype=auto, and the float32-weights problem is gone');

  // 5. crash logs: the diagnosis on the failure line, the hover with the logged-vs-predicted table
  //    (logs/qwen2.5-7b-bnb-rtx4060.out logs the figures), and the quick fix that edits the script that
  //    launched the run (logs/qwen1.5-4b-mmlu.out, the seed's crash)
  await page.keyboard.press('Escape');
  await page
    .locator('.explorer-folders-view .monaco-list-row', { hasText: /^logs$/ })
    .first()
    .click();
  // A taller window for this step: the hover holds the table.
  await page.setViewportSize({ width: 1400, height: 1300 });
  await openFromExplorer(FIGURES_LOG);
  await revealProblem('weights-exceed-budget');
  const noKvLine = page.locator('.monaco-editor .view-line', { hasText: 'ValueError: No available memory' }).first();
  await noKvLine.waitFor({ timeout: WAIT_MS });
  const logHover = page.locator('.monaco-hover:visible', { hasText: 'Memory model vs this log' }).first();
  // Hover the words of the failure line until the hover shows (the click on the problem leaves the
  // mouse elsewhere; a first move may land before the editor has laid the line out).
  for (let attempt = 0; ; attempt++) {
    await page.mouse.move(5, 5);
    await hoverOver(noKvLine.locator('span > span', { hasText: /memory/ }).first());
    try {
      await logHover.waitFor({ timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
  const logHoverText = (await logHover.textContent()) ?? '';
  for (const needle of ['gpu_memory_utilization', 'logged', 'predicted', 'Weights', '5.20'])
    if (!logHoverText.includes(needle)) throw new Error(`the log hover lacks "${needle}": ${logHoverText}`);
  // The hover scrolls: bring the table into view (the mouse on the hover keeps it open).
  const hoverBox = await logHover.boundingBox();
  if (hoverBox) {
    await page.mouse.move(hoverBox.x + hoverBox.width / 2, hoverBox.y + hoverBox.height / 2, { steps: 4 });
    await logHover
      .locator('table')
      .first()
      .scrollIntoViewIfNeeded()
      .catch(() => {});
  }
  await page.screenshot({ path: path.join(artifacts, 'crash-log.png') });
  say('crash log: weights-exceed-budget on the failure line, the logged-vs-predicted hover: crash-log.png');
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');

  await openFromExplorer(CRASH_LOG);
  await revealProblem('cuda-graph-headroom');
  const failureLine = page.locator('.monaco-editor .view-line', { hasText: 'OutOfMemoryError' }).first();
  await failureLine.waitFor({ timeout: WAIT_MS });
  await failureLine.click();
  await page.keyboard.press('Control+.');
  const applyFix = page.locator('.action-widget', { hasText: `in ${SEED}` }).first();
  await applyFix.waitFor({ timeout: WAIT_MS });
  await page.screenshot({ path: path.join(artifacts, 'crash-log-fix.png') });
  await applyFix.getByText(`in ${SEED}`).first().click();
  await page.setViewportSize({ width: 1400, height: 900 });
  await openFromExplorer(SEED);
  await page
    .locator('.monaco-editor .view-line', { hasText: 'enforce_eager=True' })
    .first()
    .waitFor({ timeout: WAIT_MS });
  say(`the fix applied to the launching script ${SEED}: crash-log-fix.png`);

  // 6. language status item: default GPU, then L4 picked through the lmEvalLens.selectGpu command
  await openFromExplorer(NO_DIRECTIVE);
  await waitForStatus(/A100-80GB · vLLM/);
  await page.keyboard.press('F1');
  await page.keyboard.type('Select GPU for memory estimates');
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: 'Select GPU for memory estimates' })
    .first()
    .waitFor({ timeout: WAIT_MS });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: /^L4/ }).first().waitFor({ timeout: WAIT_MS });
  await page.keyboard.type('L4');
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: /^L4/ })
    .first()
    .waitFor({ timeout: WAIT_MS });
  await page.keyboard.press('Enter');
  await waitForStatus(/\bL4 · vLLM/);
  await page.screenshot({ path: path.join(artifacts, 'status.png') });
  say('language status follows the GPU picked with lmEvalLens.selectGpu (L4): status.png');

  // 7. the code lens "Fits on: …" opens "Which GPU fits?": the table and the stacked bar
  await openFromExplorer(L4_SCRIPT);
  const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Fits on:' }).first();
  await lens.waitFor({ timeout: WAIT_MS });
  say(`code lens: ${await lens.textContent()}`);
  await lens.click();
  // The webview nests the page in two iframes; the page itself is static HTML and SVG.
  const webview = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await webview.locator('h1', { hasText: 'Which GPU fits?' }).waitFor({ timeout: WAIT_MS });
  const rows = await webview.locator('tbody tr').count();
  if (rows < 10) throw new Error(`the GPU table has ${rows} rows`);
  // Room for the picture: the editor group maximized, side bars and panel closed.
  await runCommand('View: Maximize Editor Group and Hide Side Bars');
  await runCommand('View: Hide Panel');
  await webview.locator('svg.bar').first().waitFor({ timeout: WAIT_MS });
  await page.screenshot({ path: path.join(artifacts, 'gpu-table.png') });
  await webview.locator('h2').first().waitFor({ timeout: WAIT_MS });
  const barBox = await webview.locator('svg.bar').first().boundingBox();
  const legendBox = await webview.locator('.legend').first().boundingBox();
  const headBox = await webview.locator('h2').first().boundingBox();
  if (!barBox || !legendBox || !headBox) throw new Error('no stacked bar in the GPU table');
  const top = headBox.y - 8;
  await page.screenshot({
    path: path.join(artifacts, 'memory-bar.png'),
    clip: {
      x: headBox.x - 12,
      y: top,
      width: Math.max(barBox.width, legendBox.width) + 24,
      height: legendBox.y + legendBox.height + 8 - top,
    },
  });
  say(`Which GPU fits? (${rows} GPUs): gpu-table.png, memory-bar.png`);
  say('UI smoke test passed');
  await finish(0);
} catch (err) {
  console.error(`[ui] FAILED: ${err?.stack ?? err}`);
  await page?.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => {});
  console.error(`[ui] screenshot: ${path.join(artifacts, 'failure.png')}; code-server log: ${logFile}`);
  await finish(1);
}

async function finish(code) {
  await browser?.close().catch(() => {});
  server?.stop();
  process.exit(code);
}

/** Runs a command from the command palette by its label. */
async function runCommand(label) {
  await page.keyboard.press('F1');
  await page.keyboard.type(label);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ timeout: WAIT_MS });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** Clicks a Problems entry (it reveals the line in the editor). */
async function revealProblem(text) {
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: WAIT_MS });
  await row.click();
}

async function openFromExplorer(name) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: WAIT_MS });
}

async function hoverOver(locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('nothing to hover over');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
}

/** Opens the language status flyout ({} in the status bar) until it shows `re`; the item's text is the GPU. */
async function waitForStatus(re) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    await page.locator('[id="status.languageStatus"]').first().click();
    const flyout = page.locator('.monaco-hover:visible, .context-view:visible', { hasText: re }).first();
    try {
      await flyout.waitFor({ timeout: 3_000 });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the language status never showed ${re}`);
      await page.keyboard.press('Escape');
    }
  }
}
