// Go to definition and document links: `include:` → the included file; `!function utils.fn` → the
// `def fn` line of utils.py next to the YAML.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentLink, Location } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFunctionRef, collectFunctions } from '../functionRefs';
import { parseCacheFor } from '../includes';
import type { TaskConfigContext } from '../types';
import { rulesFor } from '../validate';
import type { YFunction, YNode } from '../yamlTree';
import { locateInTree } from './locate';

const uriOf = (p: string) => pathToFileURL(p).toString();
const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

interface Target {
  uri: string;
  range: Location['range'];
  /** For links: `file:///…#L12`. */
  linkTarget: string;
}

function functionTarget(fn: YFunction, text: string, ctx: TaskConfigContext): Target | undefined {
  const r = checkFunctionRef(fn.spec, fn.file, rulesFor(text, ctx), ctx.fs);
  if (r.status !== 'found' && r.status !== 'attr-missing') return undefined;
  const uri = uriOf(r.target.modulePath);
  if (r.status === 'attr-missing') return { uri, range: ZERO, linkTarget: uri };
  const pos = TextDocument.create(uri, 'python', 0, r.source).positionAt(r.offset);
  return { uri, range: { start: pos, end: pos }, linkTarget: `${uri}#L${pos.line + 1}` };
}

function includeTarget(file: string, spec: string, ctx: TaskConfigContext): Target | undefined {
  const target = path.resolve(path.dirname(file), spec);
  if (!ctx.fs.exists(target)) return undefined;
  const uri = uriOf(target);
  return { uri, range: ZERO, linkTarget: uri };
}

function includeNodes(root: YNode | undefined): YNode[] {
  if (root?.kind !== 'map') return [];
  const inc = root.entries.find((e) => e.key === 'include');
  if (!inc) return [];
  return inc.value.kind === 'seq' ? inc.value.items : [inc.value];
}

export function definitionTaskConfig(file: string, text: string, offset: number, ctx: TaskConfigContext): Location[] {
  try {
    const abs = path.resolve(file);
    const parsed = parseCacheFor(ctx.fs).parse(abs, text);
    const loc = locateInTree(parsed.root ?? parsed.partialRoot, offset);
    if (!loc || loc.onKey || !loc.node) return [];
    const node = loc.node;
    let t: Target | undefined;
    if (node.kind === 'function') t = functionTarget(node, text, ctx);
    else if (
      loc.path[0] === 'include' &&
      loc.path.length <= 2 &&
      node.kind === 'scalar' &&
      typeof node.value === 'string'
    )
      t = includeTarget(abs, node.value, ctx);
    return t ? [{ uri: t.uri, range: t.range }] : [];
  } catch {
    return [];
  }
}

export function documentLinksTaskConfig(file: string, text: string, ctx: TaskConfigContext): DocumentLink[] {
  try {
    const abs = path.resolve(file);
    const parsed = parseCacheFor(ctx.fs).parse(abs, text);
    const doc = TextDocument.create(uriOf(abs), 'yaml', 0, text);
    const range = (r: { start: number; end: number }) => ({
      start: doc.positionAt(r.start),
      end: doc.positionAt(r.end),
    });
    const links: DocumentLink[] = [];
    const root = parsed.root ?? parsed.partialRoot;
    for (const n of includeNodes(root)) {
      if (n.kind !== 'scalar' || typeof n.value !== 'string') continue;
      const t = includeTarget(abs, n.value, ctx);
      if (t) links.push({ range: range(n.range), target: t.linkTarget, tooltip: 'Open the included file' });
    }
    if (root?.kind === 'map') {
      const fns = collectFunctions(
        root.entries.map((e) => ({ key: e.key, keyRange: e.keyRange, value: e.value, file: abs })),
        2000,
      );
      for (const fn of fns) {
        const t = functionTarget(fn, text, ctx);
        if (t) links.push({ range: range(fn.range), target: t.linkTarget, tooltip: `Open ${fn.spec}` });
      }
    }
    return links;
  } catch {
    return [];
  }
}
