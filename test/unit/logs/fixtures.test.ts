// Every log fixture (test/fixtures/logs/<era>/<name>.log, from a public thread cited in its header,
// which says which lines are verbatim and which reconstructed: see the README there) is read and
// diagnosed, and the result is checked against <name>.expected.json: the status, the cause's code,
// whether it is a memory failure, the version and engine read, the preferred fix, and the figures
// the self-check compares.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diagnoseLog } from '../../../server/src/logs/diagnose';
import { readLogText } from '../../../server/src/logs/reader';
import type { MemoryFigures } from '../../../server/src/logs/types';
import { testProviders } from '../../helpers/context';
import { fixture } from '../../helpers/paths';

interface Expected {
  source: string;
  era: string;
  status: 'failed' | 'healthy' | 'incomplete';
  code: string | null;
  memory: boolean;
  version?: string;
  engine?: 'V0' | 'V1';
  model?: string;
  phase?: string;
  kind?: string;
  server?: boolean;
  /** key → exact value, '<=N', '<N' or '>N'; or { oneOf: keys }. */
  fix?: Record<string, unknown> & { oneOf?: string[] };
  /** A pattern the preferred fix's title matches (advice, or where a value came from). */
  fixTitleMatches?: string;
  /** A pattern the cause sentence matches. */
  causeMatches?: string;
  /** The failure's line, 1-based as an editor shows it. */
  failureLine?: number;
  fixedModelArgsContains?: string;
  fixedFlagsContains?: string;
  logged?: Record<string, number>;
}

const FIGURE_OF_TERM: Record<string, keyof MemoryFigures> = {
  weights: 'weightsGiB',
  activation: 'activationGiB',
  'non-torch': 'nonTorchGiB',
  'kv-cache': 'kvCacheGiB',
  'kv-tokens': 'kvTokens',
  budget: 'budgetGiB',
  'cuda-graphs': 'cudaGraphGiB',
};

const root = fixture('logs');
const cases: { name: string; log: string; expected: Expected }[] = [];
for (const era of fs.readdirSync(root)) {
  if (!fs.statSync(path.join(root, era)).isDirectory()) continue; // README.md
  for (const f of fs.readdirSync(path.join(root, era))) {
    if (!f.endsWith('.log')) continue;
    const base = f.slice(0, -'.log'.length);
    cases.push({
      name: `${era}/${base}`,
      log: fs.readFileSync(path.join(root, era, f), 'utf8'),
      expected: JSON.parse(fs.readFileSync(path.join(root, era, `${base}.expected.json`), 'utf8')) as Expected,
    });
  }
}

/** The 1-based lines a `# Verbatim:` / `Reconstructed:` header field names ("lines 6-23, 25" or "none"). */
function headerLines(log: string, field: 'Verbatim' | 'Reconstructed'): Set<number> | undefined {
  const m = new RegExp(`${field}: (none|lines? ([\\d, -]*\\d))`).exec(log);
  if (!m) return undefined;
  const out = new Set<number>();
  for (const part of (m[2] ?? '').split(',')) {
    if (!part.trim()) continue;
    const [a, b] = part.trim().split('-').map(Number);
    for (let n = a; n <= (b ?? a); n++) out.add(n);
  }
  return out;
}

function satisfies(value: unknown, want: unknown): boolean {
  if (typeof want === 'string') {
    const m = /^(<=|<|>=|>)(-?[\d.]+)$/.exec(want);
    if (m && typeof value === 'number') {
      const n = Number(m[2]);
      return m[1] === '<=' ? value <= n : m[1] === '<' ? value < n : m[1] === '>=' ? value >= n : value > n;
    }
  }
  return value === want;
}

