// vLLM asserts "Total number of attention heads (H) must be divisible by tensor parallel size (T)",
// and QKVParallelLinear divides the KV heads by TP (or replicates them when TP is a multiple of
// their count); a configuration also cannot use more GPUs (TP × PP × DP) than the job has.
import type { Finding, Fix } from '../shared/findings';
import { anchor, setArgFix } from './fixes';
import type { LaunchRule } from './rule';

const CODE = 'tp-not-divisible';

export const tpNotDivisible: LaunchRule = {
  code: CODE,
  check(f) {
    const arch = f.architecture?.architecture;
    if (!f.isVllm) return [];
    const out: Finding[] = [];
    const tp = f.settings.tensorParallelSize ?? 1;
    const pp = f.settings.pipelineParallelSize ?? 1;
    const dp = f.settings.dataParallelSize ?? 1;
    const available = f.gpu.count;
    const kv = arch?.mla ? undefined : arch?.numKeyValueHeads;
    const splits = (n: number) =>
      !!arch && arch.numAttentionHeads % n === 0 && (kv === undefined || kv % n === 0 || n % kv === 0);
    if (arch && tp > 1 && !splits(tp)) {
      const fixes: Fix[] = [];
      const limit = available !== undefined ? Math.floor(available / (pp * dp)) : tp;
      let best = 1;
      for (let n = 1; n <= Math.max(limit, 1); n++) if (splits(n)) best = n;
      const headsOk = arch.numAttentionHeads % tp === 0;
      const fix =
        best !== tp ? setArgFix(f, 'tensor_parallel_size', best, `Set tensor_parallel_size=${best}`, true) : undefined;
      if (fix) fixes.push(fix);
      out.push({
        code: CODE,
        severity: 'error',
        message: `${
          headsOk
            ? `The ${kv} KV heads cannot be split over tensor parallel size ${tp} (one must divide the other)`
            : `Total number of attention heads (${arch.numAttentionHeads}) must be divisible by tensor parallel size (${tp})`
        }: vLLM refuses to start.${best !== tp ? ` tensor_parallel_size=${best} works.` : ''}`,
        range: anchor(f, 'tensor_parallel_size'),
        fixes,
      });
    }
    const required = tp * pp * dp;
    if (available !== undefined && required > available) {
      out.push({
        code: CODE,
        severity: 'error',
        message: `The configuration needs ${required} GPUs (tensor ${tp} × pipeline ${pp} × data ${dp}) but ${available} ${available === 1 ? 'is' : 'are'} available (from ${f.gpu.countSource}).`,
        range: anchor(f, 'tensor_parallel_size', 'data_parallel_size', 'pipeline_parallel_size'),
      });
    }
    return out;
  },
};
