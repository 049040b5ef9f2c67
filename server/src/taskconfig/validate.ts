// validateTaskConfig: parse (PyYAML rules) → resolve includes → classify the merged config as lm-eval
// does → run the task or group rules → report each problem where it is written.
import * as path from 'node:path';
import type { Finding, Severity } from '../shared/findings';
import { checkFunctions } from './checkFunctions';
import { checkGroup } from './checkGroup';
import { checkTask } from './checkTask';
import { FindingSink, replaceFix } from './findingsUtil';
import { harnessDirective, harnessRules, type HarnessRules } from './harnessVersion';
import { parseCacheFor, resolveIncludes, type MergedEntry, type ResolvedConfig } from './includes';
import { checkSchema } from './schemaCheck';
import type { ConfigKind, TaskConfigContext } from './types';
import { parseTaskYaml, scalarString } from './yamlTree';

/** Above this size only YAML syntax is checked. */
export const MAX_CHECKED_BYTES = 2 * 1024 * 1024;
/** Above this size nothing is parsed. */
export const MAX_PARSED_BYTES = 16 * 1024 * 1024;

export function rulesFor(text: string, ctx: Pick<TaskConfigContext, 'harnessVersion'>): HarnessRules {
  return harnessRules(harnessDirective(text) ?? ctx.harnessVersion);
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
  /** True when the checked file registers a `task` with `group` in the legacy way. */
  legacyGroupTask: boolean;
}

export function analyzeTaskConfig(given: string, text: string, ctx: TaskConfigContext): AnalyzedConfig {
  const file = path.resolve(given);
  const rules = rulesFor(text, ctx);
  const cache = parseCacheFor(ctx.fs);
  const parsed = cache.parse(file, text);
  const resolved = resolveIncludes(parsed, ctx.fs, rules, cache);
  const entries = resolved.entries;
  const kind = entries ? kindOf(entries, rules) : 'unknown';
  const names: AnalyzedConfig['names'] = [];
  let legacyGroupTask = false;
  if (entries) {
    const task = entries.get('task');
    const group = entries.get('group');
    const taskName = task ? scalarString(task.value) : undefined;
    const groupName = group ? scalarString(group.value) : undefined;
    legacyGroupTask = kind !== 'python-task' && taskName !== undefined && group !== undefined;
    if ((kind === 'task' || kind === 'python-task' || legacyGroupTask) && taskName !== undefined && task)
      names.push({ name: taskName, kind: 'task', file: task.file, range: task.value.range });
    else if (kind === 'group' && groupName !== undefined && group)
      names.push({ name: groupName, kind: 'group', file: group.file, range: group.value.range });
  }
  return { resolved, rules, kind, names, legacyGroupTask };
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
  const a = analyzeTaskConfig(file, text, ctx);
  const { resolved, rules, kind } = a;
  const sink = new FindingSink(file);
  sink.items.push(...resolved.parsed.findings, ...resolved.findings);
  const entries = resolved.entries;
  const root = resolved.parsed.root;
  if (!entries) {
    if (root && root.kind !== 'map')
      sink.node(
        root,
        'invalid-value',
        'error',
        'An lm-eval config must be a YAML mapping (`key: value` lines); lm-eval raises ValueError.',
      );
    return finish(sink, a, ctx);
  }
  const taskEntry = entries.get('task');
  const anchor = taskEntry
    ? { file: taskEntry.file, range: taskEntry.keyRange }
    : { file, range: firstKeyRange(resolved) };
  const isYamlFile = /\.ya?ml$/i.test(file);

  if (a.legacyGroupTask) {
    const group = entries.get('group')!;
    sink.at(
      group.file,
      group.keyRange,
      'legacy-group-task',
      rules.legacy ? 'warning' : 'error',
      rules.legacy
        ? `\`group:\` next to a single \`task:\` is the pre-0.4 way to put a task in a group; lm-eval ${rules.label} still reads this as a task, but v0.4.12+ reads the file as a group named \`${scalarString(group.value) ?? '?'}\` and the task disappears. Use \`tag:\` instead.`
        : `lm-eval v0.4.12+ reads a file with \`group:\` as a group: this defines a group \`${scalarString(group.value) ?? '?'}\` containing \`${scalarString(taskEntry?.value) ?? '?'}\`, and the task itself is never registered. Use \`tag:\` to put a task in a collection.`,
      { fixes: [replaceFix('Rename `group` to `tag`', group.keyRange, 'tag')] },
    );
  }

  if (kind === 'group' && !a.legacyGroupTask) {
    checkGroup(entries, rules, sink, anchor);
    sink.items.push(...checkSchema(entries, 'group', file));
  } else if (kind === 'task' || kind === 'python-task' || a.legacyGroupTask) {
    const pythonTask = kind === 'python-task';
    if (pythonTask) {
      const cls = entries.get('class')!;
      if (cls.value.kind !== 'function')
        sink.node(
          cls.value,
          'invalid-value',
          'error',
          '`class` must be `!function module.TaskClass`; lm-eval instantiates it as a Python task.',
        );
    }
    checkTask(entries, rules, sink, { partial: !isYamlFile, pythonTask, anchor });
    if (!pythonTask) sink.items.push(...checkSchema(entries, 'task', file));
  } else {
    // Neither task nor group: a template, or a file lm-eval's indexer silently skips.
    if (/\.yaml$/i.test(file))
      sink.at(
        file,
        firstKeyRange(resolved),
        'no-task-or-group',
        'warning',
        'lm-eval skips a `.yaml` with neither `task:` nor `group:` (after includes) without a word, so this file defines nothing. Add `task: <name>`; if it is a template used only through `include:`, rename it without the `.yaml` extension (e.g. `_default_template_yaml`).',
      );
    checkTask(entries, rules, sink, { partial: true, pythonTask: false, anchor });
    sink.items.push(...checkSchema(entries, 'task', file));
  }
  checkFunctions(entries.values(), rules, ctx.fs, sink);
  checkNames(a, ctx, sink);
  return finish(sink, a, ctx);
}

