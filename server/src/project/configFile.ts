// The project's lm-eval-lens configuration, shared by the CLI and the editor: `.lm-eval-lens.json`,
// or `[tool.lm-eval-lens]` in pyproject.toml. Keys are kebab-case as in other Python tools' tables
// (ruff, mypy); the camelCase spelling of the VS Code settings is accepted too.
//
//   [tool.lm-eval-lens]
//   gpu = "H100-80GB"            # a catalog name, "4xH100-80GB", or "79.15GiB"
//   gpu-count = 4
//   vllm-version = "0.6.3"
//   harness-version = "0.4.4"
//   task-globs = ["my_tasks/**/*.yaml"]
//   disable = ["logprobs-spike"]
//   task-harness = "lmms-eval"   # whose task format the YAML follows (default: detected, else lm-eval)
//   [[tool.lm-eval-lens.overrides]]
//   files = ["legacy/**"]
//   harness-version = "0.4.2"
import { resolveGpu } from '../memory/gpus';
import { isDiagnosticCode } from '../shared/codes';
import { globToRegExp } from '../taskconfig/classify';
import { TASK_HARNESS_NAMES } from '../taskconfig/otherHarness';
import { parseTomlText, table, type TomlDocument } from './pyproject';
import { lineAt } from './types';
import { parseVersionText } from './versionSpec';

export interface LensConfigValues {
  gpu?: string;
  gpuCount?: number;
  vllmVersion?: string;
  harnessVersion?: string;
  taskGlobs?: string[];
  disable?: string[];
  /** Whose task format the task configs follow (`lm-eval`, `lmms-eval`); absent = detected. */
  taskHarness?: string;
}

export interface LensConfigOverride extends LensConfigValues {
  files: string[];
}

export interface LensConfig extends LensConfigValues {
  overrides: LensConfigOverride[];
}

export interface ConfigProblem {
  message: string;
  /** 1-based line in the config file, when known. */
  line?: number;
  /** A value that cannot be used (an unparseable version, an unknown GPU), as opposed to an unknown key. */
  invalidValue: boolean;
}

export interface ParsedConfig {
  config: LensConfig;
  problems: ConfigProblem[];
}

const KEYS: Record<string, keyof LensConfigValues | 'files' | 'overrides' | '$schema'> = {
  gpu: 'gpu',
  'gpu-count': 'gpuCount',
  gpuCount: 'gpuCount',
  'vllm-version': 'vllmVersion',
  vllmVersion: 'vllmVersion',
  'harness-version': 'harnessVersion',
  harnessVersion: 'harnessVersion',
  'lm-eval-version': 'harnessVersion',
  'task-globs': 'taskGlobs',
  taskGlobs: 'taskGlobs',
  taskConfigGlobs: 'taskGlobs',
  disable: 'disable',
  'task-harness': 'taskHarness',
  taskHarness: 'taskHarness',
  files: 'files',
  overrides: 'overrides',
  $schema: '$schema',
};

