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
  /** Some include was not loaded (missing, unreadable, a cycle, a diamond, past a limit), so keys may
   * be missing from `entries` for that reason alone. */
  incomplete: boolean;
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
  const root = parsed.root;
  if (root?.kind !== 'map') {
    const findings: Finding[] = [];
    if (root)
      findings.push({
        code: 'invalid-value',
        severity: 'error',
        message: 'An lm-eval config must be a YAML mapping (`key: value` lines); lm-eval skips anything else.',
        range: root.range,
        ...(root.file !== parsed.file ? { file: root.file } : {}),
      });
    return { parsed, entries: undefined, findings, reachedVia: new Map(), topIncludes: [], incomplete: false };
  }
  const resolver = new IncludeResolver(parsed.file, fs, rules, cache);
  const entries = resolver.load(parsed, root, 0, undefined);
  return {
    parsed,
    entries,
    findings: resolver.findings,
    reachedVia: resolver.reachedVia,
    topIncludes: resolver.topIncludes,
    incomplete: resolver.incomplete,
  };
}

/** One resolution: the chain being included (cycles), every file seen (diamonds), and the limits. */
class IncludeResolver {
  readonly findings: Finding[] = [];
  readonly reachedVia = new Map<string, IncludeRef>();
  readonly topIncludes: IncludeRef[] = [];
  incomplete = false;
  private readonly seen: Set<string>;
  private readonly stack: string[];
  /** The includes followed from the checked file down to the file being loaded. */
  private readonly refStack: IncludeRef[] = [];
  /** For each loaded file, the includes it was first reached through (from the checked file). */
  private readonly firstChain = new Map<string, IncludeRef[]>();
  private count = 0;
  private limitReported = false;

  constructor(
    private readonly checked: string,
    private readonly fs: TaskFileSystem,
    private readonly rules: HarnessRules,
    private readonly cache: ParseCache,
  ) {
    this.seen = new Set([path.resolve(checked)]);
    this.stack = [path.resolve(checked)];
  }

  /** The merged keys of `map`: its includes in lm-eval's order, then its own keys. */
  load(p: ParsedYaml, map: YMap, depth: number, via: IncludeRef | undefined): Map<string, MergedEntry> {
    const loaded: Map<string, MergedEntry>[] = [];
    for (const { spec, range } of includeSpecs(map, p.file === this.checked ? '' : p.file, this.findings)) {
      const ref: IncludeRef = { spec, range, from: p.file, resolved: path.resolve(path.dirname(p.file), spec) };
      if (depth === 0) this.topIncludes.push(ref);
      const sub = this.blocked(ref, depth) ? undefined : this.include(ref, via ?? ref, depth);
      if (sub) loaded.push(sub);
      else this.incomplete = true;
    }
    if (this.rules.legacy) loaded.reverse();
    const merged = new Map<string, MergedEntry>();
    for (const sub of loaded) for (const [k, v] of sub) merged.set(k, v);
    for (const e of map.entries)
      if (e.key !== 'include') merged.set(e.key, { key: e.key, keyRange: e.keyRange, value: e.value, file: p.file });
    return merged;
  }

  private report(ref: IncludeRef, finding: Omit<Finding, 'range'>): void {
    this.findings.push({ ...finding, range: ref.range, ...(ref.from === this.checked ? {} : { file: ref.from }) });
  }

