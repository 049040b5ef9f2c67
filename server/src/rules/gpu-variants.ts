// A GPU name with more than one memory size (`a100` in #SBATCH: 40 or 80 GB, QA D8) is estimated on
// the size the catalog assumes. Where a smaller size the name also stands for would fail, the
// memory rules' findings on that size are added as warnings that say which size they are about:
// the job may land on either.
import type { LaunchFacts } from '../facts/launch';
import { MEMORY_REASON_CODES, type Verdict } from '../memory/types';
import type { Finding } from '../shared/findings';
import type { LaunchRule } from './rule';

const SEVERITY: Record<Verdict, number> = { fits: 0, 'at-risk': 1, 'will-fail': 2 };
const MEMORY_CODES: ReadonlySet<string> = new Set(MEMORY_REASON_CODES);

/** Findings the smaller sizes add, as warnings; `found` are the findings on the size assumed. */
export function smallerVariantFindings(
  f: LaunchFacts,
  found: readonly Finding[],
  run: (facts: LaunchFacts) => Finding[],
): Finding[] {
  const assumed = f.estimate;
  if (!assumed || !f.gpu.smallerVariants?.length) return [];
  const have = new Set(found.map((x) => x.code));
  for (const spec of f.gpu.smallerVariants) {
    const e = f.estimateWith({}, spec);
    if (!e || SEVERITY[e.verdict] <= SEVERITY[assumed.verdict]) continue;
    const onSmaller: LaunchFacts = {
      ...f,
      gpu: { ...f.gpu, spec, smallerVariants: undefined },
      estimate: e,
      estimateWith: (overrides, gpu) => f.estimateWith(overrides, gpu ?? spec),
    };
    return run(onSmaller)
      .filter((x) => MEMORY_CODES.has(x.code) && !have.has(x.code))
      .map((x) => ({ ...x, severity: 'warning' as const, message: `If the GPU is the ${spec.name}: ${x.message}` }));
  }
  return [];
}

/** The rules run on the smaller size (the memory rules; the others do not depend on the GPU). */
export function withSmallerVariants(rules: readonly LaunchRule[]): (f: LaunchFacts) => Finding[] {
  return (f) => {
    const out: Finding[] = [];
    for (const r of rules) if (MEMORY_CODES.has(r.code)) out.push(...r.check(f));
    return out;
  };
}