/** The line of `key` (a JSON or TOML key, also `{"gpu": …}` on a file's one line), from `from` on. */
function keyLine(text: string, key: string, from = 0): number | undefined {
  const re = new RegExp(`(?:^|[{,])[ \\t]*["']?${key.replace(/[$.*+?^{}()|[\]\\-]/g, '\\$&')}["']?[ \\t]*[=:]`, 'gm');
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? lineAt(text, m.index + m[0].search(/["'\w$]/)) : undefined;
}

/** The 1-based line of a JSON.parse error: V8 names the position (newer releases also the line). */
export function jsonErrorLine(text: string, message: string): number {
  const line = /\bline (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const position = /\bposition (\d+)/.exec(message);
  // at the end of input (past trailing blank lines), the last line that has text
  const end = text.trimEnd().length;
  return lineAt(text, position ? Math.min(Number(position[1]), end) : end);
}

function readValues(
  raw: Record<string, unknown>,
  text: string,
  where: string,
  problems: ConfigProblem[],
  allowOverrides: boolean,
  from = 0,
): LensConfig & { files?: string[] } {
  const out: LensConfig & { files?: string[] } = { overrides: [] };
  const problem = (key: string, message: string, invalidValue = true) =>
    problems.push({ message: `${where}${message}`, line: keyLine(text, key, from), invalidValue });
  const stringList = (key: string, v: unknown): string[] | undefined => {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    if (typeof v === 'string') return [v];
    problem(key, `\`${key}\` must be a list of strings`);
    return undefined;
  };
  for (const [key, value] of Object.entries(raw)) {
    const field = KEYS[key];
    if (!field || (field === 'overrides' && !allowOverrides) || (field === 'files' && allowOverrides)) {
      problem(key, `unknown key \`${key}\``, false);
      continue;
    }
    switch (field) {
      case '$schema':
        break;
      case 'gpu': {
        const multi = typeof value === 'string' ? /^(\d+)\s*[x×*]\s*(.+)$/i.exec(value.trim()) : null;
        const name = multi ? multi[2] : value;
        if (typeof name !== 'string' || !resolveGpu(name.trim()))
          problem(
            key,
            `\`gpu\` = ${JSON.stringify(value)} is not a GPU in the catalog (e.g. A100-80GB, H100-80GB, L4) nor a size such as 79.15GiB`,
          );
        else {
          out.gpu = name.trim();
          if (multi) out.gpuCount = Number(multi[1]);
        }
        break;
      }
      case 'gpuCount':
        if (typeof value === 'number' && Number.isInteger(value) && value > 0) out.gpuCount = value;
        else problem(key, `\`${key}\` must be a positive integer, got ${JSON.stringify(value)}`);
        break;
      case 'vllmVersion':
      case 'harnessVersion':
        if (typeof value === 'string' && parseVersionText(value)) out[field] = value.trim();
        else problem(key, `\`${key}\` = ${JSON.stringify(value)} is not a version (e.g. "0.6.3")`);
        break;
      case 'taskGlobs':
      case 'files': {
        const list = stringList(key, value);
        if (list) out[field] = list;
        break;
      }
      case 'taskHarness':
        if (typeof value === 'string' && TASK_HARNESS_NAMES.includes(value.trim())) out.taskHarness = value.trim();
        else
          problem(
            key,
            `\`${key}\` = ${JSON.stringify(value)} is not a harness lm-eval-lens knows (${TASK_HARNESS_NAMES.map((n) => `"${n}"`).join(', ')})`,
          );
        break;
      case 'disable': {
        const list = stringList(key, value);
        if (!list) break;
        const codes = list.map((c) => c.trim().replace(/^lmeval\//, ''));
        for (const c of codes)
          if (c !== 'all' && !isDiagnosticCode(c)) problem(key, `\`disable\` names an unknown code "${c}"`, false);
        out.disable = codes;
        break;
      }
      case 'overrides': {
        const list = Array.isArray(value) ? value : [];
        if (!Array.isArray(value)) problem(key, '`overrides` must be a list of tables with `files`');
        for (const [i, o] of list.entries()) {
          const t = table(o);
          if (!t) {
            problem(key, `overrides[${i}] must be a table`);
            continue;
          }
          // an override's keys are looked for after its `overrides` key (`gpu` may be set at the top too)
          const v = readValues(t, text, `${where}overrides[${i}]: `, problems, false, overridesAt(text));
          if (!v.files?.length) {
            problem(key, `overrides[${i}] has no \`files\` globs`);
            continue;
          }
          const { overrides: _o, files, ...values } = v;
          out.overrides.push({ files, ...values });
        }
        break;
      }
    }
  }
  return out;
}

/** Where the overrides start: `"overrides"` (JSON) or the first `[[tool.lm-eval-lens.overrides]]` (TOML). */
function overridesAt(text: string): number {
  const m = /^[ \t]*\[\[[ \t]*tool\.lm-eval-lens\.overrides[ \t]*\]\]|["']?overrides["']?[ \t]*[=:]/m.exec(text);
  return m ? m.index : 0;
}

// A problem's message does not name the file: the CLI prints it as `FILE:LINE: message`, the editor
// names the file in its diagnostic (settingsDiagnostics.ts configFindings).
export function parseConfigJson(text: string): ParsedConfig {
  const problems: ConfigProblem[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    problems.push({ message: `not valid JSON: ${message}`, line: jsonErrorLine(text, message), invalidValue: true });
    return { config: { overrides: [] }, problems };
  }
  const t = table(raw);
  if (!t) {
    problems.push({ message: 'must hold an object', invalidValue: true, line: 1 });
    return { config: { overrides: [] }, problems };
  }
  const { files: _f, ...config } = readValues(t, text, '', problems, true);
  return { config, problems };
}

/** `[tool.lm-eval-lens]` of a pyproject.toml; undefined when it has none. */
export function parsePyprojectConfig(text: string, doc: TomlDocument = parseTomlText(text)): ParsedConfig | undefined {
  if (!doc.table) {
    // Only a file that mentions our table is ours to complain about.
    if (!/\[tool\.lm-eval-lens\b/.test(text)) return undefined;
    return {
      config: { overrides: [] },
      problems: [{ message: `not valid TOML: ${doc.error}`, line: doc.errorLine, invalidValue: true }],
    };
  }
  const t = table(table(doc.table.tool)?.['lm-eval-lens']);
  if (!t) return undefined;
  const problems: ConfigProblem[] = [];
  const { files: _f, ...config } = readValues(t, text, '[tool.lm-eval-lens] ', problems, true, tableAt(text));
  return { config, problems };
}

/** Where `[tool.lm-eval-lens]` starts: its keys are looked for from there, not in other tools' tables. */
function tableAt(text: string): number {
  const m = /^[ \t]*\[[ \t]*tool\.lm-eval-lens[ \t]*\]/m.exec(text);
  return m ? m.index : 0;
}

/** The values in force for one file: the top level, then every override whose globs match, in order. */
export function configValuesFor(config: LensConfig, relativePath: string): LensConfigValues {
  const posix = relativePath.replace(/\\/g, '/');
  const { overrides, ...values } = config;
  const out: LensConfigValues = { ...values };
  for (const o of overrides) {
    if (!o.files.some((g) => globToRegExp(g).test(posix))) continue;
    const { files: _f, ...v } = o;
    const disabled = out.disable;
    for (const [k, val] of Object.entries(v)) if (val !== undefined) (out as Record<string, unknown>)[k] = val;
    // disabled codes add up over the top level and every matching override, as ruff's per-file-ignores do
    if (o.disable && disabled) out.disable = [...new Set([...disabled, ...o.disable])];
  }
  return out;
}
