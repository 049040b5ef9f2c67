// The extensionTestsPath module: VS Code's extension host calls run() and reports its outcome
// (code-server through window.codeAutomationExit, desktop VS Code through its exit code).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/**
 * Every report line starts with this tag: code-server forwards the extension host's console into a
 * workbench full of unrelated logging, and the runner prints only the tagged lines.
 */
export const REPORT_TAG = '[lens-e2e]';

class TaggedReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const say = (text: string) => {
      for (const line of text.split('\n')) console.log(`${REPORT_TAG} ${line}`);
    };
    runner.on('suite', (s) => s.title && say(s.title));
    runner.on('pass', (t) => say(`  ✔ ${t.title} (${t.duration ?? 0} ms)`));
    runner.on('fail', (t, err: Error) => say(`  ✘ ${t.title}\n${String(err?.stack ?? err).replace(/^/gm, '      ')}`));
    runner.on('end', () =>
      say(`${this.stats.passes} passing, ${this.stats.failures} failing (${this.stats.duration ?? 0} ms)`),
    );
  }
}

export function run(): Promise<void> {
  // LENS_E2E_GREP narrows the run (`LENS_E2E_GREP=hover npm run test:e2e`); it reaches the
  // extension host because code-server forks it with the server's environment.
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 60_000,
    reporter: TaggedReporter,
    grep: process.env.LENS_E2E_GREP || undefined,
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) =>
        failures > 0 ? reject(new Error(`${failures} lm-eval-lens e2e test(s) failed`)) : resolve(),
      );
    } catch (err) {
      reject(err);
    }
  });
}
