// function-not-found: a `!function module.attr` whose module file is not next to the YAML, or that
// does not define `attr` at the top level (read as text, never imported). From v0.4.12 lm-eval falls
// back to importing an installed module of that name, so a missing file is a warning there; v0.4.9
// had no fallback.
import { checkFunctionRef, type FunctionTarget } from '../functionRefs';
import type { TaskConfigRule } from './rule';

const CODE = 'function-not-found';

/** Where lm-eval looked, in its own terms (functionRefs.ts follows its path arithmetic). */
function missingModuleMessage(spec: string, t: FunctionTarget, legacy: boolean, label: string): string {
  if (legacy)
    return `\`!function ${spec}\`: lm-eval ${label} loads \`${t.module}.py\` from this YAML's folder, ${t.modulePath}, which is not there; it has no import fallback. Create it or fix the path.`;
  const fallback = t.importable
    ? `lm-eval then imports an installed module \`${t.module}\`, which is rarely what was meant.`
    : `\`${t.module}\` is not a module name Python can import either, so lm-eval raises ImportError.`;
  if (t.absolute)
    return `\`!function ${spec}\`: lm-eval turns the module's dots into \`/\`, so a module starting with \`.\` or \`/\` becomes the absolute path ${t.modulePath}, not a file next to this YAML; it is not there. ${fallback} Name the module relative to this YAML's folder with dots (\`utils.fn\`, \`sub.utils.fn\`).`;
  return `\`!function ${spec}\`: no ${t.modulePath} next to this YAML. ${fallback} Add the file or fix the name.`;
}

export const functionNotFound: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    const { legacy, label } = f.harness;
    for (const fn of f.functions) {
      const r = checkFunctionRef(fn.spec, fn.file, f.harness, f.ctx.fs);
      if (r.status === 'module-missing')
        sink.node(fn, CODE, legacy ? 'error' : 'warning', missingModuleMessage(fn.spec, r.target, legacy, label));
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
