// Quick fixes for the findings under the cursor, suppression comments, and the
// "enforce_eager=True" refactoring that is offered on any vLLM model_args.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { insertModelArg } from '../parse/edits';
import type { Fix, OffsetEdit } from '../shared/findings';
import { asBoolean } from '../facts/vllmSettings';
import type { AnalyzedDocument } from './analyzedDocument';
import { logCodeActions } from './logDocument';
import { findingToDiagnostic } from './diagnostics';
import { suppressionFixes } from './suppression';

export function codeActions(
  analysis: AnalyzedDocument,
  doc: TextDocument,
  range: Range,
  only?: string[],
): CodeAction[] {
  if (analysis.role === 'log') return logCodeActions(analysis, doc, range, only);
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    for (const f of analysis.findings) {
      if (f.file !== undefined || f.range.end < start || f.range.start > end) continue;
      const diagnostic = findingToDiagnostic(f, doc);
      for (const fix of f.fixes ?? []) actions.push(toAction(fix, doc, diagnostic));
      for (const fix of suppressionFixes(analysis, f)) actions.push(toAction(fix, doc, diagnostic));
    }
  }

  if (wants(CodeActionKind.RefactorRewrite)) {
    for (const launch of analysis.launches) {
      const block = launch.invocation.modelArgs;
      if (!launch.isVllm || !block || block.range.end < start || block.range.start > end) continue;
      if (asBoolean(launch.args.get('enforce_eager')?.value) === true) continue;
      const edit = insertModelArg(block, 'enforce_eager', true);
      if (!edit) continue;
      actions.push(
        toAction(
          { title: 'Add enforce_eager=True (run without CUDA graphs)', edits: [edit], kind: 'refactor.rewrite' },
          doc,
        ),
      );
    }
  }
  return actions;
}

function toAction(fix: Fix, doc: TextDocument, diagnostic?: Diagnostic): CodeAction {
  const edits: TextEdit[] = fix.edits.filter((e) => e.file === undefined).map((e) => toTextEdit(e, doc));
  const action: CodeAction = {
    title: fix.title,
    kind: fix.kind === 'refactor.rewrite' ? CodeActionKind.RefactorRewrite : CodeActionKind.QuickFix,
    edit: { changes: { [doc.uri]: edits } },
  };
  if (diagnostic) action.diagnostics = [diagnostic];
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}

export function toTextEdit(e: OffsetEdit, doc: TextDocument): TextEdit {
  return { range: { start: doc.positionAt(e.range.start), end: doc.positionAt(e.range.end) }, newText: e.newText };
}
