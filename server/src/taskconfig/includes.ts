// `include:` resolution and merging, as lm-eval's loader does it.
// v0.4.12+ (lm_eval/tasks/_yaml_loader.py load_yaml): includes resolved against the directory of the
// including file, merged with a shallow dict.update in list order (a later include wins), then the
// file's own keys; one `_seen` set is shared by sibling includes, so a diamond raises "Include cycle".
// v0.4.9 (utils.load_yaml_config): the list is reversed (the first include wins), no cycle detection
// (a real cycle recurses until RecursionError), diamonds are fine.
import * as path from 'node:path';
import type { Finding, OffsetRange } from '../shared/findings';
import type { HarnessRules } from './harnessVersion';
import type { TaskFileSystem } from './types';
import { parseTaskYaml, type ParsedYaml, type YMap, type YNode } from './yamlTree';

export const MAX_INCLUDE_DEPTH = 32;
export const MAX_INCLUDED_FILES = 256;

export interface MergedEntry {
  key: string;
  keyRange: OffsetRange;
  value: YNode;
  /** File the key is written in. */
  file: string;
}

export interface IncludeRef {
  spec: string;
  range: OffsetRange;
  /** The file the include is written in. */
  from: string;
  resolved: string;
}

export interface ResolvedConfig {
  parsed: ParsedYaml;
  /** The merged top-level mapping, in merge order. Undefined when the file is not a mapping. */
  entries: Map<string, MergedEntry> | undefined;
  /** Findings about includes (not-found, cycle, diamond, limits) and parse findings of included files. */
  findings: Finding[];
  /** Every included file reached, → the include in the checked file it was reached through. */
  reachedVia: Map<string, IncludeRef>;
  /** The includes written in the checked file itself. */
  topIncludes: IncludeRef[];
}

/** Parsed files keyed by path, reused while the text is unchanged (templates are included thousands of times). */
export class ParseCache {
  private readonly files = new Map<string, ParsedYaml>();
  get(fs: TaskFileSystem, file: string): ParsedYaml | undefined {
    const text = fs.readFile(file);
    return text === undefined ? undefined : this.parse(file, text);
  }
  /** Parse text that may differ from the disk (an editor buffer), sharing the cache when it does not. */
  parse(file: string, text: string): ParsedYaml {
    const hit = this.files.get(file);
    if (hit && hit.text === text) return hit;
    const parsed = parseTaskYaml(file, text);
    if (this.files.size > 20_000) this.files.clear();
    this.files.set(file, parsed);
    return parsed;
  }
}

const caches = new WeakMap<TaskFileSystem, ParseCache>();
export function parseCacheFor(fs: TaskFileSystem): ParseCache {
  let c = caches.get(fs);
  if (!c) {
    c = new ParseCache();
    caches.set(fs, c);
  }
  return c;
}

function includeSpecs(map: YMap, file: string, findings: Finding[]): { spec: string; range: OffsetRange }[] {
  const entry = map.entries.find((e) => e.key === 'include');
  if (!entry) return [];
  const v = entry.value;
  const items = v.kind === 'seq' ? v.items : [v];
  const out: { spec: string; range: OffsetRange }[] = [];
  for (const item of items) {
    if (item.kind === 'scalar' && typeof item.value === 'string' && item.value.trim() !== '')
      out.push({ spec: item.value, range: item.range });
    else if (!(item.kind === 'scalar' && item.value === null && v.kind !== 'seq'))
      findings.push({
        code: 'invalid-value',
        severity: 'error',
        message: '`include` takes a file path or a list of file paths (relative to this file).',
        range: item.range,
        ...(file !== '' ? { file } : {}),
      });
  }
  return out;
}

