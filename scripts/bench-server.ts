// `npm run bench:server`: the built language server over stdio, next to Red Hat's
// yaml-language-server on the same files (issue #18). One run prints:
//  1. time to first diagnostics of a task config in a one-file workspace and in the lm-eval task
//     folder (../shared/corpus/lm-eval-tasks, 14,000 files), median of 3, their ratio, and the same
//     for yaml-language-server (with lm-eval-lens's task-config schema, as the extension sets it up);
//  2. opening 200 task configs in that folder: wall time, server CPU, peak RSS, for both servers;
//  3. per-keystroke latency (didChange → diagnostics, debounce included) p50/p99, both servers;
//  4. per-edit task-YAML analysis without debounce, in process: lm-eval-lens's analysis (with the
//     folder's 13,000-name index as the editor has it) against yaml-language-server's doValidation;
//  5. hover p50/p99 in the big workspace;
//  6. a 3.9 MB script with 2,600 launches: latency of a cancelled hover, and of hovers on another
//     file while it is analysed;
//  7. analysis time over scripts of 1k, 10k and 50k lines (bench-launches' generator, fresh processes);
//  8. a 1,000-edit didChange burst and 2 × 2,000 documents opened and closed (bounded memory).
// `node out/scripts/bench-server.js 6 7` runs only the sections named. Timings depend on the machine and its load: compare the ratios, and run it on an idle machine.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeFactProviders } from '../server/src/node/providers';
import { nodeTaskFileSystem } from '../server/src/node/taskFileSystem';
import { statFile } from '../server/src/node/taskIndexStore';
import { analyzeDocument, type ServiceContext } from '../server/src/service/analyze';
import { normalizeSettings } from '../server/src/shared/settings';
import { TaskIndexService } from '../server/src/tasks';
import { repoRoot, sharedRoot } from '../test/helpers/paths';
import { fileUri, startServer, type LspSession, type StartOptions } from '../test/lsp/lspClient';

const CORPUS = path.join(sharedRoot, 'corpus', 'lm-eval-tasks');
const TARGET_REL = path.join('arc', 'arc_easy.yaml');
const SCHEMA = path.join(repoRoot, 'schemas', 'task-config.schema.json');
const PEER_BIN = path.join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const DEBOUNCE_MS = { ours: 150, peer: 200 };

