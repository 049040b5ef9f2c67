// `≈ 31.2 / 71.2 GiB · fits` after each vLLM model_args value: memory claimed before the KV cache
// against the budget, and the verdict.
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedDocument } from './analyzedDocument';
import { GiB } from '../shared/units';
import { verdictText } from './estimateTable';

export function inlayHints(analysis: AnalyzedDocument, doc: TextDocument, range: Range): InlayHint[] {
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const hints: InlayHint[] = [];
  for (const f of analysis.launches) {
    const e = f.estimate;
    const block = f.invocation.modelArgs;
    if (!e || !block || block.range.end < start || block.range.end > end) continue;
    const used =
      e.weightsBytes + e.activationBytes + e.nonTorchBytes + (e.cudaGraphInsideBudget ? e.cudaGraphBytes : 0);
    hints.push({
      position: doc.positionAt(block.range.end),
      label: `≈ ${(used / GiB).toFixed(1)} / ${(e.budgetBytes / GiB).toFixed(1)} GiB · ${verdictText(e)}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip:
        'Memory vLLM claims before the KV cache, against gpu_memory_utilization × total (lm-eval-lens). Hover for the breakdown.',
    });
  }
  return hints;
}