export function resolveIncludes(
  parsed: ParsedYaml,
  fs: TaskFileSystem,
  rules: HarnessRules,
  cache = parseCacheFor(fs),
): ResolvedConfig {
  const findings: Finding[] = [];
  const reachedVia = new Map<string, IncludeRef>();
  const topIncludes: IncludeRef[] = [];
  const root = parsed.root;
  if (root?.kind !== 'map') {
    if (root)
      findings.push({
        code: 'invalid-value',
        severity: 'error',
        message: 'An lm-eval config must be a YAML mapping (`key: value` lines); lm-eval raises ValueError.',
        range: root.range,
        ...(root.file !== parsed.file ? { file: root.file } : {}),
      });
    return { parsed, entries: undefined, findings, reachedVia, topIncludes };
  }
  const seen = new Set<string>([path.resolve(parsed.file)]);
  const stack: string[] = [path.resolve(parsed.file)];
  let count = 0;
  let limitReported = false;
  const checked = parsed.file;
  const inFile = (file: string) => (file === checked ? {} : { file });

  const load = (p: ParsedYaml, map: YMap, depth: number, via: IncludeRef | undefined): Map<string, MergedEntry> => {
    const merged = new Map<string, MergedEntry>();
    const specs = includeSpecs(map, p.file === checked ? '' : p.file, findings);
    const loaded: Map<string, MergedEntry>[] = [];
    for (const { spec, range } of specs) {
      const resolved = path.resolve(path.dirname(p.file), spec);
      const ref: IncludeRef = { spec, range, from: p.file, resolved };
      if (depth === 0) topIncludes.push(ref);
      const viaRef = via ?? ref;
      if (depth + 1 > MAX_INCLUDE_DEPTH || count >= MAX_INCLUDED_FILES) {
        if (!limitReported) {
          limitReported = true;
          findings.push({
            code: 'input-limit',
            severity: 'warning',
            message: `Include chain too deep or too many included files (limits: depth ${MAX_INCLUDE_DEPTH}, ${MAX_INCLUDED_FILES} files); includes past this point are not checked.`,
            range,
            ...inFile(p.file),
          });
        }
        continue;
      }
      if (stack.includes(resolved)) {
        findings.push({
          code: 'include-cycle',
          severity: 'error',
          message: rules.legacy
            ? `Include cycle: \`${spec}\` includes this file again; lm-eval ${rules.label} recurses until RecursionError. Remove one of the includes.`
            : `Include cycle: \`${spec}\` is already being included; lm-eval raises "Include cycle". Remove one of the includes.`,
          range,
          ...inFile(p.file),
          related:
            stack.length > 1
              ? [
                  {
                    file: stack[stack.length - 1],
                    range: { start: 0, end: 0 },
                    message: 'the chain that leads back here',
                  },
                ]
              : undefined,
        });
        continue;
      }
      if (seen.has(resolved) && !rules.legacy) {
        findings.push({
          code: 'diamond-include',
          severity: 'error',
          message: `\`${spec}\` is included twice through different paths. lm-eval ${rules.label === 'latest' ? 'v0.4.12+' : rules.label} shares one "seen" set between sibling includes and raises "Include cycle" although this is not a cycle (v0.4.9 accepted it). Include it only once, at the top.`,
          range,
          ...inFile(p.file),
        });
        continue;
      }
      const inc = cache.get(fs, resolved);
      if (!inc) {
        findings.push({
          code: 'include-not-found',
          severity: 'error',
          message: `Included file \`${spec}\` not found (looked for ${resolved}). lm-eval cannot load this config. Paths are relative to the including file.`,
          range,
          ...inFile(p.file),
        });
        continue;
      }
      count++;
      seen.add(resolved);
      if (!reachedVia.has(resolved)) reachedVia.set(resolved, viaRef);
      for (const f of inc.findings) findings.push({ ...f, file: inc.file });
      if (inc.root?.kind !== 'map') {
        if (!inc.fatal)
          findings.push({
            code: 'invalid-value',
            severity: 'error',
            message: 'An included file must be a YAML mapping; lm-eval raises ValueError.',
            range: inc.root ? inc.root.range : { start: 0, end: 0 },
            file: inc.file,
          });
        continue;
      }
      stack.push(resolved);
      const sub = load(inc, inc.root, depth + 1, viaRef);
      stack.pop();
      sub.delete('task_list');
      loaded.push(sub);
    }
    if (rules.legacy) loaded.reverse();
    for (const sub of loaded) for (const [k, v] of sub) merged.set(k, v);
    for (const e of map.entries)
      if (e.key !== 'include') merged.set(e.key, { key: e.key, keyRange: e.keyRange, value: e.value, file: p.file });
    return merged;
  };

  const entries = load(parsed, root, 0, undefined);
  return { parsed, entries, findings, reachedVia, topIncludes };
}
