// Hover: docs for every key, registry values (metrics, aggregations, filters, output types), and where
// `include:` and `!function` point.
import * as path from 'node:path';
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFunctionRef } from '../functionRefs';
import { parseCacheFor } from '../includes';
import { METRICS } from '../knowledge';
import type { TaskConfigContext } from '../types';
import { rulesFor } from '../validate';
import { keysAt, valueDoc } from './docs';
import { locateInTree } from './locate';

export function hoverTaskConfig(file: string, text: string, offset: number, ctx: TaskConfigContext): Hover | undefined {
  try {
    const abs = path.resolve(file);
    const parsed = parseCacheFor(ctx.fs).parse(abs, text);
    const loc = locateInTree(parsed.root ?? parsed.partialRoot, offset);
    if (!loc?.entry) return undefined;
    const root = parsed.root ?? parsed.partialRoot;
    const isGroup = root?.kind === 'map' && root.entries.some((e) => e.key === 'group');
    const doc = TextDocument.create(abs, 'yaml', 0, text);
    const toRange = (r: { start: number; end: number }) => ({
      start: doc.positionAt(r.start),
      end: doc.positionAt(r.end),
    });
    const md = (value: string, r: { start: number; end: number }): Hover => ({
      contents: { kind: MarkupKind.Markdown, value },
      range: toRange(r),
    });
    const entry = loc.entry;
    if (loc.onKey) {
      const k = keysAt(loc.path, isGroup)?.get(entry.key);
      if (k) return md(`**${k.name}** \`${k.type}\`\n\n${k.doc}`, entry.keyRange);
      if (loc.path.length === 0 && isGroup)
        return md(
          `**${entry.key}**\n\nNot a group key: lm-eval pushes it down to every member task as a task setting.`,
          entry.keyRange,
        );
      if (loc.path.join('.') === 'metric_list.-')
        return md(`**${entry.key}**\n\nPassed to the metric function as a keyword argument.`, entry.keyRange);
      return undefined;
    }
    const node = loc.node;
    if (!node) return undefined;
    if (node.kind === 'function') {
      const r = checkFunctionRef(node.spec, node.file, rulesFor(text, ctx), ctx.fs);
      const where =
        r.status === 'found'
          ? `Defined in \`${r.target.modulePath}\`.`
          : r.status === 'module-missing'
            ? `No \`${r.target.modulePath}\`; lm-eval falls back to importing \`${r.target.module}\`.`
            : r.status === 'attr-missing'
              ? `\`${r.target.modulePath}\` has no top-level \`${r.target.attr}\`.`
              : 'Needs `module.attr`.';
      return md(
        `**!function ${node.spec}**\n\nA Python callable, resolved relative to this file. ${where}`,
        node.range,
      );
    }
    if (node.kind !== 'scalar' || typeof node.value !== 'string') return undefined;
    const parentPath = loc.path.slice(0, -1);
    if (entry.key === 'include') {
      const target = path.resolve(path.dirname(abs), node.value);
      return md(
        `**include** → \`${target}\`${ctx.fs.exists(target) ? '' : ' (not found)'}\n\nMerged under this file; this file's own keys win.`,
        node.range,
      );
    }
    if (entry.key === 'metric' && parentPath.join('.') === 'metric_list.-') {
      const m = METRICS.get(node.value);
      return md(
        m
          ? `**${node.value}**: aggregation \`${m.aggregation}\`, higher_is_better ${m.higherIsBetter ? 'True' : 'False'}; for ${m.outputTypes.join(', ')}.`
          : `**${node.value}**: not a built-in metric (custom via \`process_results\`, or Hugging Face \`evaluate\`).`,
        node.range,
      );
    }
    const d = valueDoc(parentPath, entry.key, node.value, isGroup);
    return d ? md(`**${node.value}**\n\n${d}`, node.range) : undefined;
  } catch {
    return undefined;
  }
}