function firstKeyRange(resolved: ResolvedConfig): { start: number; end: number } {
  const root = resolved.parsed.root;
  if (root && root.kind === 'map' && root.entries.length > 0) return root.entries[0].keyRange;
  return { start: 0, end: 0 };
}

function checkNames(a: AnalyzedConfig, ctx: TaskConfigContext, sink: FindingSink): void {
  for (const n of a.names) {
    const other = ctx.workspaceNames?.get(n.name);
    if (other !== undefined && path.resolve(other) !== path.resolve(a.resolved.parsed.file)) {
      const first = other.split(path.sep).join('/') < a.resolved.parsed.file.split(path.sep).join('/');
      sink.at(
        n.file,
        n.range,
        'duplicate-task-name',
        'warning',
        `\`${n.name}\` is also defined in ${other}. Names share one namespace; lm-eval keeps the first file in path order (${first ? 'that one' : 'this one'}) and skips the other. Rename one of them.`,
        { related: [{ file: other, range: { start: 0, end: 0 }, message: `\`${n.name}\` defined here` }] },
      );
    } else if (ctx.builtinNames?.has(n.name)) {
      sink.at(
        n.file,
        n.range,
        'duplicate-task-name',
        'warning',
        `\`${n.name}\` is already a built-in lm-eval ${n.kind} name; loading this folder with --include_path overrides the built-in (lm-eval logs a warning). Pick a new name unless you mean to replace it.`,
      );
    }
  }
}

/** Dedupe, then summarise problems of included files on the `include:` line that brings them in. */
function finish(sink: FindingSink, a: AnalyzedConfig, _ctx: TaskConfigContext): Finding[] {
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
    if (!g) byInclude.set(k, (g = { ref: via, items: [] }));
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
