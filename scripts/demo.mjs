// `npm run demo`: the CLI on the bundled examples, the seed configuration's estimate, and the
// seed's crash log explained.
// `check` exits 1 when it finds errors, which is the point of the examples, so only 2 fails here.
import { spawnSync } from 'node:child_process';

const run = (args) => {
  console.log(`\n$ lm-eval-lens ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['bin/lm-eval-lens.js', ...args], { stdio: 'inherit' });
  if (r.status !== 0 && r.status !== 1) process.exit(r.status ?? 2);
};

run(['check', 'examples']);
run([
  'estimate',
  '--model-args',
  'pretrained=Qwen/Qwen1.5-4B,dtype=float,gpu_memory_utilization=0.6,max_model_len=1024',
  '--tasks',
  'mmlu',
  '--gpu',
  'A100-80GB',
]);
run(['explain', 'examples/logs/qwen1.5-4b-mmlu.out']);