  /** Past a limit, a cycle, or (from v0.4.12) a diamond: reported, and not loaded. */
  private blocked(ref: IncludeRef, depth: number): boolean {
    const { spec, resolved } = ref;
    const { legacy, label } = this.rules;
    if (depth + 1 > MAX_INCLUDE_DEPTH || this.count >= MAX_INCLUDED_FILES) {
      if (!this.limitReported) {
        this.limitReported = true;
        this.report(ref, {
          code: 'input-limit',
          severity: 'warning',
          message: `Include chain too deep or too many included files (limits: depth ${MAX_INCLUDE_DEPTH}, ${MAX_INCLUDED_FILES} files); includes past this point are not checked.`,
        });
      }
      return true;
    }
    if (this.stack.includes(resolved)) {
      const stack = this.stack;
      this.report(ref, {
        code: 'include-cycle',
        severity: 'error',
        message: legacy
          ? `Include cycle: \`${spec}\` includes this file again; lm-eval ${label} recurses until RecursionError. Remove one of the includes.`
          : `Include cycle: \`${spec}\` is already being included; lm-eval stops with \`ValueError: Include cycle at ${resolved}\`. Remove one of the includes.`,
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
      return true;
    }
    if (this.seen.has(resolved) && !legacy) {
      this.reportDiamond(ref);
      return true;
    }
    return false;
  }

  /**
   * A file reached a second time (v0.4.12+ `load_yaml` keeps one `_seen` set for the whole tree and
   * raises on it). The cause is the include list where the two paths part: the first file both
   * chains pass through is where they are written, and the finding goes on the later entry (the one
   * lm-eval fails on), so it is the same whichever file is analysed and never on a file that loads.
   */
  private reportDiamond(ref: IncludeRef): void {
    const prev = this.firstChain.get(ref.resolved) ?? [];
    const cur = [...this.refStack, ref];
    let k = 0;
    while (k < prev.length - 1 && k < cur.length - 1 && prev[k] === cur[k]) k++;
    const first = prev[k];
    const second = cur[k];
    if (!first) return;
    const firstInner = prev[prev.length - 1];
    const version = this.rules.label === 'latest' ? 'v0.4.12+' : this.rules.label;
    const what =
      second === ref
        ? `\`${ref.spec}\` is already included${first === firstInner ? ' above' : ` through \`${first.spec}\``}`
        : `\`${second.spec}\` includes \`${ref.spec}\`, which ${first === firstInner ? 'is already included above' : `\`${first.spec}\` already includes`}`;
    const related: NonNullable<Finding['related']> = [
      { file: first.from, range: first.range, message: `\`${first.spec}\`: the first path` },
    ];
    if (firstInner !== first)
      related.push({
        file: firstInner.from,
        range: firstInner.range,
        message: `\`${firstInner.spec}\` included here first`,
      });
    if (ref !== second)
      related.push({ file: ref.from, range: ref.range, message: `\`${ref.spec}\` included here again` });
    this.report(second, {
      code: 'diamond-include',
      severity: 'error',
      message: `${what}: lm-eval ${version} keeps one set of loaded files for the whole include tree and stops with \`ValueError: Include cycle at ${ref.resolved}\` although nothing cycles, so it skips this config (lm-eval before v0.4.12 accepted it). Include \`${ref.spec}\` only once.`,
      related,
    });
  }

  /** Read, record and load one included file; undefined when it is missing or not a mapping. */
  private include(ref: IncludeRef, via: IncludeRef, depth: number): Map<string, MergedEntry> | undefined {
    const inc = this.cache.get(this.fs, ref.resolved);
    if (!inc) {
      this.report(ref, {
        code: 'include-not-found',
        severity: 'error',
        message: `Included file \`${ref.spec}\` not found (looked for ${ref.resolved}). ${
          this.rules.legacy
            ? `lm-eval ${this.rules.label} stops with FileNotFoundError while it indexes this folder, so none of its tasks load.`
            : 'lm-eval cannot load this config (its index skips it without a word).'
        } Paths are relative to the including file.`,
      });
      return undefined;
    }
    this.count++;
    this.seen.add(ref.resolved);
    this.firstChain.set(ref.resolved, [...this.refStack, ref]);
    if (!this.reachedVia.has(ref.resolved)) this.reachedVia.set(ref.resolved, via);
    for (const f of inc.findings) this.findings.push({ ...f, file: inc.file });
    if (inc.root?.kind !== 'map') {
      if (!inc.fatal)
        this.findings.push({
          code: 'invalid-value',
          severity: 'error',
          message: 'An included file must be a YAML mapping; lm-eval fails to load the config that includes it.',
          range: inc.root ? inc.root.range : { start: 0, end: 0 },
          file: inc.file,
        });
      return undefined;
    }
    this.stack.push(ref.resolved);
    this.refStack.push(ref);
    const sub = this.load(inc, inc.root, depth + 1, via);
    this.refStack.pop();
    this.stack.pop();
    sub.delete('task_list');
    return sub;
  }
}
