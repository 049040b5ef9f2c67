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

function keyLine(text: string, key: string): number | undefined {
  const re = new RegExp(`^[ \\t]*["']?${key.replace(/[$.*+?^{}()|[\]\\-]/g, '\\$&')}["']?[ \\t]*[=:]`, 'm');
  const m = re.exec(text);
  return m ? lineAt(text, m.index) : undefined;
}

function readValues(
  raw: Record<string, unknown>,
  text: string,
  where: string,
  problems: ConfigProblem[],
  allowOverrides: boolean,
): LensConfig & { files?: string[] } {
  const out: LensConfig & { files?: string[] } = { overrides: [] };
  const problem = (key: string, message: string, invalidValue = true) =>
    problems.push({ message: `${where}: ${message}`, line: keyLine(text, key), invalidValue });
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
          const v = readValues(t, text, `${where} overrides[${i}]`, problems, false);
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

export function parseConfigJson(text: string): ParsedConfig {
  const problems: ConfigProblem[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    problems.push({ message: `.lm-eval-lens.json is not valid JSON: ${(e as Error).message}`, invalidValue: true });
    return { config: { overrides: [] }, problems };
  }
  const t = table(raw);
  if (!t) {
    problems.push({ message: '.lm-eval-lens.json must hold an object', invalidValue: true, line: 1 });
    return { config: { overrides: [] }, problems };
  }
  const { files: _f, ...config } = readValues(t, text, '.lm-eval-lens.json', problems, true);
  return { config, problems };
}

/** `[tool.lm-eval-lens]` of a pyproject.toml; undefined when it has none. */
export function parsePyprojectConfig(text: string, doc: TomlDocument = parseTomlText(text)): ParsedConfig | undefined {
  if (!doc.table) {
    // Only a file that mentions our table is ours to complain about.
    if (!/\[tool\.lm-eval-lens\b/.test(text)) return undefined;
    return {
      config: { overrides: [] },
      problems: [{ message: `pyproject.toml is not valid TOML: ${doc.error}`, invalidValue: true }],
    };
  }
  const t = table(table(doc.table.tool)?.['lm-eval-lens']);
  if (!t) return undefined;
  const problems: ConfigProblem[] = [];
  const { files: _f, ...config } = readValues(t, text, 'pyproject.toml [tool.lm-eval-lens]', problems, true);
  return { config, problems };
}

/** The values in force for one file: the top level, then every override whose globs match, in order. */
export function configValuesFor(config: LensConfig, relativePath: string): LensConfigValues {
  const posix = relativePath.replace(/\\/g, '/');
  const { overrides, ...values } = config;
  const out: LensConfigValues = { ...values };
  for (const o of overrides) {
    if (!o.files.some((g) => globToRegExp(g).test(posix))) continue;
    const { files: _f, ...v } = o;
    for (const [k, val] of Object.entries(v)) if (val !== undefined) (out as Record<string, unknown>)[k] = val;
    // disabled codes add up, as ruff's per-file-ignores do
    if (o.disable && values.disable) out.disable = [...new Set([...values.disable, ...o.disable])];
  }
  return out;
}
