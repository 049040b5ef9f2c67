// Completion, go to definition and document links: task configs delegate to taskconfig/;
// in launches, model_args keys complete from what lm-eval and vLLM accept.
import { CompletionItemKind, type CompletionItem, type DocumentLink, type Location } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LM_EVAL_VLLM_ARGS, VLLM_ENGINE_ARGS, type ModelArgDoc } from '../knowledge/modelArgKeys';
import { completeTaskConfig, definitionTaskConfig, documentLinksTaskConfig } from '../taskconfig';
import { taskConfigOf, type AnalyzedDocument, type ServiceContext } from './analyze';

export function completion(
  analysis: AnalyzedDocument,
  _doc: TextDocument,
  offset: number,
  ctx: ServiceContext,
): CompletionItem[] {
  const { path, text } = analysis.document;
  if (analysis.role === 'task-config') return completeTaskConfig(path, text, offset, taskConfigOf(analysis, ctx));
  const launch = analysis.launches.find((l) => {
    const b = l.invocation.modelArgs;
    return l.isVllm && b && b.range.start <= offset && offset <= b.range.end;
  });
  if (!launch) return [];
  const written = new Set(launch.args.keys());
  const item = (key: string, d: ModelArgDoc, sortPrefix: string): CompletionItem => ({
    label: key,
    kind: CompletionItemKind.Property,
    detail: d.owner === 'vllm' ? 'vLLM engine argument' : 'lm-eval vllm argument',
    documentation: { kind: 'markdown', value: `${d.doc}${d.default ? `\n\nDefault: \`${d.default}\`` : ''}` },
    sortText: `${sortPrefix}${key}`,
  });
  const items: CompletionItem[] = [];
  for (const [k, d] of Object.entries(LM_EVAL_VLLM_ARGS)) if (!written.has(k)) items.push(item(k, d, '0'));
  for (const [k, d] of Object.entries(VLLM_ENGINE_ARGS)) if (!written.has(k)) items.push(item(k, d, '1'));
  return items;
}

export function definition(analysis: AnalyzedDocument, offset: number, ctx: ServiceContext): Location[] {
  if (analysis.role !== 'task-config') return [];
  return definitionTaskConfig(analysis.document.path, analysis.document.text, offset, taskConfigOf(analysis, ctx));
}

export function documentLinks(analysis: AnalyzedDocument, ctx: ServiceContext): DocumentLink[] {
  if (analysis.role !== 'task-config') return [];
  return documentLinksTaskConfig(analysis.document.path, analysis.document.text, taskConfigOf(analysis, ctx));
}
