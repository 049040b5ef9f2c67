// What a project file says about the two packages whose versions change our answers. Every parser
// in project/ is pure: text in, pins out, with the 1-based line each pin is written on.

/** The packages we track, by their PEP 503 normalized names. */
export type TrackedPackage = 'vllm' | 'lm-eval';

/**
 * How a version constraint is written:
 * - `pep440`: `==0.6.3`, `>=0.6,<0.7`, `~=0.6.3`, `==0.6.*` (requirements, PEP 621, setup.py, Pipfile.lock);
 * - `poetry`: `^0.6.3`, `~0.6.3`, `0.6.3`, `*` and PEP 440 operators (`[tool.poetry.dependencies]`);
 * - `conda`: `0.6.3` (a prefix: `0.6.3*`), `==0.6.3`, `>=0.6` (environment.yml);
 * - `exact`: a version number as such (lock files, METADATA, image tags, git tags).
 */
export type SpecDialect = 'pep440' | 'poetry' | 'conda' | 'exact';

export interface PackagePin {
  package: TrackedPackage;
  /** The constraint as written, without the package name (`==0.6.3`, `^0.6.3`, `0.6.3`). */
  spec: string;
  dialect: SpecDialect;
  /** 1-based line where it is written. */
  line: number;
  /** The text shown to the user (`vllm==0.6.3`, `vllm/vllm-openai:v0.6.3`). */
  written: string;
}

/** PEP 503: lowercase, runs of `-`, `_`, `.` become one `-`. */
export function normalizePackageName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/** `vllm`, `lm_eval`, `lm-eval`, `LM.Eval` → the tracked package, else undefined. */
export function trackedPackage(name: string): TrackedPackage | undefined {
  const n = normalizePackageName(name);
  if (n === 'vllm') return 'vllm';
  if (n === 'lm-eval') return 'lm-eval';
  return undefined;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
