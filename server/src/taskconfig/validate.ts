// validateTaskConfig: parse (PyYAML rules) → resolve includes → classify the merged config as lm-eval
// does → run the task-config rules (rules/) → report each problem where it is written.
import * as path from 'node:path';
import type { Finding, Severity } from '../shared/findings';
import { FindingSink } from './findingsUtil';
import { collectFunctions } from './functionRefs';
import { readForkConfig } from './forkConfig';
import { harnessDirective, harnessInForce, harnessRules, type HarnessRules, withForkConfig } from './harnessVersion';
import { parseCacheFor, resolveIncludes, type MergedEntry, type ResolvedConfig } from './includes';
import { type GroupResults, groupResults } from './groupMetrics';
import { checkOtherHarnessFunctions, otherHarnessNamed, otherHarnessNote, sharedLoaderFindings } from './otherHarness';
import type { Registrations } from './pythonRegistrations';
import { configRegistrations } from './registrations';
import { GROUP_FIELDS, type InlineTask, resolveInlineTasks } from './inlineTasks';
import { type CheckedAs, checkTaskConfigRules, INLINE_TASK_RULES, type TaskConfigFacts } from './rules';
import type { ConfigKind, TaskConfigContext } from './types';
import { entryOf, parseTaskYaml, scalarString } from './yamlTree';

/** Above this size only YAML syntax is checked. */
export const MAX_CHECKED_BYTES = 2 * 1024 * 1024;
/** Above this size nothing is parsed. */
export const MAX_PARSED_BYTES = 16 * 1024 * 1024;

export function rulesFor(
  text: string,
  ctx: Pick<TaskConfigContext, 'harnessVersion' | 'harnessSource' | 'fs'>,
): HarnessRules {
  const directive = harnessDirective(text);
  if (directive !== undefined) return harnessRules(directive);
  const rules = harnessRules(ctx.harnessVersion);
  return ctx.harnessSource ? withForkConfig(rules, readForkConfig(ctx.fs, ctx.harnessSource)) : rules;
}

/** lm-eval's classification of a merged config (v0.4.12+ `_kind_of`; v0.4.9 looks at the type of `task`). */
export function kindOf(entries: Map<string, MergedEntry>, rules: HarnessRules): ConfigKind {
  if (entries.has('class')) return 'python-task';
  const task = entries.get('task');
  if (rules.legacy) {
    if (task && task.value.kind === 'seq') return 'group';
    if (task) return 'task';
    return entries.has('group') ? 'group' : 'unknown';
  }
  if (entries.has('group')) return 'group';
  if (task) return 'task';
  return 'unknown';
}

export interface AnalyzedConfig {
  resolved: ResolvedConfig;
  rules: HarnessRules;
  kind: ConfigKind;
  /** Names this file registers (task or group), with where they are written. */
  names: { name: string; kind: 'task' | 'group'; file: string; range: { start: number; end: number } }[];
  /** `group:` next to a single `task:` that the file itself defines (task keys beside it, or a `group`
   * list of collection names): the pre-0.4.5 way to put a task in a collection. */
  legacyGroupTask: boolean;
  /** A group (only group keys) whose `task:` is one name instead of a list of members. */
  groupWithOneNameTask: boolean;
  /** A group's members written as tasks (`- task: name` with settings), each merged with its template. */
  inlineTasks: InlineTask[];
}

