// vLLM refuses to start when the KV cache left in the budget cannot hold one max_model_len sequence
// (V0: "The model's max seq len (X) is larger than ..."; V1: "To serve at least one request ...").
// The usual trigger is a default max_model_len derived from the config (32k–128k) on a small GPU.
import type { Finding, Fix } from '../shared/findings';
import {
  anchor,
  gib,
  higherUtilizationThatResolves,
  largestValueThatResolves,
  resolves,
  setArgFix,
  utilizationFix,
} from './fixes';
import { atRiskText } from '../memory/startup';
import { memoryRule } from './memory-rule';
import { tensorParallelCandidates } from './tensor-parallel';

const CODE = 'kv-cache-too-small';

export const kvCacheTooSmall = memoryRule(CODE, (f, e, reason) => {
  const fixes: Fix[] = [];
  // What the tasks need: generation budget plus some prompt; never propose less than 256 tokens.
  const needed = Math.max(256, Math.ceil(((f.workload.maxGenToks ?? 0) + 256) / 256) * 256);
  const len = largestValueThatResolves(f, CODE, e.maxModelLen, 256, (v) => ({ maxModelLen: v }), needed);
  if (len !== undefined) {
    const fix = setArgFix(f, 'max_model_len', len, `Set max_model_len=${len} (the largest that fits)`, true);
    // lm-eval asserts if max_length and max_model_len are both given: rewrite max_length instead.
    const viaMaxLength = !f.args.has('max_model_len') && f.args.has('max_length');
    const alt = viaMaxLength
      ? setArgFix(f, 'max_length', len, `Set max_length=${len} (the largest that fits)`, true)
      : fix;
    if (alt) fixes.push(alt);
  }
  const util = higherUtilizationThatResolves(f, CODE);
  const utilFix = util !== undefined ? utilizationFix(f, util, 'Raise', fixes.length === 0) : undefined;
  if (utilFix) fixes.push(utilFix);
  if (!/fp8/.test(e.effective.kvCacheDtype) && resolves(f, CODE, { kvCacheDtype: 'fp8' })) {
    const fix = setArgFix(
      f,
      'kv_cache_dtype',
      'fp8',
      'Set kv_cache_dtype=fp8 (halves the KV cache)',
      fixes.length === 0,
    );
    if (fix) fixes.push(fix);
  }
  for (const tp of tensorParallelCandidates(f)) {
    if (resolves(f, CODE, { tensorParallelSize: tp })) {
      const fix = setArgFix(f, 'tensor_parallel_size', tp, `Set tensor_parallel_size=${tp}`, fixes.length === 0);
      if (fix) fixes.push(fix);
      break;
    }
  }
  const quoted = reason.message;
  const pp = e.effective.pipelineParallelSize;
  const perVirtualEngine = e.effective.engine === 'V0' && pp > 1;
  const availableBytes = Math.max(0, e.kvCacheBytes) / (perVirtualEngine ? pp : 1);
  const virtualEngineNote = perVirtualEngine ? `, each of V0's ${pp} pipeline virtual engines' share` : '';
  // Inside the estimate's band the shortfall may not happen: a warning that says so (issue #15).
  const certain = reason.verdict === 'will-fail';
  const finding: Finding = {
    code: CODE,
    severity: certain ? 'error' : 'warning',
    message:
      `${certain ? 'vLLM will refuse to start' : `vLLM may refuse to start (${atRiskText(e.errorBand)})`}: one sequence of max_model_len=${e.maxModelLen} needs ${gib(e.oneSequenceKvBytes, 2)} of KV cache, but only ${gib(availableBytes, 2)} is left on ${f.gpu.spec.name}` +
      (len !== undefined ? `; set max_model_len=${len} or less.` : '.'),
    details: [
      `The KV cache left in the budget holds ${e.kvCacheTokens} tokens${virtualEngineNote}.`,
      ...(quoted ? [`vLLM ${f.vllm.text} says: "${quoted}"`] : []),
    ],
    range: anchor(f, 'max_model_len', 'max_length'),
    fixes,
  };
  return [finding];
});