describe('log fixtures from public threads', () => {
  it('cover every era, every failure kind, healthy starts and failures that are not memory', () => {
    const eras = new Set(cases.map((c) => c.expected.era));
    for (const era of ['V0 0.4-0.6', 'V0/V1 0.7-0.10', 'V1 0.11+']) assert.ok(eras.has(era), `no fixture for ${era}`);
    const codes = new Set(cases.map((c) => c.expected.code));
    for (const code of [
      'kv-cache-too-small',
      'cuda-graph-headroom',
      'logprobs-spike',
      'weights-exceed-budget',
      'gpu-memory-in-use',
      'sampler-warmup-oom',
      'run-failure',
    ])
      assert.ok(codes.has(code), `no fixture diagnosed as ${code}`);
    assert.ok(
      cases.some((c) => c.expected.status !== 'failed'),
      'a log without a failure',
    );
  });

  it('say in their header which lines are verbatim from the source and which are reconstructed', () => {
    for (const c of cases) {
      const verbatim = headerLines(c.log, 'Verbatim');
      const reconstructed = headerLines(c.log, 'Reconstructed');
      assert.ok(verbatim && reconstructed, `${c.name}: a "# Verbatim: ..." and a "Reconstructed: ..." field`);
      const named = [...verbatim, ...reconstructed];
      assert.equal(new Set(named).size, named.length, `${c.name}: a line is both verbatim and reconstructed`);
      const lines = c.log.split(/\r?\n/);
      const first = Math.min(...named);
      lines.forEach((text, i) => {
        const n = i + 1;
        if (n < first) assert.match(text, /^#/, `${c.name}:${n}: the header is comment lines`);
        else if (text.trim() !== '' && !/^# lm-eval-lens: /.test(text))
          assert.ok(verbatim.has(n) || reconstructed.has(n), `${c.name}:${n} is neither verbatim nor reconstructed`);
      });
    }
  });

  for (const c of cases) {
    it(`${c.name}: ${c.expected.code ?? c.expected.status} (${c.expected.source})`, () => {
      const e = c.expected;
      assert.match(
        c.log,
        new RegExp(`Source: ${e.source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
        'the fixture cites its source',
      );
      const facts = readLogText(c.log);
      const d = diagnoseLog(facts, testProviders());
      assert.equal(d.status, e.status, d.cause);
      assert.equal(d.code ?? null, e.code, d.cause);
      assert.equal(d.memory, e.memory);
      if (e.version) assert.equal(d.launch.versionLabel, e.version);
      if (e.engine) assert.equal(d.launch.engine, e.engine);
      if (e.model) assert.equal(d.launch.model, e.model);
      if (e.phase) assert.equal(d.phase, e.phase);
      if (e.kind) assert.equal(d.failure?.kind, e.kind);
      if (e.server !== undefined) assert.equal(d.launch.server, e.server);
      if (!e.memory) assert.deepEqual(d.fixes, [], 'no memory fix for a failure that is not about memory');
      if (e.fix) {
        const best = d.fixes[0];
        assert.ok(best, `a fix expected; cause: ${d.cause}`);
        assert.ok(best.preferred, 'the first fix is the preferred one');
        if (e.fix.oneOf) {
          assert.ok(
            best.changes.some((ch) => e.fix!.oneOf!.includes(ch.key)),
            `preferred fix ${JSON.stringify(best.changes)} changes none of ${e.fix.oneOf}`,
          );
        } else {
          for (const [key, want] of Object.entries(e.fix)) {
            const change = best.changes.find((ch) => ch.key === key);
            assert.ok(change, `preferred fix ${JSON.stringify(best.changes)} does not set ${key}`);
            assert.ok(satisfies(change.value, want), `${key}=${change.value}, expected ${want}`);
          }
        }
      }
      if (e.fixTitleMatches) assert.match(d.fixes[0]?.title ?? '', new RegExp(e.fixTitleMatches));
      if (e.causeMatches) assert.match(d.cause, new RegExp(e.causeMatches));
      if (e.failureLine !== undefined) assert.equal((d.failure?.line ?? -2) + 1, e.failureLine, d.failure?.message);
      if (e.fixedModelArgsContains) assert.ok(d.fixedModelArgs?.includes(e.fixedModelArgsContains), d.fixedModelArgs);
      if (e.fixedFlagsContains) assert.ok(d.fixedFlags?.includes(e.fixedFlagsContains), d.fixedFlags);
      for (const [term, value] of Object.entries(e.logged ?? {})) {
        const figure = facts.memory[FIGURE_OF_TERM[term]];
        const read = typeof figure?.value === 'number' ? figure.value : undefined;
        assert.ok(read !== undefined && Math.abs(read - value) < 0.01, `${term}: read ${read}, logged ${value}`);
        // The self-check shows what was read, next to the model's figure.
        const row = d.selfCheck?.find((r) => r.term === term);
        if (row && term !== 'kv-tokens') assert.equal(row.logged, read);
      }
    });
  }
});