// ---------------------------------------------------------------------------------------------------
// Small helpers.

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : Number.NaN;
};
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : Number.NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : 'n/a');
const mib = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} MiB` : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'n/a');
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** Linux /proc figures of a process: current and peak RSS, CPU seconds. NaN elsewhere. */
function proc(pid: number): { rssMiB: number; peakMiB: number; cpuS: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return {
      rssMiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024,
      peakMiB: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024,
      cpuS: ticks / 100,
    };
  } catch {
    return { rssMiB: Number.NaN, peakMiB: Number.NaN, cpuS: Number.NaN };
  }
}

type Which = 'ours' | 'peer';

/** yaml-language-server set up as the extension sets it up: our schema for task configs, `!function`. */
const peerSettings = {
  yaml: {
    validate: true,
    hover: true,
    completion: true,
    customTags: ['!function scalar'],
    schemas: { [fileUri(SCHEMA)]: ['*.yaml'] },
  },
};

async function start(which: Which, rootPath?: string, extra: { storagePath?: string } = {}): Promise<LspSession> {
  if (which === 'ours')
    return startServer(
      { settings: {}, ...extra },
      { window: { workDoneProgress: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      { rootPath },
    );
  const opts: StartOptions = {
    rootPath,
    command: [process.execPath, PEER_BIN, '--stdio'],
    configuration: (items) =>
      items.map((i) => (i.section ? (peerSettings as Record<string, unknown>)[i.section] : peerSettings)),
  };
  const s = await startServer({}, { workspace: { configuration: true } }, opts);
  await s.connection.sendNotification('workspace/didChangeConfiguration', { settings: peerSettings });
  return s;
}

function published(s: LspSession, uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true) {
  return s.next<PublishDiagnosticsParams>(
    'textDocument/publishDiagnostics',
    (p) => p.uri === uri && accept(p),
    120_000,
  );
}

async function open(s: LspSession, file: string, text = fs.readFileSync(file, 'utf8'), version = 1): Promise<void> {
  await s.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: fileUri(file), languageId: /\.ya?ml$/.test(file) ? 'yaml' : 'shellscript', version, text },
  });
}

/** didOpen → first publishDiagnostics, in a fresh server. */
async function firstDiagnostics(which: Which, rootPath: string, file: string): Promise<number> {
  const storagePath = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-storage-'));
  const s = await start(which, rootPath, { storagePath });
  try {
    const first = published(s, fileUri(file));
    const t0 = performance.now();
    await open(s, file);
    await first;
    return performance.now() - t0;
  } finally {
    await s.close();
    fs.rmSync(storagePath, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// 1. First diagnostics.

async function benchFirstDiagnostics(): Promise<void> {
  const target = path.join(CORPUS, TARGET_REL);
  const oneDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-one-'));
  const oneFile = path.join(oneDir, path.basename(target));
  fs.copyFileSync(target, oneFile);
  const runs: Record<string, number[]> = { oursOne: [], oursBig: [], peerOne: [], peerBig: [] };
  for (let i = 0; i < 3; i++) {
    runs.oursOne.push(await firstDiagnostics('ours', oneDir, oneFile));
    runs.oursBig.push(await firstDiagnostics('ours', CORPUS, target));
    runs.peerOne.push(await firstDiagnostics('peer', oneDir, oneFile));
    runs.peerBig.push(await firstDiagnostics('peer', CORPUS, target));
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  console.log(`\n1. First diagnostics of ${TARGET_REL.split(path.sep).join('/')} (median of 3, fresh server each)`);
  console.log(`                        one-file workspace   14,000-file workspace   ratio`);
  console.log(
    `   lm-eval-lens         ${ms(m.oursOne).padEnd(20)} ${ms(m.oursBig).padEnd(23)} ${ratio(m.oursBig, m.oursOne)}`,
  );
  console.log(
    `   yaml-language-server ${ms(m.peerOne).padEnd(20)} ${ms(m.peerBig).padEnd(23)} ${ratio(m.peerBig, m.peerOne)}`,
  );
  console.log(`   lm-eval-lens / yaml-language-server in the 14,000-file workspace: ${ratio(m.oursBig, m.peerBig)}`);
  console.log(
    `   (runs: ${Object.entries(runs)
      .map(([k, v]) => `${k} ${v.map((x) => x.toFixed(0)).join('/')}`)
      .join(', ')})`,
  );
  fs.rmSync(oneDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------
// 2. Opening 200 configs in the 14,000-file workspace; 3. keystrokes; 5. hovers.

function sampleConfigs(n: number): string[] {
  const all: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.yaml')) all.push(p);
    }
  };
  walk(CORPUS);
  const step = all.length / n;
  return Array.from({ length: n }, (_, i) => all[Math.floor(i * step)]);
}

async function benchWorkspace(which: Which): Promise<{
  open200: { wallMs: number; cpuS: number; peakMiB: number; indexMs?: number };
  keystrokes: number[];
  hovers: number[];
}> {
  const storagePath = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-bench-storage-'));
  const s = await start(which, CORPUS, { storagePath });
  const pid = s.process.pid!;
  try {
    // Open 200 configs at once; wait until each has diagnostics.
    const files = sampleConfigs(200);
    const cpu0 = proc(pid).cpuS;
    const t0 = performance.now();
    const indexReady =
      which === 'ours'
        ? s.next<{ message: string }>(
            'window/logMessage',
            (p) => p.message.startsWith(`task index of ${CORPUS}`),
            600_000,
          )
        : undefined;
    const all = Promise.all(files.map((f) => published(s, fileUri(f))));
    for (const f of files) await open(s, f);
    await all;
    const wallMs = performance.now() - t0;
    let indexMs: number | undefined;
    if (indexReady) {
      await indexReady;
      indexMs = performance.now() - t0;
    }
    const open200 = { wallMs, cpuS: proc(pid).cpuS - cpu0, peakMiB: proc(pid).peakMiB, indexMs };

    // Type a task config, one character at a time; each keystroke waits for its diagnostics.
    const typedFile = path.join(CORPUS, 'arc', '__bench_typing__.yaml');
    const finalText = fs.readFileSync(path.join(CORPUS, TARGET_REL), 'utf8').replace('arc_easy', 'arc_bench_typed');
    const uri = fileUri(typedFile);
    const firstTyped = published(s, uri);
    await open(s, typedFile, finalText.slice(0, 200));
    await firstTyped;
    const keystrokes: number[] = [];
    for (let k = 201, v = 2; k <= Math.min(finalText.length, 200 + 120); k++, v++) {
      const version = v;
      const p =
        which === 'ours'
          ? published(s, uri, (x) => x.version === version)
          : // yaml-language-server does not send versions: the next publish after this edit is its answer.
            published(s, uri);
      const t = performance.now();
      await s.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text: finalText.slice(0, k) }],
      });
      await p;
      keystrokes.push(performance.now() - t);
    }

    // Hovers on keys and values of an open config.
    const target = path.join(CORPUS, TARGET_REL);
    const doc = TextDocument.create(fileUri(target), 'yaml', 1, fs.readFileSync(target, 'utf8'));
    const spots = ['task', 'output_type', 'multiple_choice', 'metric', 'acc_norm', 'aggregation', 'doc_to_text']
      .map((w) => doc.getText().indexOf(w) + 1)
      .filter((o) => o > 0)
      .map((o) => doc.positionAt(o));
    const hovers: number[] = [];
    for (let i = 0; i < 210; i++) {
      const t = performance.now();
      await s.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: doc.uri },
        position: spots[i % spots.length],
      });
      if (i >= 10) hovers.push(performance.now() - t);
    }
    return { open200, keystrokes, hovers };
  } finally {
    await s.close();
    fs.rmSync(storagePath, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// 4. Per-edit analysis without debounce, in process.

type PeerService = {
  configure(settings: unknown): void;
  doValidation(doc: TextDocument, isKubernetes: boolean): Promise<Diagnostic[]>;
};

async function benchPerEdit(): Promise<void> {
  const target = path.join(CORPUS, TARGET_REL);
  // Edits of a complete config: a new metric_list entry typed one character at a time.
  const base = fs.readFileSync(target, 'utf8');
  const at = base.indexOf('metadata:');
  const typed = '  - metric: exact_match\n    aggregation: mean\n    higher_is_better: true\n    ignore_case: true\n';
  const states = Array.from(
    { length: typed.length },
    (_, i) => `${base.slice(0, at)}${typed.slice(0, i + 1)}${base.slice(at)}`,
  );
  // lm-eval-lens as the editor runs it: the folder's task index built, names looked up in it.
  const taskIndex = new TaskIndexService({
    fs: nodeTaskFileSystem({ maxCachedFiles: 0 }),
    stat: statFile,
    mode: 'sync',
  });
  const settings = normalizeSettings({});
  const providers = nodeFactProviders({ settings, workspaceRoots: [CORPUS], trusted: false, taskIndex });
  const t0 = performance.now();
  providers.workspaceTaskNames()?.get('arc_easy');
  const indexMs = performance.now() - t0;
  const ctx: ServiceContext = {
    settings,
    providers,
    taskConfig: {
      fs: nodeTaskFileSystem(),
      workspaceNames: providers.workspaceTaskNames(),
      builtinNames: providers.builtinTaskNames(target),
    },
  };
  const file = path.join(CORPUS, 'arc', '__bench_edit__.yaml');
  const ours: number[] = [];
  for (let round = 0; round < 3; round++)
    for (const [i, text] of states.entries()) {
      const t = performance.now();
      analyzeDocument({ path: file, text: `${text}\n# ${round}.${i}` }, ctx);
      ours.push(performance.now() - t);
    }

  // yaml-language-server's language service in this process, with the same schema.
  const peerModule = require(path.join(repoRoot, 'node_modules', 'yaml-language-server')) as {
    getLanguageService(params: unknown): PeerService;
  };
  const noop = () => undefined;
  const peer = peerModule.getLanguageService({
    schemaRequestService: (uri: string) => Promise.resolve(fs.readFileSync(new URL(uri), 'utf8')),
    workspaceContext: { resolveRelativePath: (rel: string, res: string) => new URL(rel, res).href },
    clientCapabilities: {},
    telemetry: { send: noop, sendError: noop, sendTrack: noop },
  });
  peer.configure({
    validate: true,
    customTags: ['!function scalar'],
    schemas: [{ uri: fileUri(SCHEMA), fileMatch: ['*.yaml'], schema: JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) }],
  });
  const peerTimes: number[] = [];
  let version = 1;
  for (let round = 0; round < 3; round++)
    for (const [i, text] of states.entries()) {
      const doc = TextDocument.create(fileUri(file), 'yaml', version++, `${text}\n# ${round}.${i}`);
      const t = performance.now();
      await peer.doValidation(doc, false);
      peerTimes.push(performance.now() - t);
    }
  // The first round warms both up; the medians are over all rounds.
  console.log(
    `\n4. Per-edit task-YAML analysis without debounce, in process (${states.length} edits of ${TARGET_REL.split(path.sep).join('/')} × 3)`,
  );
  console.log(
    `   lm-eval-lens (with the ${providers.workspaceTaskNames() ? 'folder' : 'no'} index, built in ${ms(indexMs)}): median ${ms(median(ours))}, p99 ${ms(quantile(ours, 0.99))}`,
  );
  console.log(
    `   yaml-language-server doValidation:  median ${ms(median(peerTimes))}, p99 ${ms(quantile(peerTimes, 0.99))}`,
  );
  console.log(
    `   lm-eval-lens / yaml-language-server per edit: ${ratio(median(ours), median(peerTimes))} (target ≤ 1.2×)`,
  );
}

