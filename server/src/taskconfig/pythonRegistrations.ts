// Filters, metrics and aggregations a config's own Python registers. lm-eval imports every module a
// `!function` names while it loads the YAML, before it builds the task, so `@register_filter("x")`
// in the `utils.py` beside the YAML makes `function: x` valid. A vendored or forked lm-eval registers
// its own in lm_eval/filters/*.py and lm_eval/api/metrics.py. All of it is read as text, never run.
// Forms (lm_eval/api/registry.py, v0.4.9 and HEAD): register_filter("x") and register_aggregation("x")
// (positional or name=), register_metric(metric="x", ...), HEAD's <kind>_registry.register("x", ...),
// and the old FILTER_REGISTRY["x"] = ... assignments.
import * as path from 'node:path';
import type { TaskFileSystem } from './types';

export type RegistryKind = 'filter' | 'metric' | 'aggregation';

export interface ModuleRegistrations {
  filter: Set<string>;
  metric: Set<string>;
  aggregation: Set<string>;
  /** A registration whose name is not a string literal (a variable, an f-string): anything may be registered. */
  unknownName: boolean;
  /** Modules this one imports by a plain name or relatively (`import helpers`, `from .helpers import x`). */
  imports: string[];
}

const CALL =
  /\b(?:(register_filter|register_metric|register_aggregation)|(filter_registry|metric_registry|aggregation_registry)\.register)\s*\(/g;
const DICT_ASSIGN = /\b(FILTER_REGISTRY|METRIC_REGISTRY|AGGREGATION_REGISTRY)\s*\[\s*([^\]]*)\]\s*=(?!=)/g;
const STRING = /^(?:[rRuU]|[bB][rR]?|[rR][bB])?("|')(.*)\1$/s;

function kindOf(name: string): RegistryKind {
  return name.startsWith('filter') || name.startsWith('register_filter') || name.startsWith('FILTER')
    ? 'filter'
    : name.startsWith('metric') || name.startsWith('register_metric') || name.startsWith('METRIC')
      ? 'metric'
      : 'aggregation';
}

/** The text of a call's arguments, from just after `(` to its matching `)` (strings respected). */
function callArguments(src: string, open: number): string | undefined {
  let depth = 1;
  for (let i = open; i < src.length && i < open + 4000; i++) {
    const c = src[i];
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const end = triple ? src.indexOf(c.repeat(3), i + 3) : src.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = triple ? end + 2 : end;
    } else if (c === '#') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return src.slice(open, i);
    }
  }
  return undefined;
}

/** Top-level comma-separated arguments, each trimmed. */
function splitArguments(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let quote = '';
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(args.slice(start).trim());
  return out.filter((a) => a !== '');
}

/** A Python string literal's value (no f-strings), else undefined. */
function literal(expr: string): string | undefined {
  const m = STRING.exec(expr.trim());
  return m && !/\\/.test(m[2]) ? m[2] : undefined;
}

function onCommentLine(src: string, at: number): boolean {
  const lineStart = src.lastIndexOf('\n', at - 1) + 1;
  const before = src.slice(lineStart, at);
  return /^\s*#/.test(before) || /^\s*def\s+$/.test(before) || /\bdef\s+$/.test(before);
}

