// Shared by the e2e runners: start code-server (the VS Code 1.139 server + web workbench) in its own
// process group on a free port, and open its workbench in headless Debian chromium via playwright-core.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

export function requireEnv(name, hint) {
  const v = process.env[name];
  if (!v) {
    console.error(`[e2e] ${name} is not set: ${hint}`);
    process.exit(2);
  }
  return v;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server with a private profile. `vscodeOptions` are passed as `--vscode-option` (e.g.
 * enable-smoke-test-driver, without which the workbench ignores the extension-test payload).
 */
export async function startCodeServer({
  profileDir,
  userDataDir,
  extensionsDir,
  vscodeOptions = [],
  logFile,
  verbose = false,
}) {
  const codeServer = requireEnv('CODE_SERVER', 'run scripts/e2e/setup.sh and source $LENS_E2E_HOME/env.sh');
  const port = Number(process.env.LENS_E2E_PORT) || (await freePort());
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    // without --config, code-server writes ~/.config/code-server/config.yaml on first start
    '--config',
    path.join(profileDir, 'config.yaml'),
    ...vscodeOptions.flatMap((o) => ['--vscode-option', o]),
  ];
  // detached: its own process group, so stop() also ends the file watcher and extension hosts it forks
  // code-server's bin is `#!/usr/bin/env node` and needs the Node 24 the runner runs on
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  const child = spawn(codeServer, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
  const log = logFile ? fs.createWriteStream(logFile) : undefined;
  const forward = (chunk) => {
    log?.write(chunk);
    if (verbose) process.stdout.write(`[code-server] ${chunk}`);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start-up${logFile ? `; see ${logFile}` : ''}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error('code-server did not answer /healthz within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, authority: `127.0.0.1:${port}`, stop };
}

export async function launchBrowser() {
  const executablePath = process.env.CHROME || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(`no chromium at ${executablePath}: run scripts/e2e/setup.sh or set CHROME`);
  // Playwright gives each launch() a fresh temporary browser profile (it rejects --user-data-dir here).
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Offline noise from the workbench (gallery, telemetry, Copilot, GitHub auth) that says nothing about the extension. */
export const OFFLINE_NOISE =
  /Failed to load resource|ERR_NAME_NOT_RESOLVED|ENOTFOUND|AgentHost|agentHost|api\.github\.com|ChatModelSelection|open-vsx|authentication provider|vsda|mobile\.events|copilot|\[Extension Host\] ERR/i;

/** A workbench profile with the AI features off (they add entries to the quick-fix menu) and no welcome page. */
export function writeUserSettings(userDataDir, extra = {}) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'chat.disableAIFeatures': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    ...extra,
  };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}
