// Every task-config rule, in the order their findings are listed (the launch rules' LAUNCH_RULES).
import type { FindingSink } from '../findingsUtil';
import { duplicateTaskName } from './duplicate-task-name';
import { functionNotFound } from './function-not-found';
import { generationKwargsIgnored } from './generation-kwargs-ignored';
import { invalidValue } from './invalid-value';
import { legacyGroupTask } from './legacy-group-task';
import { missingRequired } from './missing-required';
import { noTaskOrGroup } from './no-task-or-group';
import type { TaskConfigFacts, TaskConfigRule } from './rule';
import { singleQuotedNewline } from './single-quoted-newline';
import { unknownAggregation } from './unknown-aggregation';
import { unknownFilter } from './unknown-filter';
import { unknownKey } from './unknown-key';
import { unknownMetric } from './unknown-metric';
import { unknownSampler } from './unknown-sampler';

export type { CheckedAs, TaskConfigFacts, TaskConfigRule } from './rule';

export const TASK_CONFIG_RULES: readonly TaskConfigRule[] = [
  legacyGroupTask,
  noTaskOrGroup,
  unknownKey,
  invalidValue,
  missingRequired,
  unknownMetric,
  unknownAggregation,
  unknownFilter,
  unknownSampler,
  generationKwargsIgnored,
  singleQuotedNewline,
  functionNotFound,
  duplicateTaskName,
];

/** The rules that apply to a task written inline in a group's `task:` list (checked as a partial
 * task): not those about the file as a whole (its kind, its name, legacy `group:`). */
export const INLINE_TASK_RULES: readonly TaskConfigRule[] = TASK_CONFIG_RULES.filter(
  (r) => r !== legacyGroupTask && r !== noTaskOrGroup && r !== duplicateTaskName,
);

/** Run every rule; a rule that throws costs its own findings and says so, not the other rules'. */
export function checkTaskConfigRules(
  facts: TaskConfigFacts,
  sink: FindingSink,
  rules: readonly TaskConfigRule[] = TASK_CONFIG_RULES,
): void {
  for (const rule of rules) {
    try {
      rule.check(facts, sink);
    } catch (err) {
      sink.at(
        facts.file,
        { start: 0, end: 0 },
        'input-limit',
        'info',
        `lm-eval-lens stopped the ${rule.code} check on this file: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}
