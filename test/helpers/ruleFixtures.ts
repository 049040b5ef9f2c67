// Runs one rule fixture (test/fixtures/rules/<code>/<file>) through the language service as the
// editor and the CLI do, and compares what it finds in that file with the file's `want` markers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, type ServiceContext } from '../../server/src/service/analyze';
import { positionOfOffset } from '../../server/src/service/positions';
import type { Finding } from '../../server/src/shared/findings';
import { parseNvidiaSmiCsv } from '../../server/src/node/nvidiaSmi';
import { nodeTaskFileSystem } from '../../server/src/node/taskFileSystem';
import { projectFactsWalker } from '../../server/src/node/projectFacts';
import { builtinTaskIndex, indexNames } from '../../server/src/tasks/builtinIndex';
import { testContext } from './context';
import { fixture } from './paths';
import { parseWantMarkers, type WantMarker } from './wantMarkers';

export const RULE_FIXTURES = fixture('rules');

/** Fixture files of one code's folder; names starting with `_` are helpers (included files, modules). */
export function ruleFixtureFiles(code: string): string[] {
  const dir = path.join(RULE_FIXTURES, code);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => !n.startsWith('_') && !n.startsWith('.') && fs.statSync(path.join(dir, n)).isFile())
    .sort()
    .map((n) => path.join(dir, n));
}

/**
 * The context a fixture runs in: the built-in model catalog and task index (so `task: arc_easy` is a
 * duplicate, as with an lm-eval install), no GPU detected unless the fixture has
 * `# nvidia-smi: 0, NVIDIA A100-SXM4-80GB, 81920, 30000` lines (what `nvidia-smi
 * --query-gpu=index,name,memory.total,memory.free --format=csv,noheader,nounits` prints). The
 * project facts of the code's folder apply (its `.lm-eval-lens.json`, say); the walk stops there.
 */
function fixtureContext(file: string, text: string): ServiceContext {
  const smi = [...text.matchAll(/^#\s*nvidia-smi:\s*(.+)$/gm)].map((m) => m[1]).join('\n');
  const detected = smi ? parseNvidiaSmiCsv(smi) : undefined;
  const base = testContext({}, detected);
  const walker = projectFactsWalker({ fs: nodeTaskFileSystem(), roots: [path.dirname(file)], env: () => undefined });
  return {
    ...base,
    providers: { ...base.providers, projectFacts: (f) => walker.factsFor(f) },
    taskConfig: { fs: nodeTaskFileSystem(), builtinNames: indexNames(builtinTaskIndex()) },
  };
}

export interface FixtureRun {
  markers: WantMarker[];
  findings: Finding[];
  /** One line per disagreement between markers and findings; empty when they agree. */
  problems: string[];
}

export function runRuleFixture(file: string): FixtureRun {
  const text = fs.readFileSync(file, 'utf8');
  const markers = parseWantMarkers(text);
  const analysis = analyzeDocument({ path: file, text }, fixtureContext(file, text));
  const findings = analysis.findings.filter((f) => !f.file || path.resolve(f.file) === path.resolve(file));
  const unmatched = new Set(findings);
  const problems: string[] = [];
  const describe = (f: Finding) => {
    const s = positionOfOffset(text, f.range.start);
    return `${f.code} at ${s.line + 1}:${s.character + 1} "${f.message}"`;
  };
  for (const m of markers) {
    const hit = [...unmatched].find((f) => {
      const s = positionOfOffset(text, f.range.start);
      const e = positionOfOffset(text, f.range.end);
      if (f.code !== m.code || s.line !== m.line || !f.message.includes(m.fragment)) return false;
      if (m.severity !== undefined && f.severity !== m.severity) return false;
      if (m.flagged !== undefined && text.slice(f.range.start, f.range.end) !== m.flagged) return false;
      if (m.startColumn === undefined) return true;
      if (s.character !== m.startColumn) return false;
      return m.continues ? e.line > s.line : e.line === s.line && e.character === m.endColumn;
    });
    if (hit) unmatched.delete(hit);
    else
      problems.push(
        `marker at line ${m.markerLine} (want ${m.severity ? `${m.severity} ` : ''}${m.code} "${m.fragment}" on line ${m.line + 1}${m.flagged !== undefined ? ` at "${m.flagged}"` : ''}${m.startColumn !== undefined ? `, columns ${m.startColumn + 1}-${m.continues ? '…' : (m.endColumn ?? 0) + 1}` : ''}) matched no finding`,
      );
  }
  for (const f of unmatched) problems.push(`finding without a marker: ${describe(f)}`);
  return { markers, findings, problems };
}
