// Version constraints as pip, Poetry and conda write them, and the version each one lets in: an
// exact pin is that version; a range is the newest known release it allows (pip and uv install
// the newest release a range admits). A subset of PEP 440 that covers what requirement files hold:
// release numbers of any length, a/b/rc pre-releases, .post and .dev, local `+cu118` labels.
import type { VllmVersion } from '../memory/types';
import { knownReleases } from './releases';
import type { SpecDialect, TrackedPackage } from './types';

export interface ParsedVersion {
  release: number[];
  pre?: { phase: 'a' | 'b' | 'rc'; n: number };
  post?: number;
  dev?: number;
  local?: string;
  text: string;
}

const VERSION_RE =
  /^\s*v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:(?:[-_.]?(?:post|rev|r)[-_.]?(\d*))|-(\d+))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

/** A PEP 440 version (`0.6.3`, `v0.6.3.post1`, `0.10.1rc2`, `0.8.5.dev169+g1234`), else undefined. */
export function parseVersionText(s: string): ParsedVersion | undefined {
  if (typeof s !== 'string' || s.length > 64) return undefined;
  const m = VERSION_RE.exec(s);
  if (!m) return undefined;
  const release = m[1].split('.').map(Number);
  if (release.length > 6 || release.some((n) => !Number.isSafeInteger(n))) return undefined;
  const v: ParsedVersion = { release, text: s.trim().replace(/^v/i, '') };
  if (m[2]) {
    const p = m[2].toLowerCase();
    v.pre = { phase: p.startsWith('a') ? 'a' : p.startsWith('b') ? 'b' : 'rc', n: Number(m[3] || 0) };
  }
  if (m[4] !== undefined || m[5] !== undefined) v.post = Number(m[4] || m[5] || 0);
  if (m[6] !== undefined) v.dev = Number(m[6] || 0);
  if (m[7]) v.local = m[7].toLowerCase();
  return v;
}

export function toVllmVersion(v: ParsedVersion): VllmVersion {
  return { major: v.release[0] ?? 0, minor: v.release[1] ?? 0, patch: v.release[2] ?? 0 };
}

