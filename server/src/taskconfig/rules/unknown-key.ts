// unknown-key: a key lm-eval does not accept where it is written. TaskConfig(**cfg) and FewshotConfig
// raise TypeError; a group pushes unknown keys down to every member task, which then raises; metric
// entries and filter steps pass extra keys on as keyword arguments, so there only a near miss of a
// real key is reported (the real key then silently keeps its default).
import {
  AGG_METRIC_KEYS,
  FEWSHOT_KEYS,
  GROUP_KEYS,
  KNOWN_TASK_LEVEL_KEYS,
  METRIC_ENTRY_KEYS,
  METRIC_KWARGS,
  TASK_KEYS,
} from '../knowledge';
import type { FindingSink } from '../findingsUtil';
import { classLocation } from '../forkConfig';
import { type HarnessRules, harnessAtLeast, taskFieldAddedIn, taskFieldRemovedIn } from '../harnessVersion';
import { isInlineTask } from '../inlineTasks';
import { entryOf, type YMap } from '../yamlTree';
import type { TaskConfigRule } from './rule';
import { didYouMean } from './suggest';
import { aggregateEntries, fewshotConfig, filterSteps, groupMembers, metricEntries } from './structure';
import { type KeyScope, keysOf, reportUnknownKeys } from './unknownKeys';

const CODE = 'unknown-key';
const GROUP_OR_TASK_KEYS = new Set([...GROUP_KEYS.keys(), ...KNOWN_TASK_LEVEL_KEYS]);

const TASK: KeyScope = {
  known: KNOWN_TASK_LEVEL_KEYS,
  severity: 'error',
  message: (key, s) =>
    `Unknown key \`${key}\`: lm-eval raises TypeError ("got an unexpected keyword argument '${key}'") when it builds the task.${didYouMean(s)}${s ? '' : ' Move custom data under `metadata`.'}`,
};

/** TaskConfig's fields, with the loader's own keys (`include`, `class`, ...); `group` is legacy-group-task's to report. */
function taskLevelKeys(fields: ReadonlySet<string>): KeyScope['known'] {
  const known = new Set([...KNOWN_TASK_LEVEL_KEYS.keys()].filter((k) => fields.has(k) || !TASK_KEYS.has(k)));
  for (const k of fields) known.add(k);
  known.add('group');
  return { has: (k) => known.has(k), keys: () => known.values() };
}

/**
 * The task keys of the release in force: TaskConfig's fields change between releases
 * (harnessVersion.ts), so `gen_prefix` is a TypeError in v0.4.4 and `group_alias` is fine in v0.4.3.
 * When that lm-eval is on disk (a vendored fork, an installed package), its own TaskConfig's fields
 * are the keys; when its TaskConfig cannot be read, the release's table is only a guess: warnings.
 */
function taskScope(harness: HarnessRules): KeyScope {
  const fork = harness.fork;
  if (fork?.task) {
    const where = classLocation(fork, fork.task);
    return {
      known: taskLevelKeys(fork.task.fields),
      severity: 'error',
      message: (key, s) =>
        `Unknown key \`${key}\`: the TaskConfig of the lm-eval in force (${where}) has no field \`${key}\`, so lm-eval raises TypeError ("got an unexpected keyword argument '${key}'") when it builds the task.${didYouMean(s)} Judged with the fields of that TaskConfig.`,
    };
  }
  const released = releaseTaskScope(harness);
  if (!fork) return released;
  return {
    ...released,
    severity: 'warning',
    message: (key, s) =>
      `${released.message(key, s)} Judged with lm-eval ${harness.label}'s own fields: the TaskConfig of the lm-eval copy in force could not be read (${fork.taskProblem}), so a field it adds is not known here.`,
  };
}

function releaseTaskScope(harness: HarnessRules): KeyScope {
  if (harness.label === 'latest') return TASK;
  return {
    known: taskLevelKeys(harness.taskFields),
    severity: 'error',
    message: (key, s) => {
      const added = taskFieldAddedIn(key);
      const removed = taskFieldRemovedIn(key);
      if (added && TASK_KEYS.has(key))
        return `\`${key}\` is a task key from lm-eval v${added}; lm-eval ${harness.label} raises TypeError ("got an unexpected keyword argument '${key}'") when it builds the task.`;
      if (removed)
        return `\`${key}\` was removed from TaskConfig in lm-eval v${removed}; lm-eval ${harness.label} raises TypeError ("got an unexpected keyword argument '${key}'") when it builds the task.`;
      return TASK.message(key, s);
    },
  };
}

const GROUP: KeyScope = {
  known: GROUP_OR_TASK_KEYS,
  severity: 'warning',
  message: (key, s) =>
    `\`${key}\` is neither a group key nor a task key. lm-eval pushes extra group keys down to every member task, where TaskConfig rejects it with TypeError.${didYouMean(s)}`,
};

const GROUP_MEMBER: KeyScope = {
  known: GROUP_OR_TASK_KEYS,
  severity: 'error',
  message: (key, s) =>
    `Unknown key \`${key}\` in a group member: it becomes a task setting and TaskConfig raises TypeError.${didYouMean(s)}`,
};

/** A group's keys (and its members'): with a fork on disk, its GroupConfig's and TaskConfig's fields count too. */
function withForkGroupKeys(scope: KeyScope, harness: HarnessRules): KeyScope {
  const fork = harness.fork;
  if (!fork) return scope;
  const known = new Set([...scope.known.keys(), ...(fork.group?.fields ?? []), ...(fork.task?.fields ?? [])]);
  // Without the fork's TaskConfig, a key it may add is not known: at most a warning.
  const severity = fork.task ? scope.severity : 'warning';
  return { ...scope, known: { has: (k) => known.has(k), keys: () => known.values() }, severity };
}

