// Hover on a launch's model or any model_args pair: the memory breakdown, and the key's own docs.
import type { Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { modelArgDoc } from '../knowledge/modelArgKeys';
import { hoverTaskConfig } from '../taskconfig';
import { taskConfigOf, type AnalyzedDocument, type ServiceContext } from './analyze';
import { estimateMarkdown, verdictText } from './estimateTable';
import { unknownValueHint } from './uncertain';
import { logHover } from './logDocument';

export function hover(
  analysis: AnalyzedDocument,
  doc: TextDocument,
  offset: number,
  ctx: ServiceContext,
): Hover | null {
  if (analysis.role === 'log') return logHover(analysis, doc, offset);
  if (analysis.role === 'task-config') {
    const h = hoverTaskConfig(analysis.document.path, analysis.document.text, offset, taskConfigOf(analysis, ctx));
    // Say which lm-eval's rules the file is checked against, and why (a pin, a vendored copy, …).
    if (h && analysis.harness && typeof h.contents === 'object' && 'kind' in h.contents)
      return {
        ...h,
        contents: { ...h.contents, value: `${h.contents.value}\n\n---\n\nChecked against ${analysis.harness.label}.` },
      };
    return h ?? null;
  }
  for (const f of analysis.launches) {
    const inv = f.invocation;
    const onModel = inv.model && inv.model.range.start <= offset && offset <= inv.model.range.end;
    const arg = inv.modelArgs?.args.find((a) => a.range.start <= offset && offset <= a.range.end);
    if (!onModel && !arg) continue;
    const parts: string[] = [];
    if (arg) {
      const d = modelArgDoc(arg.key.trim());
      if (d)
        parts.push(
          `**${arg.key}** (${d.owner === 'vllm' ? 'vLLM engine argument' : 'lm-eval vllm argument'})${d.default ? ` — default \`${d.default}\`` : ''}\n\n${d.doc}`,
        );
    }
    if (f.isVllm) {
      if (f.estimate) parts.push(estimateMarkdown(f, f.estimate));
      else if (f.pretrained?.unresolved)
        parts.push(
          `No memory estimate: the model is \`${f.pretrained.rawValue}\`, which is not known here.${unknownValueHint(f.pretrained)}`,
        );
      else if (!f.architecture)
        parts.push(
          `No memory estimate: the model ${f.pretrained ? `\`${String(f.pretrained.value)}\` ` : ''}is not in the catalog or the local Hugging Face cache.`,
        );
    }
    if (f.server) {
      // `lm_eval --model local-completions` against a `vllm serve` of this file: its memory is the server's.
      const s = f.server;
      const line = doc.positionAt(s.invocation.range.start).line + 1;
      const model = s.pretrained ? `\`${s.pretrained.rawValue}\`` : 'the server';
      parts.push(
        `Runs against the vLLM server started on line ${line} (${model})${s.estimate ? `: ${verdictText(s.estimate)} on ${f.gpu.spec.name}. Hover that command for its memory breakdown.` : '.'}`,
      );
    }
    if (!parts.length) return null;
    const range = arg ? arg.range : inv.model!.range;
    return {
      contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') },
      range: { start: doc.positionAt(range.start), end: doc.positionAt(range.end) },
    };
  }
  return null;
}
