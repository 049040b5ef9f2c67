// Shorthands the memory-model tests share: catalog lookups that must succeed, versions, a
// tolerance assertion and a one-line estimate.
import * as assert from 'node:assert/strict';
import { lookupArchitecture } from '../../../server/src/memory/architectures';
import { estimateVllmMemory } from '../../../server/src/memory/estimate';
import { resolveGpu } from '../../../server/src/memory/gpus';
import type { EstimateInput, ModelArchitecture, VllmSettings, VllmVersion } from '../../../server/src/memory/types';
import { parseVllmVersion } from '../../../server/src/memory/version';

export { GiB, KiB, MiB } from '../../../server/src/shared/units';

export const v = (s: string): VllmVersion => parseVllmVersion(s)!;

export const arch = (id: string): ModelArchitecture => {
  const a = lookupArchitecture(id);
  assert.ok(a, id);
  return a;
};

export const gpu = (n: string) => resolveGpu(n)!;

export const near = (actual: number, expected: number, tol: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} not within ${tol} of ${expected}`);

export function estimate(
  id: string,
  g: string,
  settings: VllmSettings,
  version: string,
  outputTypes: EstimateInput['workload']['outputTypes'] = [],
) {
  return estimateVllmMemory({
    architecture: arch(id),
    gpu: gpu(g),
    settings,
    workload: { outputTypes },
    version: v(version),
  });
}