export function analyzeTaskConfig(given: string, text: string, ctx: TaskConfigContext): AnalyzedConfig {
  const file = path.resolve(given);
  const rules = rulesFor(text, harnessInForce(file, ctx));
  const cache = parseCacheFor(ctx.fs);
  const parsed = cache.parse(file, text);
  const resolved = resolveIncludes(parsed, ctx.fs, rules, cache);
  const entries = resolved.entries;
  const kind = entries ? kindOf(entries, rules) : 'unknown';
  const names: AnalyzedConfig['names'] = [];
  let legacyGroupTask = false;
  let groupWithOneNameTask = false;
  if (entries) {
    const task = entries.get('task');
    const group = entries.get('group');
    const taskName = task ? scalarString(task.value) : undefined;
    const groupName = group ? scalarString(group.value) : undefined;
    if (kind !== 'python-task' && taskName !== undefined && group !== undefined) {
      const definesTask = [...entries.keys()].some((k) => !GROUP_FIELDS.has(k));
      legacyGroupTask = definesTask || group.value.kind === 'seq';
      groupWithOneNameTask = !legacyGroupTask;
    }
    if ((kind === 'task' || kind === 'python-task' || legacyGroupTask) && taskName !== undefined && task)
      names.push({ name: taskName, kind: 'task', file: task.file, range: task.value.range });
    else if (kind === 'group' && groupName !== undefined && group)
      names.push({ name: groupName, kind: 'group', file: group.file, range: group.value.range });
  }
  const analyzed: AnalyzedConfig = {
    resolved,
    rules,
    kind,
    names,
    legacyGroupTask,
    groupWithOneNameTask,
    inlineTasks: [],
  };
  if (entries && checkedAs(analyzed) === 'group')
    analyzed.inlineTasks = resolveInlineTasks(entries, resolved, ctx.fs, rules, cache);
  return analyzed;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function validateTaskConfig(file: string, text: string, ctx: TaskConfigContext): Finding[] {
  try {
    return validateUnchecked(file, text, ctx);
  } catch (err) {
    // A bug of ours must not take the editor down; say that checks stopped.
    return [
      {
        code: 'input-limit',
        severity: 'info',
        message: `lm-eval-lens stopped checking this file: ${err instanceof Error ? err.message : String(err)}`,
        range: { start: 0, end: 0 },
      },
    ];
  }
}

function validateUnchecked(given: string, text: string, ctx: TaskConfigContext): Finding[] {
  const file = path.resolve(given);
  if (text.length > MAX_PARSED_BYTES)
    return [
      {
        code: 'input-limit',
        severity: 'warning',
        message: `This file is ${(text.length / 1048576).toFixed(1)} MB; lm-eval-lens does not check files over ${MAX_PARSED_BYTES / 1048576} MB.`,
        range: { start: 0, end: 0 },
      },
    ];
  if (text.length > MAX_CHECKED_BYTES) {
    const parsed = parseTaskYaml(file, text);
    return [
      {
        code: 'input-limit',
        severity: 'info',
        message: `This file is ${(text.length / 1048576).toFixed(1)} MB; only YAML syntax is checked (limit for full checks: ${MAX_CHECKED_BYTES / 1048576} MB).`,
        range: { start: 0, end: 0 },
      },
      ...parsed.findings,
    ];
  }
  const otherFact = ctx.taskHarnessFor?.(file);
  const other = otherHarnessNamed(otherFact?.harness);
  if (otherFact && other) {
    // Another harness's config: its loader's view only, with lm-eval's newest include and import rules.
    const a = analyzeTaskConfig(file, text, { ...ctx, harnessVersion: undefined, harnessVersionFor: undefined });
    const sink = new FindingSink(file);
    sink.items.push(...sharedLoaderFindings([...a.resolved.parsed.findings, ...a.resolved.findings]));
    if (a.resolved.entries)
      checkOtherHarnessFunctions(
        collectFunctions(a.resolved.entries.values()),
        other,
        otherFact,
        a.rules,
        ctx.fs,
        sink,
      );
    return [otherHarnessNote(otherFact, firstKeyRange(a.resolved)), ...finish(sink, a)];
  }
  const a = analyzeTaskConfig(file, text, ctx);
  const sink = new FindingSink(file);
  sink.items.push(...a.resolved.parsed.findings, ...a.resolved.findings);
  const entries = a.resolved.entries;
  if (entries) {
    const facts = taskConfigFacts(file, entries, a, ctx);
    checkTaskConfigRules(facts, sink);
    for (const t of a.inlineTasks) checkTaskConfigRules(inlineTaskFacts(facts, t), sink, INLINE_TASK_RULES);
  }
  return finish(sink, a);
}

/** How lm-eval reads the merged config: a group, a task, a Python-class task, or neither (a template). */
function checkedAs(a: AnalyzedConfig): CheckedAs {
  if (a.groupWithOneNameTask) return 'group';
  if (a.kind === 'group' && !a.legacyGroupTask) return 'group';
  if (a.kind === 'python-task') return 'python-task';
  if (a.kind === 'task' || a.legacyGroupTask) return 'task';
  return 'neither';
}

function taskConfigFacts(
  file: string,
  entries: Map<string, MergedEntry>,
  a: AnalyzedConfig,
  ctx: TaskConfigContext,
): TaskConfigFacts {
  const as = checkedAs(a);
  const taskEntry = entries.get('task');
  let registrations: Registrations | undefined;
  let results: GroupResults | undefined;
  return {
    file,
    entries,
    checkedAs: as,
    harness: a.rules,
    // An include that did not load leaves the merged config incomplete: what is missing is that
    // include's problem, reported once on its line, not a missing key of this task.
    partial: as === 'neither' || !/\.ya?ml$/i.test(file) || a.resolved.incomplete,
    anchor: taskEntry
      ? { file: taskEntry.file, range: taskEntry.keyRange }
      : { file, range: firstKeyRange(a.resolved) },
    functions: collectFunctions(entries.values()),
    analyzed: a,
    ctx,
    registrations: () =>
      (registrations ??= configRegistrations(
        ctx.fs,
        file,
        a.resolved.reachedVia.keys(),
        a.resolved.parsed.root,
        a.rules,
      )),
    groupResults: () =>
      (results ??= groupResults(
        entries,
        new Map(a.inlineTasks.map((t) => [t.member, t.entries])),
        file,
        ctx,
        analyzeTaskConfig,
      )),
  };
}

/** A group's inline task, checked as a partial task (what is written, not what is missing). */
function inlineTaskFacts(group: TaskConfigFacts, t: InlineTask): TaskConfigFacts {
  const task = entryOf(t.member, 'task');
  return {
    ...group,
    entries: t.entries,
    checkedAs: 'task',
    partial: true,
    anchor: { file: t.member.file, range: task ? task.keyRange : t.member.range },
    functions: collectFunctions(t.entries.values()),
    inherited: t.inherited,
  };
}

function firstKeyRange(resolved: ResolvedConfig): { start: number; end: number } {
  const root = resolved.parsed.root;
  if (root && root.kind === 'map' && root.entries.length > 0) return root.entries[0].keyRange;
  return { start: 0, end: 0 };
}

/** Dedupe, then summarise problems of included files on the `include:` line that brings them in. */
function finish(sink: FindingSink, a: AnalyzedConfig): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of sink.items) {
    const key = `${f.code}|${f.file ?? ''}|${f.range.start}|${f.range.end}|${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  const byInclude = new Map<
    string,
    { ref: { range: { start: number; end: number }; spec: string }; items: Finding[] }
  >();
  for (const f of out) {
    if (!f.file || (f.severity !== 'error' && f.severity !== 'warning')) continue;
    const via = a.resolved.reachedVia.get(f.file);
    if (!via) continue;
    const k = `${via.range.start}`;
    let g = byInclude.get(k);
    if (!g) {
      g = { ref: via, items: [] };
      byInclude.set(k, g);
    }
    g.items.push(f);
  }
  for (const { ref, items } of byInclude.values()) {
    items.sort((x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity]);
    const worst = items[0];
    const errors = items.filter((i) => i.severity === 'error').length;
    const counts =
      errors > 0
        ? `${errors} error${errors > 1 ? 's' : ''}${items.length > errors ? ` and ${items.length - errors} warning${items.length - errors > 1 ? 's' : ''}` : ''}`
        : `${items.length} warning${items.length > 1 ? 's' : ''}`;
    out.push({
      code: worst.code,
      severity: worst.severity,
      message: `The included \`${ref.spec}\` has ${counts}, first: ${worst.message}`,
      range: ref.range,
      related: items.slice(0, 20).map((i) => ({ file: i.file!, range: i.range, message: i.message })),
    });
  }
  return out;
}
