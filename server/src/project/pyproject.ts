// pyproject.toml: PEP 621 `[project]` dependencies and optional-dependencies, PEP 735
// `[dependency-groups]`, uv's constraint/override lists, and Poetry's `[tool.poetry]` tables. Parsed
// with smol-toml (a maintained TOML 1.0 parser) rather than by hand: TOML's multi-line arrays,
// inline tables and quoting rules are easy to get subtly wrong.
import { parse as parseToml } from 'smol-toml';
import { fromUrl, parseRequirement } from './requirement';
import { lineAt, normalizePackageName, trackedPackage, type PackagePin } from './types';

export type TomlTable = Record<string, unknown>;

export interface TomlDocument {
  table?: TomlTable;
  /** The parser's message when the file is not valid TOML. */
  error?: string;
  /** The 1-based line smol-toml names for that error. */
  errorLine?: number;
}

const MAX_TOML_BYTES = 2 * 1024 * 1024;

export function parseTomlText(text: string): TomlDocument {
  if (text.length > MAX_TOML_BYTES) return { error: `over ${MAX_TOML_BYTES} bytes` };
  try {
    return { table: parseToml(text) as TomlTable };
  } catch (e) {
    const line = (e as { line?: unknown }).line;
    return {
      error: String((e as Error).message ?? e).split('\n')[0],
      errorLine: typeof line === 'number' && line > 0 ? line : undefined,
    };
  }
}

export function table(v: unknown): TomlTable | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as TomlTable) : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The 1-based line of the first occurrence of a quoted string, else of `needle` anywhere, else 1. */
function lineOfString(text: string, value: string): number {
  for (const q of ['"', "'"]) {
    const i = text.indexOf(`${q}${value}${q}`);
    if (i >= 0) return lineAt(text, i);
  }
  const i = text.indexOf(value);
  return i >= 0 ? lineAt(text, i) : 1;
}

/** The line of a Poetry dependency key (`vllm = "^0.6.3"`, `"lm-eval" = {…}`). */
function lineOfKey(text: string, name: string): number {
  const re = /^[ \t]*["']?([A-Za-z0-9._-]+)["']?[ \t]*=/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (normalizePackageName(m[1]) === normalizePackageName(name)) return lineAt(text, m.index);
  }
  return 1;
}

export function pyprojectPins(text: string, doc: TomlDocument = parseTomlText(text)): PackagePin[] {
  const root = doc.table;
  if (!root) return [];
  const pins: PackagePin[] = [];
  const pep508 = (list: unknown) => {
    for (const req of strings(list)) {
      const r = parseRequirement(req);
      if (r) pins.push({ ...r, line: lineOfString(text, req), written: req });
    }
  };
  const project = table(root.project);
  pep508(project?.dependencies);
  for (const list of Object.values(table(project?.['optional-dependencies']) ?? {})) pep508(list);
  for (const list of Object.values(table(root['dependency-groups']) ?? {})) pep508(list);
  const uv = table(table(root.tool)?.uv);
  pep508(uv?.['override-dependencies']);
  pep508(uv?.['constraint-dependencies']);
  pep508(uv?.['dev-dependencies']);

  const poetry = table(table(root.tool)?.poetry);
  const poetryTables = [table(poetry?.dependencies), table(poetry?.['dev-dependencies'])];
  for (const group of Object.values(table(poetry?.group) ?? {})) poetryTables.push(table(table(group)?.dependencies));
  for (const deps of poetryTables) {
    for (const [name, value] of Object.entries(deps ?? {})) {
      const pkg = trackedPackage(name);
      if (!pkg) continue;
      const line = lineOfKey(text, name);
      for (const v of Array.isArray(value) ? value : [value]) {
        const t = table(v);
        if (typeof v === 'string')
          pins.push({ package: pkg, spec: v, dialect: 'poetry', line, written: `${name} = "${v}"` });
        else if (t && typeof t.version === 'string')
          pins.push({ package: pkg, spec: t.version, dialect: 'poetry', line, written: `${name} = "${t.version}"` });
        else if (t && typeof t.tag === 'string') {
          const r = fromUrl(`@${t.tag}`, pkg);
          if (r) pins.push({ ...r, line, written: `${name} (tag ${t.tag})` });
        } else if (t && typeof t.url === 'string') {
          const r = fromUrl(t.url, pkg);
          if (r) pins.push({ ...r, line, written: `${name} @ ${t.url}` });
        }
      }
    }
  }
  return pins;
}

export interface ProjectIdentity {
  name: string;
  version?: string;
  line?: number;
}

/** `[project] name/version` (or Poetry's), e.g. to recognise lm-eval's own pyproject.toml. */
export function pyprojectIdentity(text: string, doc: TomlDocument = parseTomlText(text)): ProjectIdentity | undefined {
  const root = doc.table;
  const p = table(root?.project) ?? table(table(table(root?.tool)?.poetry));
  if (!p || typeof p.name !== 'string') return undefined;
  const id: ProjectIdentity = { name: p.name };
  if (typeof p.version === 'string') {
    id.version = p.version;
    const m = /^[ \t]*version[ \t]*=[ \t]*["']/m.exec(text);
    id.line = m ? lineAt(text, m.index) : 1;
  }
  return id;
}
