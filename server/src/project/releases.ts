// Released versions, so that a range resolves to a version that exists: `vllm<0.7` is 0.6.6, not
// "0.6.999". Only the last patch of each minor line matters for that; every `X.Y.0` up to the
// newest modelled is added on top.
//
// lm-eval: the release tags of EleutherAI/lm-evaluation-harness (v0.3.0 … v0.4.12; pyproject's
// `version` field is wrong in two of them, see vendoredHarnessVersion). vLLM: the last patch
// release of each minor line on PyPI through 0.10; later lines are taken at X.Y.0.
import { EARLIEST_MODELLED_VLLM_VERSION, LATEST_VLLM_VERSION } from '../memory/version';
import type { VllmVersion } from '../memory/types';
import type { TrackedPackage } from './types';

/** The newest lm-eval whose behaviour we model (the shared corpus is 0.4.13.dev0). */
export const LATEST_HARNESS_VERSION: VllmVersion = { major: 0, minor: 4, patch: 13 };

const LM_EVAL_RELEASES = [
  '0.3.0',
  '0.4.0',
  '0.4.1',
  '0.4.2',
  '0.4.3',
  '0.4.4',
  '0.4.5',
  '0.4.6',
  '0.4.7',
  '0.4.8',
  '0.4.9',
  '0.4.9.1',
  '0.4.9.2',
  '0.4.10',
  '0.4.11',
  '0.4.12',
];

const VLLM_LAST_PATCHES = [
  '0.1.7',
  '0.2.7',
  '0.3.3',
  '0.4.3',
  '0.5.5',
  '0.6.6.post1',
  '0.7.3',
  '0.8.5.post1',
  '0.9.2',
  '0.10.2',
];

export function newestModelled(pkg: TrackedPackage): VllmVersion {
  return pkg === 'vllm' ? LATEST_VLLM_VERSION : LATEST_HARNESS_VERSION;
}

export function oldestModelled(pkg: TrackedPackage): VllmVersion | undefined {
  return pkg === 'vllm' ? EARLIEST_MODELLED_VLLM_VERSION : undefined;
}

/**
 * Versions a range may resolve to (as text). For vLLM the newest modelled is a release and one of
 * them; lm-eval's newest modelled is its main branch (0.4.13.dev0), so an open range resolves to
 * the newest release, 0.4.12, as pip would install it.
 */
export function knownReleases(pkg: TrackedPackage): string[] {
  if (pkg === 'lm-eval') return LM_EVAL_RELEASES;
  const latest = newestModelled(pkg);
  const out = new Set<string>();
  for (let minor = 1; minor <= latest.minor; minor++) out.add(`0.${minor}.0`);
  for (const v of VLLM_LAST_PATCHES) out.add(v);
  out.add(`${latest.major}.${latest.minor}.${latest.patch}`);
  return [...out];
}