// ---------------------------------------------------------------------------------------------------
// 6. A 3.9 MB script: cancellation and responsiveness.

/** A sweep script of `launches` vLLM launches and about `bytes` bytes (a 2,600-launch, 3.9 MB one by default). */
export function sweepScript(launches = 2600, bytes = 3.9e6): string {
  const models = [
    'Qwen/Qwen1.5-4B',
    'meta-llama/Meta-Llama-3-8B',
    'mistralai/Mistral-7B-v0.1',
    'Qwen/Qwen2.5-72B-Instruct',
  ];
  const out = ['#!/bin/bash', '#SBATCH --gres=gpu:a100:1', '#SBATCH --time=12:00:00', 'export HF_HOME=/scratch/hf', ''];
  let size = out.reduce((n, l) => n + l.length + 1, 0);
  const push = (line: string) => {
    out.push(line);
    size += line.length + 1;
  };
  for (let i = 0; i < launches; i++) {
    push(`# run ${i}: sweep over max_model_len and gpu_memory_utilization`);
    push(`MODEL_${i}=${models[i % models.length]}`);
    push('lm_eval --model vllm \\');
    push(
      `  --model_args pretrained=$MODEL_${i},gpu_memory_utilization=0.${5 + (i % 5)},max_model_len=${1024 * (1 + (i % 8))} \\`,
    );
    push(`  --tasks ${i % 2 ? 'mmlu' : 'gsm8k'} --batch_size auto`);
    // Filler up to this launch's share of the size.
    const budget = (bytes * (i + 1)) / launches;
    for (let k = 0; ; k++) {
      const line = `echo "run ${i} step ${k}: preparing the environment for this run of the sweep" >> log_${i}.txt`;
      if (size + line.length + 1 > budget) break;
      push(line);
    }
  }
  return `${out.join('\n')}\n`;
}

