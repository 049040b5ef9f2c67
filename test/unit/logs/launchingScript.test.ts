// Which workspace script launched a logged run: named in the log, a SLURM --output pattern, or the
// same model and arguments (job scripts first, then the nearest).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLaunchingScript, slurmOutputPattern } from '../../../server/src/logs/launchingScript';
import { readLogText } from '../../../server/src/logs/reader';

const LAUNCH = 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,gpu_memory_utilization=0.6 --tasks mmlu\n';
const LOG = `INFO 06-04 10:12:12 llm_engine.py:161] Initializing an LLM engine (v0.4.3) with config: model='Qwen/Qwen1.5-4B', dtype=torch.float32, max_seq_len=1024\n`;

describe('findLaunchingScript', () => {
  it('reads SLURM filename patterns', () => {
    assert.ok(slurmOutputPattern('logs/%x-%j.out').test('/w/logs/eval-1234.out'));
    assert.ok(slurmOutputPattern('slurm-%A_%a.out').test('/w/slurm-77_3.out'));
    assert.ok(!slurmOutputPattern('logs/%x-%j.out').test('/w/logs/eval-1234.err'));
    assert.ok(slurmOutputPattern('out/run.%j.log').test('/w/out/run.5.log'));
  });

  it('finds the SLURM script whose --output produced the log', () => {
    const scripts = [
      { path: '/w/other.sh', text: LAUNCH },
      { path: '/w/job.slurm', text: `#!/bin/bash\n#SBATCH --output=logs/%x-%j.out\n${LAUNCH}` },
    ];
    const found = findLaunchingScript('/w/logs/qwen-99.out', readLogText(LOG), scripts);
    assert.equal(found?.file.path, '/w/job.slurm');
    assert.equal(found?.how, 'SLURM --output');
  });

  it('takes the script the log says it ran', () => {
    const scripts = [
      { path: '/w/a/run.sh', text: LAUNCH },
      { path: '/w/b/run_eval.sh', text: LAUNCH },
    ];
    const found = findLaunchingScript('/w/x.log', readLogText(`+ bash b/run_eval.sh\n${LOG}`), scripts);
    assert.equal(found?.file.path, '/w/b/run_eval.sh');
    assert.equal(found?.how, 'echoed command');
  });

  it('else the same model and arguments: a job script before Python, none when a setting disagrees', () => {
    const py = {
      path: '/w/eval.py',
      text: `simple_evaluate(model="vllm", model_args="pretrained=Qwen/Qwen1.5-4B")\n# lm_eval\n`,
    };
    const sh = { path: '/w/deep/er/eval.sh', text: LAUNCH };
    const facts = readLogText(
      `${LOG}Initializing vllm model, with arguments: {'pretrained': 'Qwen/Qwen1.5-4B', 'gpu_memory_utilization': 0.6}\n`,
    );
    assert.equal(findLaunchingScript('/w/run.log', facts, [py, sh])?.file.path, '/w/deep/er/eval.sh');
    const other = { path: '/w/eval.sh', text: LAUNCH.replace('0.6', '0.9') };
    assert.equal(findLaunchingScript('/w/run.log', facts, [other]), undefined);
    const otherModel = { path: '/w/eval.sh', text: LAUNCH.replace('Qwen1.5-4B', 'Qwen1.5-7B') };
    assert.equal(findLaunchingScript('/w/run.log', facts, [otherModel]), undefined);
  });
});