function compareRelease(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

const PHASE_RANK = { a: 0, b: 1, rc: 2 } as const;

/** PEP 440 ordering (local labels ignored). */
export function compareParsed(a: ParsedVersion, b: ParsedVersion): number {
  const r = compareRelease(a.release, b.release);
  if (r) return r;
  // .devN of a final release sorts before its pre-releases; a final release after them.
  const preKey = (v: ParsedVersion): number[] =>
    v.pre ? [1, PHASE_RANK[v.pre.phase], v.pre.n] : v.post === undefined && v.dev !== undefined ? [0] : [2];
  const pa = preKey(a);
  const pb = preKey(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  const post = (a.post ?? -1) - (b.post ?? -1);
  if (post) return post;
  return (a.dev ?? Number.POSITIVE_INFINITY) - (b.dev ?? Number.POSITIVE_INFINITY) || 0;
}

interface Clause {
  op: '==' | '===' | '!=' | '~=' | '>=' | '<=' | '>' | '<';
  version: ParsedVersion;
  /** `==0.6.*`: a prefix of the release. */
  prefix?: number[];
}

function matches(c: Clause, v: ParsedVersion): boolean {
  if (c.prefix) {
    const same = c.prefix.every((n, i) => (v.release[i] ?? 0) === n);
    return c.op === '!=' ? !same : same;
  }
  const d = compareParsed(v, c.version);
  switch (c.op) {
    case '==':
    case '===':
      return d === 0;
    case '!=':
      return d !== 0;
    case '>=':
      return d >= 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '<':
      return d < 0 && !(v.pre && compareRelease(v.release, c.version.release) === 0);
    case '~=': {
      const keep = c.version.release.slice(0, Math.max(1, c.version.release.length - 1));
      return d >= 0 && keep.every((n, i) => (v.release[i] ?? 0) === n);
    }
  }
}

const CLAUSE_RE = /^(===|==|!=|~=|>=|<=|>|<)\s*(.+)$/;

function parsePep440Clause(s: string): Clause | undefined {
  const m = CLAUSE_RE.exec(s.trim());
  if (!m) return undefined;
  const op = m[1] as Clause['op'];
  const body = m[2].trim();
  const wildcard = /^v?(\d+(?:\.\d+)*)\.\*$/.exec(body);
  if (wildcard && (op === '==' || op === '!=')) {
    const prefix = wildcard[1].split('.').map(Number);
    return { op, version: { release: prefix, text: body }, prefix };
  }
  const version = parseVersionText(body);
  return version ? { op, version } : undefined;
}

/** Poetry's `^`, `~`, bare and wildcard forms as PEP 440 clauses. */
function poetryClauses(s: string): Clause[] | undefined {
  const out: Clause[] = [];
  for (const raw of s.split(/\s*,\s*|\s+(?=[<>=!~^\d*])/).filter(Boolean)) {
    const part = raw.trim();
    if (part === '*' || part === '') continue;
    const caret = /^\^\s*(.+)$/.exec(part);
    const tilde = /^~(?!=)\s*(.+)$/.exec(part);
    if (caret || tilde) {
      const v = parseVersionText((caret ?? tilde)![1]);
      if (!v) return undefined;
      const r = v.release;
      let upper: number[];
      if (caret) {
        const firstNonZero = r.findIndex((n) => n !== 0);
        const at = firstNonZero < 0 ? r.length - 1 : firstNonZero;
        upper = [...r.slice(0, at), r[at] + 1];
      } else upper = r.length === 1 ? [r[0] + 1] : [r[0], r[1] + 1];
      out.push({ op: '>=', version: v }, { op: '<', version: { release: upper, text: upper.join('.') } });
      continue;
    }
    const c = parsePep440Clause(part) ?? parsePep440Clause(`==${part}`);
    if (!c) return undefined;
    out.push(c);
  }
  return out;
}

/** Conda match specs: `0.6.3` is the prefix `0.6.3*`, `0.6.*` likewise; `==`, `>=`, … as in PEP 440. */
function condaClauses(s: string): Clause[] | undefined {
  const out: Clause[] = [];
  for (const raw of s.split(',').filter((p) => p.trim())) {
    const part = raw.trim().replace(/\*$/, '').replace(/\.$/, '');
    if (!part) continue;
    if (/^[<>=!~]/.test(part)) {
      const c = parsePep440Clause(part);
      if (!c) return undefined;
      out.push(c);
      continue;
    }
    const v = parseVersionText(part);
    if (!v) return undefined;
    const plain = !v.pre && v.post === undefined && v.dev === undefined;
    out.push(plain ? { op: '==', version: v, prefix: v.release } : { op: '==', version: v });
  }
  return out;
}

export function parseClauses(spec: string, dialect: SpecDialect): Clause[] | undefined {
  const s = spec.trim();
  if (dialect === 'exact') {
    const v = parseVersionText(s);
    return v ? [{ op: '==', version: v }] : undefined;
  }
  if (dialect === 'poetry') return poetryClauses(s);
  if (dialect === 'conda') return condaClauses(s);
  if (!s) return [];
  const out: Clause[] = [];
  for (const part of s.split(',')) {
    const c = parsePep440Clause(part);
    if (!c) return undefined;
    out.push(c);
  }
  return out;
}

export interface SpecResolution {
  version: ParsedVersion;
  /** True unless the spec names exactly one version. */
  range: boolean;
}

/**
 * The version a constraint installs: an exact pin as written; a range as the newest known release
 * (or version named in it) that every clause admits. Undefined when the text is not a constraint,
 * or when no version satisfies it (`>=0.7,<0.6`).
 */
export function resolveSpec(spec: string, dialect: SpecDialect, pkg: TrackedPackage): SpecResolution | undefined {
  const alternatives = dialect === 'exact' ? [spec] : spec.split('||');
  let best: SpecResolution | undefined;
  for (const alt of alternatives) {
    const clauses = parseClauses(alt, dialect);
    if (!clauses) return undefined;
    const exact = clauses.length === 1 && (clauses[0].op === '==' || clauses[0].op === '===') && !clauses[0].prefix;
    let found: ParsedVersion | undefined;
    if (exact) found = clauses[0].version;
    else {
      const candidates = knownReleases(pkg).map((t) => parseVersionText(t)!);
      // A version the spec names may be newer than every release we know (`>=0.30`).
      for (const c of clauses) {
        candidates.push(c.version);
        // `<0.5.5`: 0.5.4 exists whenever 0.5.5 does (patch releases are consecutive)
        const r = c.version.release;
        if (c.op === '<' && r.length >= 3 && r[r.length - 1] > 0)
          candidates.push({
            release: [...r.slice(0, -1), r[r.length - 1] - 1],
            text: [...r.slice(0, -1), r[r.length - 1] - 1].join('.'),
          });
      }
      for (const v of candidates) {
        if (clauses.every((c) => matches(c, v)) && (!found || compareParsed(v, found) > 0)) found = v;
      }
    }
    if (found && (!best || compareParsed(found, best.version) > 0)) best = { version: found, range: !exact };
  }
  if (best && alternatives.length > 1) best.range = true;
  return best;
}