const AGGREGATE_METRIC: KeyScope = {
  known: AGG_METRIC_KEYS,
  severity: 'error',
  message: (key, s) =>
    `Unknown \`aggregate_metric_list\` key \`${key}\` (allowed: ${[...AGG_METRIC_KEYS.keys()].join(', ')}); lm-eval raises TypeError.${didYouMean(s)}`,
};

const METRIC_ENTRY: KeyScope = {
  known: METRIC_ENTRY_KEYS,
  alsoAccepted: METRIC_KWARGS,
  onlyNearMisses: true,
  severity: 'warning',
  message: (key, s) =>
    `\`${key}\` is not a metric-entry key: lm-eval passes it to the metric function as a keyword argument and \`${s}\` keeps its default. Did you mean \`${s}\`?`,
};

function filterStepScope(filter: string, kwargs: readonly string[]): KeyScope {
  return {
    known: new Set(kwargs),
    alsoAccepted: ['function'],
    onlyNearMisses: true,
    severity: 'warning',
    message: (key, s) => `\`${key}\` is not a parameter of the \`${filter}\` filter. Did you mean \`${s}\`?`,
  };
}

/** `fewshot_config` is a plain dict before v0.4.10 (unknown keys ignored), a FewshotConfig from it. */
function fewshotScope(harness: HarnessRules): KeyScope {
  const fork = harness.fork;
  // A fork's `fewshot_config` is a FewshotConfig when it defines one beside its TaskConfig.
  if (fork?.fewshot) {
    const where = classLocation(fork, fork.fewshot);
    return {
      known: fork.fewshot.fields,
      severity: 'error',
      message: (key, s) =>
        `Unknown \`fewshot_config\` key \`${key}\`: the FewshotConfig of the lm-eval in force (${where}) has no field \`${key}\`, so it raises TypeError.${didYouMean(s)}`,
    };
  }
  const strict = harness.strictFewshotConfig && !fork;
  return {
    known: FEWSHOT_KEYS,
    severity: strict ? 'error' : 'warning',
    message: (key, s) =>
      strict
        ? `Unknown \`fewshot_config\` key \`${key}\`: FewshotConfig raises TypeError.${didYouMean(s)}`
        : `Unknown \`fewshot_config\` key \`${key}\`; lm-eval ${harness.label} ignores it (v0.4.10+ raise TypeError).${didYouMean(s)}`,
  };
}

/**
 * `include:` in a group's inline task: lm-eval resolved it only in v0.4.2-v0.4.3. From v0.4.4 building
 * the group fails: v0.4.4-v0.4.8 call load_yaml_config(yaml_path=None) (TypeError in os.path.dirname),
 * v0.4.9-v0.4.11 raise ValueError("yaml_path must be provided if mode is 'full'."), v0.4.12+ pass the key
 * to TaskConfig (TypeError). A warning, not an error: the file loads and the group is listed; the
 * template is still checked as what the writer means the task to be.
 */
function reportInlineInclude(member: YMap, harness: HarnessRules, sink: FindingSink): void {
  const include = entryOf(member, 'include');
  if (!include || harness.inlineIncludes) return;
  const who = harness.label === 'latest' ? 'lm-eval v0.4.12+' : `lm-eval ${harness.label}`;
  const failure = !harness.legacy
    ? `TaskConfig raises TypeError ("got an unexpected keyword argument 'include'")`
    : harnessAtLeast(harness, '0.4.9')
      ? `it raises ValueError ("yaml_path must be provided if mode is 'full'.")`
      : 'it fails with TypeError (it looks for the template relative to no file)';
  sink.at(
    member.file,
    include.keyRange,
    CODE,
    'warning',
    `lm-eval does not resolve \`include:\` in a group's inline task (only v0.4.2-v0.4.3 did): when ${who} builds this group, ${failure}. Move the task to its own YAML that includes the template, and list its name here.`,
  );
}

export const unknownKey: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    if (f.checkedAs === 'group') {
      reportUnknownKeys(CODE, f.entries.values(), withForkGroupKeys(GROUP, f.harness), sink);
      for (const { member, valid } of groupMembers(f)) {
        if (!valid) continue;
        // A member written as a task is checked as one (validate.ts, INLINE_TASK_RULES).
        if (isInlineTask(member)) reportInlineInclude(member, f.harness, sink);
        else reportUnknownKeys(CODE, keysOf(member), withForkGroupKeys(GROUP_MEMBER, f.harness), sink);
      }
      for (const entry of aggregateEntries(f)) reportUnknownKeys(CODE, keysOf(entry), AGGREGATE_METRIC, sink);
      return;
    }
    // A Python-class task consumes its keys itself; a group's inline task inherits keys the group reports.
    const own = [...f.entries.values()].filter((e) => !f.inherited?.has(e));
    if (f.checkedAs !== 'python-task') reportUnknownKeys(CODE, own, taskScope(f.harness), sink);
    for (const entry of metricEntries(f)) reportUnknownKeys(CODE, keysOf(entry), METRIC_ENTRY, sink);
    for (const { step, name, spec } of filterSteps(f))
      if (name !== undefined && spec) reportUnknownKeys(CODE, keysOf(step), filterStepScope(name, spec.kwargs), sink);
    const fewshot = fewshotConfig(f);
    if (fewshot) reportUnknownKeys(CODE, keysOf(fewshot), fewshotScope(f.harness), sink);
  },
};
