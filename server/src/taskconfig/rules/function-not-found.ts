// function-not-found: a `!function module.attr` whose module file is not next to the YAML, or that
// does not define `attr` at the top level (read as text, never imported). From v0.4.12 lm-eval falls
// back to importing an installed module of that name, so a missing file is a warning there; v0.4.9
// had no fallback.
import { checkFunctionRef } from '../functionRefs';
import type { TaskConfigRule } from './rule';

const CODE = 'function-not-found';

export const functionNotFound: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    const { legacy, label } = f.harness;
    for (const fn of f.functions) {
      const r = checkFunctionRef(fn.spec, fn.file, f.harness, f.ctx.fs);
      if (r.status === 'module-missing')
        sink.node(
          fn,
          CODE,
          legacy ? 'error' : 'warning',
          legacy
            ? `\`!function ${fn.spec}\`: module file ${r.target.modulePath} not found; lm-eval ${label} has no import fallback. Create it or fix the path.`
            : `\`!function ${fn.spec}\`: no ${r.target.modulePath} next to this YAML. lm-eval then imports an installed module \`${r.target.module}\`, which is rarely what was meant. Add the file or fix the name.`,
        );
      else if (r.status === 'attr-missing')
        sink.node(
          fn,
          CODE,
          'error',
          `\`${r.target.attr}\` is not defined at the top level of ${r.target.modulePath}; lm-eval raises AttributeError when it loads the task.`,
        );
    }
  },
};
