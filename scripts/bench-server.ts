// `npm run bench:server`: the built language server under load, over stdio.
// 1) 5,000 documents opened and closed: server RSS before, after, and after a second round
//    (bounded memory = the second round does not grow it much).
// 2) A burst of 1,000 didChange notifications: time until the final diagnostics, and whether they
//    match the final text.
import * as os from 'node:os';
import * as path from 'node:path';
import { fileUri, startServer } from '../test/lsp/lspClient';

function rssMiB(pid: number): number {
  try {
    const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function main() {
  const s = await startServer({ settings: { gpu: 'A100-80GB' }, trusted: false });
  const pid = s.process.pid!;
  const doc = (i: number) =>
    `# lm-eval-lens: gpu=L4\nlm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float,max_model_len=${1024 + i} --tasks mmlu\n`;
  // Open 5,000 documents at once, wait until every one has its diagnostics, then close them all.
  const round = async (tag: string) => {
    const t0 = performance.now();
    const uris = Array.from({ length: 5000 }, (_, i) => fileUri(path.join(os.tmpdir(), `bench-${tag}-${i}.sh`)));
    const published = Promise.all(uris.map((uri) => s.nextDiagnostics(uri, () => true, 600_000)));
    for (const [i, uri] of uris.entries()) {
      await s.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'shellscript', version: 1, text: doc(i) },
      });
    }
    await published;
    for (const uri of uris) await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    return (performance.now() - t0) / 1000;
  };
  const before = rssMiB(pid);
  const t1 = await round('a');
  const afterFirst = rssMiB(pid);
  const t2 = await round('b');
  const afterSecond = rssMiB(pid);
  console.log(`open/close 5,000 documents: ${t1.toFixed(1)} s, then again ${t2.toFixed(1)} s`);
  console.log(
    `server RSS: ${before.toFixed(0)} MiB at start, ${afterFirst.toFixed(0)} MiB after 5,000, ${afterSecond.toFixed(0)} MiB after 10,000`,
  );

  const uri = fileUri(path.join(os.tmpdir(), 'bench-burst.sh'));
  await s.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'shellscript', version: 1, text: '' },
  });
  const t0 = performance.now();
  let final: Promise<{ code?: unknown }[]> = Promise.resolve([]);
  for (let v = 2; v <= 1001; v++) {
    const text = v === 1001 ? doc(0) : `lm_eval --model vllm --model_args pretrained=x,,${v}\n`;
    if (v === 1001) final = s.nextDiagnostics(uri, (d) => !d.some((x) => x.code === 'model-args-syntax'));
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ text }],
    });
  }
  const diags = await final;
  console.log(
    `1,000 didChange burst: final diagnostics after ${(performance.now() - t0).toFixed(0)} ms: ${diags.map((d) => d.code).join(', ')}`,
  );
  await s.close();
}

void main();
