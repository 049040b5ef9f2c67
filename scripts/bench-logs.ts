// `npm run bench:logs`: the log reader on a 100 MB crash log, as `lm-eval-lens explain` reads it
// (streamed from the file). The log is a real start-up (a fixture) followed by what makes such logs
// big — tqdm bars rewritten with \r, interleaved ranks' INFO lines, lm-eval's progress, ANSI colours —
// and the failure at the very end. Prints MB/s and the process's peak RSS before and after, and
// checks the failure was found on its line (so the speed is of a reader that works).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diagnoseLog } from '../server/src/logs/diagnose';
import { readLogStream, readLogText } from '../server/src/logs/reader';
import { fixture } from '../test/helpers/paths';
import { testProviders } from '../test/helpers/context';

const TARGET_MB = Number(process.env.BENCH_LOG_MB ?? 100);
const MB = 1e6;

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** A log of about TARGET_MB: the fixture's start-up, then noise, then the fixture's failure. */
function writeBigLog(file: string): { lines: number; failureLine: number } {
  const seed = fs.readFileSync(fixture('logs', 'v0.4-0.6', 'vllm-10325-llama3-8b-mmlu-prompt-logprobs.log'), 'utf8');
  const cut = seed.indexOf('[rank0]: Traceback');
  const head = seed.slice(0, cut);
  const tail = seed.slice(cut);
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let lines = 0;
  const write = (s: string) => {
    fs.writeSync(fd, s);
    bytes += Buffer.byteLength(s);
    // Lines as the reader (and the editor) count them: \n, \r\n and a lone \r.
    lines += s.match(/\r\n|\r|\n/g)?.length ?? 0;
  };
  write(head);
  let step = 0;
  const budget = TARGET_MB * MB - Buffer.byteLength(tail);
  while (bytes < budget) {
    step++;
    // A tqdm bar: 20 updates separated by \r, then a newline.
    let bar = '';
    for (let k = 0; k < 20; k++)
      bar += `Processed prompts:  ${String((k * 5) % 100).padStart(3)}%|${'#'.repeat(k)}${' '.repeat(20 - k)}| ${step * 20 + k}/56168 [00:14<219:12:33, 14.05s/it, est. speed input: 64.46 toks/s, output: 0.07 toks/s]\r`;
    write(`${bar}\n`);
    write(
      `\x1b[0;36m(VllmWorkerProcess pid=${2600 + (step % 8)})\x1b[0;0m INFO 11-14 09:0${step % 10}:11 metrics.py:351] Avg prompt throughput: 7134.2 tokens/s, Avg generation throughput: 2.1 tokens/s, Running: 256 reqs, Swapped: 0 reqs, Pending: 51200 reqs, GPU KV cache usage: 97.3%, CPU KV cache usage: 0.0%.\n`,
    );
    write(`2024-11-14:09:02:31,784 INFO     [evaluator.py:457] Running loglikelihood requests\n`);
    write(`[rank${step % 8}]:[W1114 09:02:31.000000 ProcessGroupNCCL.cpp:4115] Warning: an ordinary warning line\n`);
  }
  const failureLine = lines + tail.split(/\r\n|\r|\n/).findIndex((l) => l.includes('OutOfMemoryError'));
  write(tail);
  fs.closeSync(fd);
  return { lines, failureLine };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-eval-lens-bench-logs-'));
  const file = path.join(dir, 'slurm-48213.out');
  try {
    const { failureLine } = writeBigLog(file);
    const size = fs.statSync(file).size;
    const rssBefore = peakRssMiB();
    const t0 = performance.now();
    const facts = await readLogStream(fs.createReadStream(file));
    const readMs = performance.now() - t0;
    const d = diagnoseLog(facts, testProviders());
    const totalMs = performance.now() - t0;
    const rssAfter = peakRssMiB();
    const ok = d.code === 'logprobs-spike' && d.failure?.line === failureLine;
    console.log(
      `log: ${(size / MB).toFixed(1)} MB, ${facts.lineCount.toLocaleString('en-US')} lines (tqdm \\r updates counted)`,
    );
    console.log(
      `streamed read (lm-eval-lens explain): ${(readMs / 1000).toFixed(2)} s, ${(size / MB / (readMs / 1000)).toFixed(1)} MB/s`,
    );
    console.log(`read + diagnosis: ${(totalMs / 1000).toFixed(2)} s`);
    console.log(
      `peak RSS: ${rssBefore.toFixed(0)} MiB before, ${rssAfter.toFixed(0)} MiB after (+${(rssAfter - rssBefore).toFixed(0)} MiB for a ${(size / MB).toFixed(0)} MB log)`,
    );
    console.log(
      `failure found: ${d.code} at line ${(d.failure?.line ?? -1) + 1} (expected line ${failureLine + 1}): ${ok ? 'yes' : 'NO'}`,
    );
    // The editor reads the document's text whole (it has it in memory anyway): the same reader on a string.
    const editorMb = Math.min(32, TARGET_MB);
    const text = fs.readFileSync(file, 'utf8').slice(-editorMb * MB);
    const t1 = performance.now();
    readLogText(text);
    const textMs = performance.now() - t1;
    console.log(
      `editor path (a ${editorMb} MB document's text): ${(textMs / 1000).toFixed(2)} s, ${(editorMb / (textMs / 1000)).toFixed(1)} MB/s`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
