// Entry point of the language server: `--stdio` for any editor, `--node-ipc` as VS Code starts it.
import { isMainThread } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// The bundle is also the launch-parser worker's script (node/launchParser.ts): a worker serves
// parse requests and never starts a server.
if (isMainThread) main();

function main(): void {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write('Usage: lm-eval-lens-server --stdio | --node-ipc | --socket=PORT\n');
    process.exit(0);
  }
  if (
    !process.argv.some(
      (a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'),
    )
  ) {
    process.argv.push('--stdio');
  }
  startServer(createConnection(ProposedFeatures.all));
}
