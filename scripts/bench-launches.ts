// Launch-file analysis cost against file size (#18 "Linear work"): generates SLURM scripts of 1k,
// 10k and 50k lines (one lm_eval launch per 100 lines: #SBATCH header, exported and plain
// variables, a wrapper function, loops, line continuations), analyses each in a fresh process and
// prints the analysis time (median of 3: wall clock, and the CPU time the process spent, which a
// machine shared with other jobs inflates less) and the process's peak RSS. Linear work shows as a
// constant time per 1k lines.
//   npm run bench:launches            (or: node out/scripts/bench-launches.js [lines...])
import { spawnSync } from 'node:child_process';
import { analyzeDocument } from '../server/src/service/analyze';
import { testContext } from '../test/helpers/context';

const MODELS = ['Qwen/Qwen2.5-7B-Instruct', 'meta-llama/Meta-Llama-3-8B-Instruct', 'mistralai/Mistral-7B-v0.1'];
const TASKS = ['gsm8k', 'mmlu', 'hellaswag', 'arc_easy'];

/** A SLURM script of about `lines` lines with one launch per 100 lines. */
export function generateLaunchScript(lines: number): string {
  const out: string[] = [
    '#!/bin/bash',
    '#SBATCH --job-name=sweep',
    '#SBATCH --gres=gpu:a100:4',
    '#SBATCH --time=24:00:00',
    'set -euo pipefail',
    'export HF_HOME=/scratch/hf',
    'export VLLM_USE_V1=1',
    'run_bg() { nohup "$@" > log.txt 2>&1 & }',
  ];
  let k = 0;
  while (out.length < lines) {
    const model = MODELS[k % MODELS.length];
    const task = TASKS[k % TASKS.length];
    out.push(`# ---- run ${k}: ${model} on ${task}`);
    out.push(`MODEL_${k}=${model}`);
    out.push(`export RUN_ID_${k}=${k}`);
    out.push(`UTIL=0.${80 + (k % 10)}`);
    for (let j = 0; j < 80; j++) {
      // Filler a real sweep has: bookkeeping variables, echo lines, conditionals, comments.
      if (j % 4 === 0) out.push(`STEP_${k}_${j}="step ${j} of run ${k}"`);
      else if (j % 4 === 1) out.push(`echo "$STEP_${k}_${j - 1}" >> progress_${k}.log`);
      else if (j % 4 === 2) out.push(`if [ -f done_${k}_${j} ]; then echo skip; fi`);
      else out.push(`# note ${j}: keep the output of run ${k} under results/${k}`);
    }
    out.push(`for seed in 1 2; do`);
    out.push(`  echo "seed $seed"`);
    out.push(`done`);
    const launcher = k % 2 ? 'run_bg lm_eval' : 'lm_eval';
    out.push(`${launcher} --model vllm \\`);
    out.push(`  --model_args pretrained=$MODEL_${k},gpu_memory_utilization=$UTIL,max_model_len=4096 \\`);
    out.push(`  --tasks ${task} \\`);
    out.push(`  --batch_size auto --output_path results/$RUN_ID_${k}`);
    while (out.length % 100 !== 0 && out.length < lines) out.push(`echo "padding ${out.length}"`);
    k++;
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}

interface Measured {
  lines: number;
  launches: number;
  findings: number;
  ms: number;
  cpuMs: number;
  peakRssMiB: number;
}

/** Analyse one generated script in this process (call in a fresh process for a clean peak RSS). */
export function measureOnce(lines: number, repeats = 3): Measured {
  const text = generateLaunchScript(lines);
  const ctx = testContext();
  const times: number[] = [];
  const cpu: number[] = [];
  let launches = 0;
  let findings = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const a = analyzeDocument({ path: '/bench/sweep.sbatch', text }, ctx);
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    launches = a.launches.length;
    findings = a.findings.length;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    lines,
    launches,
    findings,
    ms: median(times),
    cpuMs: median(cpu),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function main(): void {
  const child = process.argv.indexOf('--child');
  if (child >= 0) {
    process.stdout.write(JSON.stringify(measureOnce(Number(process.argv[child + 1]))));
    return;
  }
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const results: Measured[] = [];
  for (const lines of sizes.length ? sizes : [1000, 10000, 50000]) {
    const r = spawnSync(process.execPath, [__filename, '--child', String(lines)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) {
      console.error(r.stderr);
      process.exit(1);
    }
    results.push(JSON.parse(r.stdout) as Measured);
  }
  console.log('lines    launches  findings  wall ms  CPU ms  CPU ms per 1k lines  peak RSS MiB   (median of 3)');
  for (const m of results) {
    console.log(
      `${String(m.lines).padEnd(8)} ${String(m.launches).padEnd(9)} ${String(m.findings).padEnd(9)} ${m.ms.toFixed(0).padEnd(8)} ${m.cpuMs.toFixed(0).padEnd(7)} ${((m.cpuMs / m.lines) * 1000).toFixed(1).padEnd(20)} ${m.peakRssMiB.toFixed(0)}`,
    );
  }
  const first = results[0];
  const last = results[results.length - 1];
  if (results.length > 1) {
    const growth = last.cpuMs / last.lines / (first.cpuMs / first.lines);
    console.log(
      `CPU time per line at ${last.lines} lines / at ${first.lines} lines: ${growth.toFixed(2)}× (1.0 = linear)`,
    );
  }
}

if (require.main === module) main();
