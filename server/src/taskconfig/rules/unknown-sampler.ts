// unknown-sampler: `fewshot_config.sampler` other than `default` (random, seeded) or `first_n` (in
// order); lm-eval raises an error when it builds the few-shot context.
import { SAMPLERS } from '../knowledge';
import { entryOf, scalarString } from '../yamlTree';
import type { TaskConfigRule } from './rule';
import { fewshotConfig } from './structure';
import { suggestName } from './suggest';

const CODE = 'unknown-sampler';

export const unknownSampler: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    const sampler = entryOf(fewshotConfig(f), 'sampler');
    const name = sampler ? scalarString(sampler.value) : undefined;
    if (!sampler || name === undefined || SAMPLERS.includes(name)) return;
    const s = suggestName(name, SAMPLERS, sampler.value.range);
    sink.node(
      sampler.value,
      CODE,
      'error',
      `\`${name}\` is not a few-shot sampler; lm-eval knows \`default\` (random, seeded) and \`first_n\` (in order) and raises an error for anything else.${s.didYouMean}`,
      s.extra,
    );
  },
};
