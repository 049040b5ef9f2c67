// `check --format json`: one record of every finding and of where each fact behind the findings came
// from, per file and per launch. The fields are a public contract, documented in docs/cli-json.md;
// add fields, never rename or remove one (bump `schemaVersion` if that ever has to happen).
import type { LaunchFacts } from '../facts/launch';
import type { VersionFact } from '../facts/versions';
import { positionOfOffset } from '../service/positions';
import type { Severity } from '../shared/findings';
import type { TaskHarnessFact } from '../taskconfig/otherHarness';
import type { CheckResult } from './check';
import { estimateNumbers } from './estimate';
import type { ReportedFinding } from './report';

export const CHECK_JSON_SCHEMA_VERSION = 1;

type Rel = (file: string) => string;

export function versionJson(v: VersionFact, rel: Rel): object {
  return {
    version: v.text,
    source: v.source,
    file: v.file ? rel(v.file) : null,
    line: v.line ?? null,
    written: v.written ?? null,
    range: v.range,
    notes: v.notes,
    label: v.label,
  };
}

function findingJson(f: ReportedFinding): object {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    details: f.details ?? [],
    line: f.line + 1,
    column: f.column + 1,
    endLine: f.endLine + 1,
    endColumn: f.endColumn + 1,
  };
}

function launchJson(l: LaunchFacts, text: string, rel: Rel): object {
  const at = positionOfOffset(text, l.invocation.range.start);
  const p = l.pretrained;
  const written = p && typeof p.value === 'string' ? p.value : p ? null : undefined;
  const model =
    p === undefined
      ? null
      : {
          written,
          unresolved: !!p.unresolved,
          id: l.architecture?.architecture.id ?? null,
          source: l.architecture?.source ?? null,
          assumptions: l.architecture?.architecture.assumptions ?? [],
          notModelled: l.architecture?.architecture.notModelled ?? null,
        };
  return {
    line: at.line + 1,
    column: at.character + 1,
    backend: l.backend || null,
    model,
    gpu: {
      name: l.gpu.spec.name,
      totalGiB: Math.round((l.gpu.spec.totalBytes / 2 ** 30) * 100) / 100,
      source: l.gpu.source,
      count: l.gpu.count ?? null,
      countSource: l.gpu.countSource ?? null,
      notes: l.gpu.notes ?? [],
    },
    vllm: versionJson(l.vllm, rel),
    lmEval: versionJson(l.harness, rel),
    estimate: l.estimate ? estimateNumbers(l.estimate, l) : null,
  };
}

export function checkJson(
  result: CheckResult,
  findings: readonly ReportedFinding[],
  rel: Rel,
  toolVersion: string,
): object {
  const byFile = new Map<string, ReportedFinding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const files: object[] = [];
  const listed = new Set<string>();
  for (const c of result.files) {
    listed.add(c.path);
    const text = c.text;
    files.push({
      path: rel(c.path),
      kind: c.role,
      findings: (byFile.get(c.path) ?? []).map(findingJson),
      launches: c.launches.map((l) => launchJson(l, text, rel)),
      lmEval: c.harness ? versionJson(c.harness, rel) : null,
      taskHarness: c.taskHarness ? taskHarnessJson(c.taskHarness, rel) : null,
    });
  }
  // A problem written in a file that was not itself checked (an included template).
  for (const [file, list] of byFile) {
    if (listed.has(file)) continue;
    files.push({
      path: rel(file),
      kind: 'included',
      findings: list.map(findingJson),
      launches: [],
      lmEval: null,
      taskHarness: null,
    });
  }
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    schemaVersion: CHECK_JSON_SCHEMA_VERSION,
    tool: { name: 'lm-eval-lens', version: toolVersion },
    summary: {
      filesChecked: result.filesChecked,
      errors: count('error'),
      warnings: count('warning'),
      notes: count('info') + count('hint'),
    },
    files,
  };
}

function taskHarnessJson(t: TaskHarnessFact, rel: Rel): object {
  return { name: t.harness, source: t.source, file: rel(t.file), line: t.line ?? null, written: t.written };
}

/** One line per harness other than lm-eval: "2639 task configs in lmms-eval's format (lmms_eval/__init__.py): ...". */
export function otherHarnessSummaryLines(result: CheckResult): string[] {
  const byHarness = new Map<string, { count: number; written: Set<string> }>();
  for (const f of result.files) {
    if (!f.taskHarness) continue;
    const h = byHarness.get(f.taskHarness.harness) ?? { count: 0, written: new Set<string>() };
    h.count++;
    h.written.add(f.taskHarness.written);
    byHarness.set(f.taskHarness.harness, h);
  }
  return [...byHarness].map(([name, h]) => {
    const from = [...h.written];
    const said = from.length > 3 ? `${from.slice(0, 3).join('; ')}; ...` : from.join('; ');
    return `${h.count} task config${h.count === 1 ? '' : 's'} in ${name}'s format (${said}): checked for YAML syntax, include: and !function only, not against lm-eval's task schema (lmeval/other-harness).`;
  });
}

/** One line per distinct version answer, for the text report: "vLLM 0.6.3 from requirements.txt:1 (2 launches)". */
export function versionSummaryLines(result: CheckResult): string[] {
  const counts = new Map<string, { launches: number; taskConfigs: number }>();
  const add = (label: string, kind: 'launches' | 'taskConfigs') => {
    const c = counts.get(label) ?? { launches: 0, taskConfigs: 0 };
    c[kind]++;
    counts.set(label, c);
  };
  for (const f of result.files) {
    for (const l of f.launches) {
      if (l.isVllm) add(l.vllm.label, 'launches');
      add(l.harness.label, 'launches');
    }
    if (f.harness) add(f.harness.label, 'taskConfigs');
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [...counts].map(([label, c]) => {
    const what = [
      c.launches ? plural(c.launches, 'launch', 'launches') : '',
      c.taskConfigs ? plural(c.taskConfigs, 'task config', 'task configs') : '',
    ].filter(Boolean);
    return `${label} (${what.join(', ')})`;
  });
}