async function benchBigScript(): Promise<void> {
  const text = sweepScript();
  // Pull diagnostics: nothing but the requests below asks for the script's analysis.
  const s = await startServer({ settings: { gpu: 'A100-80GB' } }, { textDocument: { diagnostic: {} } });
  try {
    const big = path.join(os.tmpdir(), 'lens-bench-sweep.sh');
    const small = path.join(os.tmpdir(), 'lens-bench-small.sh');
    await open(s, big, text);
    await open(s, small, sweepScript(1, 400));
    const smallHover = () =>
      s.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: fileUri(small) },
        position: { line: 7, character: 30 },
      });
    await smallHover();
    const bigParams = { textDocument: { uri: fileUri(big) }, position: { line: 7, character: 30 } };
    const bigHover = (source?: CancellationTokenSource) =>
      source
        ? s.connection.sendRequest('textDocument/hover', bigParams, source.token)
        : s.connection.sendRequest('textDocument/hover', bigParams);
    // a) $/cancelRequest 1 ms after the request; b) once the analysis is surely under way.
    const cancelMs = { early: [] as number[], underWay: [] as number[] };
    for (let round = 0; round < 5; round++) {
      for (const mode of ['early', 'underWay'] as const) {
        const source = new CancellationTokenSource();
        const p = bigHover(source).then(
          () => 'answered',
          (e: { code?: number }) => (e.code === -32800 ? 'cancelled' : `error ${e.code}`),
        );
        if (mode === 'early') await sleep(1);
        else {
          await smallHover(); // answered after the big hover's analysis started (requests are served in order)
          await sleep(50);
        }
        const t = performance.now();
        source.cancel();
        const outcome = await p;
        if (outcome !== 'cancelled') console.log(`   (round ${round} ${mode}: ${outcome})`);
        cancelMs[mode].push(performance.now() - t);
      }
    }
    // Hovers on another file while the script is analysed.
    const t0 = performance.now();
    let done = false;
    let bigMs = 0;
    const whole = bigHover().then(() => {
      done = true;
      bigMs = performance.now() - t0;
    });
    const others: number[] = [];
    while (!done) {
      const t = performance.now();
      await smallHover();
      others.push(performance.now() - t);
      await sleep(10);
    }
    await whole;
    console.log(`\n6. A ${(text.length / 1e6).toFixed(2)} MB script with 2,600 launches`);
    console.log(
      `   cancelled hover, $/cancelRequest 1 ms after it: RequestCancelled after median ${ms(median(cancelMs.early))}, max ${ms(Math.max(...cancelMs.early))} (5 runs)`,
    );
    console.log(
      `   cancelled hover, analysis under way:           RequestCancelled after median ${ms(median(cancelMs.underWay))}, max ${ms(Math.max(...cancelMs.underWay))} (5 runs)`,
    );
    console.log(`   uncancelled hover on the script: answered after ${ms(bigMs)} (the whole analysis)`);
    console.log(
      `   ${others.length} hovers on another file meanwhile: p50 ${ms(median(others))}, p99 ${ms(quantile(others, 0.99))}, max ${ms(Math.max(...others))}`,
    );
  } finally {
    await s.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// 7. Analysis time against script size (bench-launches' generator, one fresh process per size).

function benchGrowth(): void {
  const script = path.join(__dirname, 'bench-launches.js');
  console.log('\n7. Launch-script analysis against size (one launch per 100 lines; fresh process each, median of 3)');
  console.log('   lines    launches  wall ms  CPU ms  CPU ms per 1k lines  peak RSS');
  const rows: { lines: number; cpuMs: number }[] = [];
  for (const lines of [1000, 10000, 50000]) {
    const r = spawnSync(process.execPath, [script, '--child', String(lines)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      console.log(`   ${lines}: failed: ${r.stderr.slice(0, 300)}`);
      continue;
    }
    const m = JSON.parse(r.stdout) as {
      lines: number;
      launches: number;
      ms: number;
      cpuMs: number;
      peakRssMiB: number;
    };
    rows.push(m);
    console.log(
      `   ${String(m.lines).padEnd(8)} ${String(m.launches).padEnd(9)} ${m.ms.toFixed(0).padEnd(8)} ${m.cpuMs.toFixed(0).padEnd(7)} ${((m.cpuMs / m.lines) * 1000).toFixed(1).padEnd(20)} ${mib(m.peakRssMiB)}`,
    );
  }
  if (rows.length > 1) {
    const [a, b] = [rows[0], rows[rows.length - 1]];
    console.log(
      `   CPU time per line at ${b.lines} lines / at ${a.lines} lines: ${ratio(b.cpuMs / b.lines, a.cpuMs / a.lines)} (1.0 = linear; below 1 = fixed start-up costs amortised)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// 8. Burst and bounded memory.

async function benchBurstAndChurn(): Promise<void> {
  const s = await startServer({ settings: { gpu: 'A100-80GB' } });
  const pid = s.process.pid!;
  try {
    const doc = (i: number) =>
      `# lm-eval-lens: gpu=L4\nlm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float,max_model_len=${1024 + i} --tasks mmlu\n`;
    const uri = fileUri(path.join(os.tmpdir(), 'lens-bench-burst.sh'));
    await s.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'shellscript', version: 1, text: '' },
    });
    const t0 = performance.now();
    let final: Promise<PublishDiagnosticsParams> = Promise.resolve({ uri, diagnostics: [] });
    for (let v = 2; v <= 1001; v++) {
      const text = v === 1001 ? doc(0) : `lm_eval --model vllm --model_args pretrained=x,,${v}\n`;
      if (v === 1001) final = published(s, uri, (p) => p.version === 1001);
      await s.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ text }],
      });
    }
    const last = await final;
    const stale = s.notifications.filter(
      (n) =>
        n.method === 'textDocument/publishDiagnostics' &&
        (n.params as PublishDiagnosticsParams).uri === uri &&
        ((n.params as PublishDiagnosticsParams).version ?? 0) > 1 &&
        ((n.params as PublishDiagnosticsParams).version ?? 0) < 1001,
    ).length;
    console.log('\n8. Burst and churn');
    console.log(
      `   1,000 didChange burst: final diagnostics after ${ms(performance.now() - t0)} (${last.diagnostics.map((d) => d.code).join(', ')}); ${stale} intermediate versions published`,
    );
    const round = async (tag: string) => {
      const uris = Array.from({ length: 2000 }, (_, i) => fileUri(path.join(os.tmpdir(), `lens-bench-${tag}-${i}.sh`)));
      const all = Promise.all(uris.map((u) => published(s, u)));
      for (const [i, u] of uris.entries())
        await s.connection.sendNotification('textDocument/didOpen', {
          textDocument: { uri: u, languageId: 'shellscript', version: 1, text: doc(i) },
        });
      await all;
      for (const u of uris) await s.connection.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
    };
    const before = proc(pid).rssMiB;
    await round('a');
    const afterA = proc(pid).rssMiB;
    await round('b');
    const afterB = proc(pid).rssMiB;
    console.log(`   2,000 documents opened and closed, twice: RSS ${mib(before)} → ${mib(afterA)} → ${mib(afterB)}`);
  } finally {
    await s.close();
  }
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  // `node out/scripts/bench-server.js 1 6` runs sections 1 and 6 only (2-5 share one server run).
  const picked = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const want = (...n: number[]) => !picked.length || n.some((x) => picked.includes(x));
  console.log(
    `lm-eval-lens bench:server — ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}, node ${process.version}`,
  );
  const haveCorpus = fs.existsSync(path.join(CORPUS, TARGET_REL));
  const havePeer = fs.existsSync(PEER_BIN);
  if (!haveCorpus) console.log(`(no lm-eval task corpus at ${CORPUS}: sections 1-5 skipped)`);
  if (!havePeer) console.log('(yaml-language-server is not installed: run npm ci; peer columns skipped)');
  if (haveCorpus && havePeer && want(1)) await benchFirstDiagnostics();
  if (haveCorpus && want(2, 3, 5)) {
    const ours = await benchWorkspace('ours');
    const peer = havePeer ? await benchWorkspace('peer') : undefined;
    console.log('\n2. Opening 200 task configs at once in the 14,000-file workspace (cold task-index cache)');
    console.log(
      `   lm-eval-lens:         all diagnostics after ${ms(ours.open200.wallMs)}, server CPU ${ours.open200.cpuS.toFixed(1)} s, peak RSS ${mib(ours.open200.peakMiB)} (task index of the folder ready after ${ms(ours.open200.indexMs ?? Number.NaN)}; target < 200 MiB)`,
    );
    if (peer)
      console.log(
        `   yaml-language-server: all diagnostics after ${ms(peer.open200.wallMs)}, server CPU ${peer.open200.cpuS.toFixed(1)} s, peak RSS ${mib(peer.open200.peakMiB)}`,
      );
    console.log(
      '\n3. Per keystroke: didChange → its diagnostics (120 keystrokes typing a task config, debounce included)',
    );
    const line = (name: string, xs: number[], debounce: number) =>
      `   ${name} p50 ${ms(median(xs))}, p99 ${ms(quantile(xs, 0.99))} (debounce ${debounce} ms; p50 past it ${ms(median(xs) - debounce)})`;
    console.log(line('lm-eval-lens:        ', ours.keystrokes, DEBOUNCE_MS.ours));
    if (peer) console.log(line('yaml-language-server:', peer.keystrokes, DEBOUNCE_MS.peer));
    console.log('\n5. Hover on a task config in the 14,000-file workspace (200 hovers, keys and values)');
    console.log(`   lm-eval-lens:         p50 ${ms(median(ours.hovers))}, p99 ${ms(quantile(ours.hovers, 0.99))}`);
    if (peer)
      console.log(`   yaml-language-server: p50 ${ms(median(peer.hovers))}, p99 ${ms(quantile(peer.hovers, 0.99))}`);
  }
  if (haveCorpus && havePeer && want(4)) await benchPerEdit();
  if (want(6)) await benchBigScript();
  if (want(7)) benchGrowth();
  if (want(8)) await benchBurstAndChurn();
}

if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
