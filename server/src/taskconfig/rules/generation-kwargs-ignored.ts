// generation-kwargs-ignored: non-empty `generation_kwargs` on a task whose output type is not
// `generate_until`. lm-eval logs a warning and ignores them, so the settings a user tuned never apply.
import type { TaskConfigRule } from './rule';
import { effectiveOutputType, isSet, isTaskLike } from './structure';

const CODE = 'generation-kwargs-ignored';

export const generationKwargsIgnored: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    const gen = f.entries.get('generation_kwargs');
    const outputType = effectiveOutputType(f);
    if (!isTaskLike(f) || !isSet(gen) || outputType === undefined || outputType === 'generate_until') return;
    if (gen.value.kind === 'map' && gen.value.entries.length === 0) return;
    sink.at(
      gen.file,
      gen.keyRange,
      CODE,
      'warning',
      `\`generation_kwargs\` only applies to \`generate_until\` tasks; this task is \`${outputType}\`, so lm-eval ignores it (and logs a warning). Remove it or set \`output_type: generate_until\`.`,
    );
  },
};
