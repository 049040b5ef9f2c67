// Tensor-parallel degrees a fix may propose: more than the current one, dividing the attention
// heads (vLLM asserts num_attention_heads % tp == 0), and no more than the GPUs known to be there.
import type { LaunchFacts } from '../facts/launch';

export function tensorParallelCandidates(f: LaunchFacts): number[] {
  const arch = f.architecture?.architecture;
  const e = f.estimate;
  if (!arch || !e) return [];
  const current = e.effective.tensorParallelSize;
  const perReplica = e.effective.pipelineParallelSize * e.effective.dataParallelSize;
  const available = f.gpu.count;
  if (available === undefined) return [];
  const out: number[] = [];
  for (let tp = current + 1; tp <= 16; tp++) {
    if (arch.numAttentionHeads % tp !== 0) continue;
    if (tp * perReplica > available) break;
    out.push(tp);
  }
  return out;
}
