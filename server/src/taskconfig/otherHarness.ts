// Task configs of other harnesses that copy lm-eval's YAML format. Which harness a config belongs to
// is a fact of its project (node/taskHarness.ts: the nearest package folder or project name, or the
// config file's `task-harness`), never guessed from its keys. lm-eval's task schema does not apply to
// them, so only what their loader shares with lm-eval's is checked: YAML as PyYAML reads it, the
// `include:` files and the `!function` modules; and every finding but a YAML syntax error (which no
// PyYAML loader gets past) is at most a warning, because one release of that loader was read.
import * as path from 'node:path';
import type { Finding, OffsetRange } from '../shared/findings';
import type { FindingSink } from './findingsUtil';
import { checkFunctionRef } from './functionRefs';
import type { HarnessRules } from './harnessVersion';
import type { TaskFileSystem } from './types';
import type { YFunction } from './yamlTree';

export interface OtherHarness {
  /** Its name as users write it: the config file's `task-harness` value. */
  name: string;
  /** Its Python package: a folder of this name holding an `__init__.py` is its code. */
  package: string;
  /** Its distribution names (pyproject.toml / setup.py / setup.cfg `name`), compared normalised. */
  distributions: readonly string[];
}

/**
 * Harnesses whose task YAML looks like lm-eval's but follows their own schema. Add one only after
 * reading its loader: it must load task YAML with PyYAML and resolve `include:` (relative to the
 * YAML's folder) and `!function module.attr` (the module file next to the YAML) as lm-eval does.
 */
export const OTHER_HARNESSES: readonly OtherHarness[] = [
  // EvolvingLMMs-Lab/lmms-eval v0.7.2, lmms_eval/utils.py: load_yaml_config (yaml.full_load, `include:`
  // relative to the YAML's folder, no cycle check) and import_function (`<dir>/<module>.py`, then an
  // absolute `importlib.import_module(module)`). Its TaskConfig adds doc_to_visual,
  // doc_to_messages, lmms_eval_specific_kwargs, list-valued metadata, ...
  { name: 'lmms-eval', package: 'lmms_eval', distributions: ['lmms-eval'] },
];

/** The values of the config file's `task-harness`. */
export const TASK_HARNESS_NAMES: readonly string[] = ['lm-eval', ...OTHER_HARNESSES.map((h) => h.name)];

/** Which harness a task config belongs to, and what in the project says so. */
export interface TaskHarnessFact {
  /** `lm-eval` or the name of one of OTHER_HARNESSES. */
  harness: string;
  /** A package folder (`lmms_eval/__init__.py`), a project's name, or the config file's `task-harness`. */
  source: 'package' | 'project' | 'config-file';
  /** Absolute path of the file that says so. */
  file: string;
  /** 1-based line in that file, when known. */
  line?: number;
  /** What is written there, for messages: `lmms_eval/__init__.py`, `name = "lmms_eval"` in pyproject.toml. */
  written: string;
}

function normalized(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/** The harness whose Python package folder is named `folder` (lm_eval included), if any. */
export function harnessOfPackage(folder: string): string | undefined {
  if (folder === 'lm_eval') return 'lm-eval';
  return OTHER_HARNESSES.find((h) => h.package === folder)?.name;
}

/** The harness a project of this distribution name is (lm-eval included), if any. */
export function harnessOfDistribution(name: string): string | undefined {
  const n = normalized(name);
  if (n === 'lm-eval') return 'lm-eval';
  return OTHER_HARNESSES.find((h) => h.distributions.some((d) => normalized(d) === n))?.name;
}

export function otherHarnessNamed(name: string | undefined): OtherHarness | undefined {
  return name === undefined ? undefined : OTHER_HARNESSES.find((h) => h.name === name);
}

/** Codes of what another harness's loader shares with lm-eval's; everything else is lm-eval's schema. */
export const SHARED_LOADER_CODES: ReadonlySet<string> = new Set([
  'yaml-syntax',
  'duplicate-key',
  'include-not-found',
  'include-cycle',
  'function-not-found',
  'input-limit',
]);

/** Keep what the other harness's loader shares with lm-eval's, at most warnings but YAML syntax errors. */
export function sharedLoaderFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .filter((f) => SHARED_LOADER_CODES.has(f.code))
    .map((f) => (f.severity === 'error' && f.code !== 'yaml-syntax' ? { ...f, severity: 'warning' } : f));
}

/**
 * `!function` targets as the other harness resolves them: the module file next to the YAML, else an
 * absolute import, which finds the harness's own modules (`lmms_eval.tasks.x.utils.f`, written to
 * share helpers across tasks) in the project's package folder.
 */
export function checkOtherHarnessFunctions(
  functions: readonly YFunction[],
  harness: OtherHarness,
  fact: TaskHarnessFact,
  rules: HarnessRules,
  fs: TaskFileSystem,
  sink: FindingSink,
): void {
  const roots = packageParents(fact);
  for (const fn of functions) {
    const r = checkFunctionRef(fn.spec, fn.file, rules, fs);
    if (r.status === 'module-missing') {
      const parts = r.target.module.split('.');
      if (parts[0] === harness.package && inProject(parts, roots, fs)) continue;
      sink.node(
        fn,
        'function-not-found',
        'warning',
        `\`!function ${fn.spec}\`: no ${path.basename(r.target.modulePath)} next to this YAML. ${harness.name} then imports a module \`${r.target.module}\` from its environment, which is rarely what was meant. Add the file or fix the name.`,
      );
    } else if (r.status === 'attr-missing')
      sink.node(
        fn,
        'function-not-found',
        'warning',
        `\`${r.target.attr}\` is not defined at the top level of ${path.basename(r.target.modulePath)} next to this YAML; ${harness.name} raises AttributeError when it loads this task.`,
      );
  }
}

/** Folders that hold the harness's package: the package folder's parent, or the project's folder (and its src/). */
function packageParents(fact: TaskHarnessFact): string[] {
  if (fact.source === 'package') return [path.dirname(path.dirname(fact.file))];
  const dir = path.dirname(fact.file);
  return [dir, path.join(dir, 'src')];
}

function inProject(parts: string[], roots: string[], fs: TaskFileSystem): boolean {
  return roots.some(
    (root) => fs.exists(`${path.join(root, ...parts)}.py`) || fs.exists(path.join(root, ...parts, '__init__.py')),
  );
}

/** The one note on each such config: whose format it is, who says so, what is checked, how to change it. */
export function otherHarnessNote(fact: TaskHarnessFact, range: OffsetRange): Finding {
  return {
    code: 'other-harness',
    severity: 'info',
    message: `This is a ${fact.harness} task config (${fact.written}), not an lm-eval one: lm-eval's task schema does not apply, so lm-eval-lens checks only what ${fact.harness}'s loader shares with lm-eval's (YAML syntax as PyYAML reads it, \`include:\` and \`!function\`), as warnings except YAML syntax errors. If this is an lm-eval task config, set \`task-harness = "lm-eval"\` in the lm-eval-lens config file.`,
    range,
  };
}
