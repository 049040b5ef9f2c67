// The CLI process: exit status is the contract (0 clean, 1 errors, 2 usage or I/O).
import { main } from './main';

void main(
  process.argv.slice(2),
  (s) => process.stdout.write(s + '\n'),
  (s) => process.stderr.write(s + '\n'),
).then((code) => {
  process.exitCode = code;
});
