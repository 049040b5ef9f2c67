// vLLM versions and which engine (V0 / V1) a version runs. The release boundaries follow
// reference/vllm-memory.md (main-branch dates mapped to the nearest release, ±1 minor).
import type { VllmVersion } from './types';

/**
 * The newest vLLM release we can source (reference/vllm-memory-2026.md §3: 0.29.x in September
 * 2026, 0.29.1rc1 on 2026-09-18); launches that pin no version are estimated as this one.
 */
export const LATEST_VLLM_VERSION: VllmVersion = { major: 0, minor: 29, patch: 0 };

/** The oldest vLLM whose accounting the notes trace (main 2024-03-30 ≈ 0.4.0); older ones are estimated as 0.4.0. */
export const EARLIEST_MODELLED_VLLM_VERSION: VllmVersion = { major: 0, minor: 4, patch: 0 };

const VERSION_RE =
  /^\s*v?(\d{1,4})(?:\.(\d{1,4}))?(?:\.(\d{1,4}))?(?:[.+-]?(?:post|rc|dev|a|b)\d*)*(?:\+[0-9A-Za-z.]*)?\s*$/i;

/** `0.6.3`, `v0.6.3.post1`, `0.8`, `0.10.1rc2`, `0.8.5.dev169+g1234` → {major, minor, patch}. */
export function parseVllmVersion(s: string): VllmVersion | undefined {
  if (typeof s !== 'string' || s.length > 64) return undefined;
  const m = VERSION_RE.exec(s);
  if (!m) return undefined;
  const v = { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) };
  return Number.isFinite(v.major) && Number.isFinite(v.minor) && Number.isFinite(v.patch) ? v : undefined;
}

export function compareVersions(a: VllmVersion, b: VllmVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * vLLM by date, for a log or a record that carries a date but never prints its version: the release
 * in use on a date is the last one on or before it. Through 0.14 the dates are the main-branch
 * snapshots of reference/vllm-memory.md (each within a day of its release tag); from 0.21 they are
 * release dates (reference/vllm-memory-2026.md §3; 0.22.0 on 2026-05-30, 0.24.0 on 2026-07-01 and
 * 0.28.0 on 2026-08-26 per the release announcements; 0.29.0 on 2026-09-09). 0.27.x is left out:
 * its date is not established.
 */
export const VLLM_RELEASES_BY_DATE: readonly (readonly [date: string, version: string])[] = [
  ['2024-03-30', '0.4.0'],
  ['2024-06-02', '0.4.3'],
  ['2024-08-24', '0.5.5'],
  ['2024-10-14', '0.6.3'],
  ['2024-12-28', '0.6.6'],
  ['2025-02-20', '0.7.3'],
  ['2025-03-19', '0.8.0'],
  ['2025-04-29', '0.8.5'],
  ['2025-07-25', '0.10.0'],
  ['2025-10-03', '0.11.0'],
  ['2026-01-15', '0.14.0'],
  ['2026-05-16', '0.21.0'],
  ['2026-05-30', '0.22.0'],
  ['2026-06-14', '0.23.0'],
  ['2026-07-01', '0.24.0'],
  ['2026-07-12', '0.25.0'],
  ['2026-07-27', '0.26.0'],
  ['2026-08-26', '0.28.0'],
  ['2026-09-09', '0.29.0'],
];

/** The release in use on `date` (`YYYY-MM-DD`); undefined before the first one in the table. */
export function vllmReleaseOnDate(date: string): string | undefined {
  let release: string | undefined;
  for (const [d, v] of VLLM_RELEASES_BY_DATE) if (d <= date) release = v;
  return release;
}

/** True when `v` is at least `major.minor.patch`. */
export function atLeast(v: VllmVersion, major: number, minor: number, patch = 0): boolean {
  return compareVersions(v, { major, minor, patch }) >= 0;
}

export function versionText(v: VllmVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** vLLM's two engines: V0 (`LLMEngine`, deleted in 0.11.0) and V1 (`vllm/v1`, the default from 0.8.0). */
export type Engine = 'V0' | 'V1';

export interface EngineEnv {
  /** `VLLM_USE_V1` as written in the environment. */
  VLLM_USE_V1?: string;
}

/**
 * The engine a version runs: V1 is the default from 0.8.0 (`VLLM_USE_V1=0` keeps V0 through
 * 0.10.x); V0 code was deleted in 0.11.0 (#25321). Before 0.8, V1 was opt-in with `VLLM_USE_V1=1`
 * (from 0.7.0; earlier versions have no V1).
 */
export function engineFor(version: VllmVersion, env: EngineEnv = {}): Engine {
  const flag = env.VLLM_USE_V1?.trim();
  if (atLeast(version, 0, 11)) return 'V1';
  if (atLeast(version, 0, 8)) return flag === '0' || flag?.toLowerCase() === 'false' ? 'V0' : 'V1';
  if (atLeast(version, 0, 7)) return flag === '1' || flag?.toLowerCase() === 'true' ? 'V1' : 'V0';
  return 'V0';
}
