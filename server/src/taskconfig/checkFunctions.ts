// Every `!function` in the merged config must name `module.attr`, and the module must define attr.
import type { HarnessRules } from './harnessVersion';
import type { FindingSink } from './findingsUtil';
import { checkFunctionRef } from './functionRefs';
import type { MergedEntry } from './includes';
import type { TaskFileSystem } from './types';
import type { YFunction, YNode } from './yamlTree';

export function collectFunctions(entries: Iterable<MergedEntry>, limit = 10_000): YFunction[] {
  const out: YFunction[] = [];
  const seen = new Set<YNode>();
  const stack: YNode[] = [];
  for (const e of entries) stack.push(e.value);
  while (stack.length > 0 && out.length < limit) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.kind === 'function') out.push(n);
    else if (n.kind === 'map') for (let i = n.entries.length - 1; i >= 0; i--) stack.push(n.entries[i].value);
    else if (n.kind === 'seq') for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
  }
  return out;
}

export function checkFunctions(
  entries: Iterable<MergedEntry>,
  rules: HarnessRules,
  fs: TaskFileSystem,
  sink: FindingSink,
): void {
  for (const fn of collectFunctions(entries)) {
    const r = checkFunctionRef(fn.spec, fn.file, rules, fs);
    switch (r.status) {
      case 'no-dot':
        sink.node(
          fn,
          'invalid-value',
          'error',
          `\`!function ${fn.spec}\` needs \`module.attr\` (e.g. \`!function utils.process_docs\`); lm-eval raises ValueError.`,
        );
        break;
      case 'module-missing':
        if (rules.legacy)
          sink.node(
            fn,
            'function-not-found',
            'error',
            `\`!function ${fn.spec}\`: module file ${r.target.modulePath} not found; lm-eval ${rules.label} has no import fallback. Create it or fix the path.`,
          );
        else
          sink.node(
            fn,
            'function-not-found',
            'warning',
            `\`!function ${fn.spec}\`: no ${r.target.modulePath} next to this YAML. lm-eval then imports an installed module \`${r.target.module}\`, which is rarely what was meant. Add the file or fix the name.`,
          );
        break;
      case 'attr-missing':
        sink.node(
          fn,
          'function-not-found',
          'error',
          `\`${r.target.attr}\` is not defined at the top level of ${r.target.modulePath}; lm-eval raises AttributeError when it loads the task.`,
        );
        break;
      case 'found':
        break;
    }
  }
}
