// Completion in task/group configs: keys (with docs) for the mapping under the cursor, registry values
// (output types, metrics, aggregations, filters, samplers), and file names after `include:`.
import * as path from 'node:path';
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import { topLevelKeys } from '../classify';
import type { TaskConfigContext } from '../types';
import { keysAt, valuesFor } from './docs';
import { locateInText } from './locate';

export function completeTaskConfig(
  file: string,
  text: string,
  offset: number,
  ctx: TaskConfigContext,
): CompletionItem[] {
  try {
    const at = Math.max(0, Math.min(offset, text.length));
    const loc = locateInText(text, at);
    const top = topLevelKeys(text);
    const isGroup = top.has('group');
    if (loc.position === 'key') {
      const keys = keysAt(loc.path, isGroup);
      if (!keys) return [];
      const present = loc.path.length === 0 ? top : new Set<string>();
      return [...keys.values()]
        .filter((k) => !present.has(k.name) || k.name === loc.prefix)
        .map((k, i) => ({
          label: k.name,
          kind: CompletionItemKind.Property,
          detail: k.type,
          documentation: { kind: MarkupKind.Markdown, value: k.doc },
          insertText: `${k.name}: `,
          insertTextFormat: InsertTextFormat.PlainText,
          sortText: String(i).padStart(3, '0'),
        }));
    }
    if (!loc.key) return [];
    if (loc.path.length === 0 && loc.key === 'include') return includeCandidates(file, loc.prefix, ctx);
    const values = valuesFor(loc.path, loc.key, isGroup);
    if (!values) return [];
    return values.map((v, i) => ({
      label: v.value,
      kind: CompletionItemKind.EnumMember,
      documentation: { kind: MarkupKind.Markdown, value: v.doc },
      sortText: String(i).padStart(3, '0'),
    }));
  } catch {
    return [];
  }
}

/** Files next to the config (or under the typed folder) that can be included: YAML and extension-less templates. */
function includeCandidates(file: string, prefix: string, ctx: TaskConfigContext): CompletionItem[] {
  const typed = prefix.replace(/^["']/, '');
  const slash = typed.lastIndexOf('/');
  const dirPart = slash >= 0 ? typed.slice(0, slash + 1) : '';
  const dir = path.resolve(path.dirname(file), dirPart);
  const entries = ctx.fs.listDir(dir) ?? [];
  const self = path.basename(file);
  return entries
    .filter((e) => e.isDirectory || /\.ya?ml$/.test(e.name) || (!e.name.includes('.') && /yaml|template/i.test(e.name)))
    .filter((e) => !(dirPart === '' && e.name === self))
    .slice(0, 500)
    .map((e) => ({
      label: dirPart + e.name + (e.isDirectory ? '/' : ''),
      kind: e.isDirectory ? CompletionItemKind.Folder : CompletionItemKind.File,
      detail: e.isDirectory ? 'folder' : 'include this file',
    }));
}