/** Names registered by one module's text, and the sibling modules it imports. */
export function registrationsInSource(src: string): ModuleRegistrations {
  const out: ModuleRegistrations = {
    filter: new Set(),
    metric: new Set(),
    aggregation: new Set(),
    unknownName: false,
    imports: [],
  };
  for (const m of src.matchAll(CALL)) {
    if (onCommentLine(src, m.index)) continue;
    const args = callArguments(src, m.index + m[0].length);
    if (args === undefined) continue;
    const kind = kindOf(m[1] ?? m[2]);
    const parts = splitArguments(args);
    const named = (key: string) => parts.find((p) => new RegExp(`^${key}\\s*=(?!=)`).test(p))?.replace(/^[^=]*=/, '');
    let names: (string | undefined)[];
    if (m[2]) names = parts.filter((p) => !/^\w+\s*=(?!=)/.test(p)).map(literal);
    else if (kind === 'metric') names = [named('metric')].filter((x) => x !== undefined).map(literal);
    else
      names = [parts[0] !== undefined && !/^\w+\s*=(?!=)/.test(parts[0]) ? parts[0] : named('name')].map((x) =>
        x === undefined ? undefined : literal(x),
      );
    if (names.length === 0) out.unknownName = true;
    for (const n of names) {
      if (n === undefined) out.unknownName = true;
      else out[kind].add(n);
    }
  }
  for (const m of src.matchAll(DICT_ASSIGN)) {
    if (onCommentLine(src, m.index)) continue;
    const n = literal(m[2]);
    if (n === undefined) out.unknownName = true;
    else out[kindOf(m[1])].add(n);
  }
  for (const m of src.matchAll(/^[ \t]*from[ \t]+(\.?)([A-Za-z_][\w]*)?[ \t]+import[ \t]+([^\n#]+)/gm)) {
    if (m[2]) out.imports.push(`${m[1]}${m[2]}`);
    else if (m[1])
      for (const n of m[3].replace(/[()]/g, '').split(',')) out.imports.push(`.${n.trim().split(/\s+/)[0]}`);
  }
  for (const m of src.matchAll(/^[ \t]*import[ \t]+([^\n#]+)/gm))
    for (const n of m[1].split(',')) {
      const name = n.trim().split(/\s+/)[0];
      if (/^[A-Za-z_]\w*$/.test(name)) out.imports.push(name);
    }
  return out;
}

export interface Registrations {
  has(kind: RegistryKind, name: string): boolean;
  /** Why a name not found may still be registered (a module that could not be read), or undefined. */
  unknown: string | undefined;
  /** The config's own modules read (absolute paths), for messages. */
  modules: string[];
  /** The vendored lm-eval checkout whose lm_eval/filters and lm_eval/api were read, if any. */
  harness?: string;
}

const MAX_MODULES = 64;

/** Registrations of `modules` (absolute paths of `.py` files) and the sibling modules they import. */
export function readRegistrations(
  fs: TaskFileSystem,
  modules: readonly string[],
  missing: readonly string[],
  harness: { root: string; modules: readonly string[] } | undefined,
  parse: (file: string) => ModuleRegistrations | undefined = (file) => {
    const text = fs.readFile(file);
    return text === undefined ? undefined : registrationsInSource(text);
  },
): Registrations {
  const names = { filter: new Set<string>(), metric: new Set<string>(), aggregation: new Set<string>() };
  let unknown = missing.length ? `${missing[0]} could not be read` : undefined;
  const read: string[] = [];
  const queue = [...new Set([...modules, ...(harness?.modules ?? [])])];
  const own = new Set(modules);
  const seen = new Set(queue);
  while (queue.length > 0 && read.length < MAX_MODULES) {
    const file = queue.shift()!;
    const r = parse(file);
    if (!r) {
      unknown ??= `${file} could not be read`;
      continue;
    }
    read.push(file);
    for (const k of ['filter', 'metric', 'aggregation'] as const) for (const n of r[k]) names[k].add(n);
    if (r.unknownName) unknown ??= `${file} registers a name that is not a string literal`;
    for (const imp of r.imports) {
      const base = path.join(path.dirname(file), imp.replace(/^\./, ''));
      const sibling = [`${base}.py`, path.join(base, '__init__.py')].find((p) => seen.has(p) || fs.exists(p));
      if (sibling === undefined) {
        if (imp.startsWith('.')) unknown ??= `${file} imports ${imp}, which could not be read`;
        continue;
      }
      if (seen.has(sibling)) continue;
      seen.add(sibling);
      queue.push(sibling);
    }
  }
  if (queue.length > 0) unknown ??= `more than ${MAX_MODULES} modules are imported`;
  return {
    has: (kind, name) => names[kind].has(name),
    unknown,
    modules: read.filter((m) => !harness?.modules.includes(m) || own.has(m)),
    ...(harness ? { harness: harness.root } : {}),
  };
}
