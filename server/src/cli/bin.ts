// The CLI process: exit status is the contract (0 clean, 1 errors, 2 usage or I/O).
import type { CliIO } from './command';
import { main } from './main';

const io: CliIO = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
  errRaw: (s) => process.stderr.write(s),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  stdinChunks: () => process.stdin,
};

void main(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
