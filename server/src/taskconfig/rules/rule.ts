// A task-config rule turns the merged config (after includes) into findings with one stable code,
// mirroring the launch rules (rules/rule.ts). Rules know nothing of LSP or of how the YAML was parsed;
// syntax-level findings (yaml-syntax, duplicate-key, includes) come from the parser and the include
// resolver before any rule runs.
import type { DiagnosticCode } from '../../shared/codes';
import type { FindingSink } from '../findingsUtil';
import type { HarnessRules } from '../harnessVersion';
import type { MergedEntry } from '../includes';
import type { GroupResults } from '../groupMetrics';
import type { Registrations } from '../pythonRegistrations';
import type { TaskConfigContext } from '../types';
import type { AnalyzedConfig } from '../validate';
import type { YFunction } from '../yamlTree';

/** How lm-eval will read the merged config, and so which rules apply. */
export type CheckedAs =
  /** A GroupConfig: group keys, members, aggregate_metric_list. */
  | 'group'
  /** A TaskConfig (also a legacy `group:` + `task:` file, which lm-eval before v0.4.12 reads as a task). */
  | 'task'
  /** `class: !function ...`: the class consumes the keys, so only values that are read anyway are checked. */
  | 'python-task'
  /** Neither `task:` nor `group:` after includes: a template, checked as a partial task. */
  | 'neither';

export interface TaskConfigFacts {
  /** Absolute path of the checked file. */
  file: string;
  /** The merged top-level keys, each with the file it is written in. */
  entries: ReadonlyMap<string, MergedEntry>;
  checkedAs: CheckedAs;
  /** The lm-eval version's rules (a `# lm-eval-lens: harness=` directive, settings, else latest). */
  harness: HarnessRules;
  /** A template or a non-`.yaml` base file: check what is written, not what is missing. */
  partial: boolean;
  /** Where to report something missing from the whole config: the `task` key, or the first key. */
  anchor: { file: string; range: { start: number; end: number } };
  /** For a group's inline task: the entries pushed down from the group, which the group's own check
   * reports (unknown-key does not repeat them per member). */
  inherited?: ReadonlySet<MergedEntry>;
  /** Every `!function` in the merged config. */
  functions: readonly YFunction[];
  analyzed: AnalyzedConfig;
  ctx: TaskConfigContext;
  /** Names the config's own Python (its `!function` modules) and a vendored lm-eval register; read
   * on first use, so configs that use only built-in names never read Python. */
  registrations(): Registrations;
  /** For a group: the `metric,filter` results its leaf tasks report, followed through member names,
   * inline tasks and sub-groups; computed on first use. */
  groupResults(): GroupResults;
}

export interface TaskConfigRule {
  code: DiagnosticCode;
  /** Report through the sink, which places findings in the file they are written in. */
  check(facts: TaskConfigFacts, sink: FindingSink): void;
}
