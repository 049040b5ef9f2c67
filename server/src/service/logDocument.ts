// Log files in the editor (*.log, *.out, *.err, slurm-*.out): a diagnostic on the failure line in
// the launch rules' vocabulary, a hover with the logged-vs-predicted table, and code actions that
// apply the fix to the script that launched the run (when the workspace has it) or copy the fixed
// --model_args / flags.
import { CodeActionKind, type CodeAction, type Hover, type Range, type TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDirectives } from '../parse/directives';
import { argsByKey } from '../facts/vllmSettings';
import { diagnoseLog, type LogDiagnosis } from '../logs/diagnose';
import { findLaunchingScript, type LaunchingScript } from '../logs/launchingScript';
import { readLogText } from '../logs/reader';
import { selfCheckTable } from '../logs/selfCheck';
import type { LogFacts } from '../logs/types';
import { insertModelArg, replaceModelArgValue } from '../parse/edits';
import type { Finding, OffsetEdit, OffsetRange } from '../shared/findings';
import type { AnalyzedDocument, LensDocument, LogAnalysis, ServiceContext } from './analyzedDocument';
import { findingToDiagnostic } from './diagnostics';

/** The client command a "copy" code action runs (registered by the VS Code client). */
export const COPY_COMMAND = 'lmEvalLens.copyToClipboard';

/** Logs are read whole in the editor up to this size (the CLI streams any size). */
const MAX_LOG_CHARS = 64 * 2 ** 20;

/** *.log, *.out, *.err and slurm-*.out files, and documents VS Code calls `log`. */
export function isLogDocument(doc: LensDocument): boolean {
  return /\.(log|out|err)$/i.test(doc.path) || doc.languageId === 'log';
}

/** Offsets of each line start, counting \n, \r\n and a lone \r as the reader (and LSP) do. */
function lineRange(text: string, line: number): OffsetRange | undefined {
  let start = 0;
  for (let l = 0; l < line; l++) {
    let i = start;
    while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    if (i >= text.length) return undefined;
    start = text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  let s = start;
  while (s < end && /\s/.test(text[s])) s++;
  let e = end;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return { start: s, end: e };
}

/** The fix written into the launching script, in its own style (replace a written value, else add). */
function scriptEdits(script: LaunchingScript, d: LogDiagnosis): OffsetEdit[] {
  const best = d.fixes[0];
  const block = script.invocation.modelArgs;
  if (!best || !block) return [];
  const args = argsByKey(block.args);
  const edits: OffsetEdit[] = [];
  for (const c of best.changes) {
    const existing =
      args.get(c.key) ??
      (c.key === 'max_model_len'
        ? args.get('max_length')
        : c.key === 'max_num_seqs'
          ? args.get('max_batch_size')
          : undefined);
    const edit = existing ? replaceModelArgValue(block, existing, c.value) : insertModelArg(block, c.key, c.value);
    if (!edit) return [];
    edits.push(edit);
  }
  return edits;
}

function hasLmEvalOrVllm(facts: LogFacts): boolean {
  return (
    facts.vllmSeen ||
    facts.command !== undefined ||
    facts.lmEvalModelArgs !== undefined ||
    facts.tasks.length > 0 ||
    facts.outputTypes.length > 0
  );
}

export function analyzeLogDocument(doc: LensDocument, ctx: ServiceContext): AnalyzedDocument {
  const base: AnalyzedDocument = {
    document: doc,
    role: 'log',
    directives: parseDirectives(''),
    launches: [],
    findings: [],
  };
  if (doc.text.length > MAX_LOG_CHARS) {
    base.findings.push({
      code: 'input-limit',
      severity: 'info',
      message: `lm-eval-lens did not read this log in the editor: ${Math.round(doc.text.length / 2 ** 20)} MiB is over ${MAX_LOG_CHARS / 2 ** 20} MiB. Run \`lm-eval-lens explain\` on it (it streams any size).`,
      range: { start: 0, end: 0 },
    });
    return base;
  }
  const facts = readLogText(doc.text);
  // A log without a vLLM start-up or an lm-eval run is not ours to comment on.
  if (!hasLmEvalOrVllm(facts)) return { ...base, role: 'none' };
  const diagnosis = diagnoseLog(facts, ctx.providers, { fallbackGpu: ctx.settings.gpu });
  const log: LogAnalysis = { facts, diagnosis, hoverLines: new Set() };
  for (const row of diagnosis.selfCheck ?? []) if (row.line !== undefined) log.hoverLines.add(row.line);
  const f = diagnosis.failure;
  if (f && diagnosis.code) {
    log.hoverLines.add(f.line);
    log.failureRange = lineRange(doc.text, f.line);
    const best = diagnosis.fixes[0];
    let fixText = '';
    if (diagnosis.memory && best) {
      const script = ctx.workspaceScripts ? findLaunchingScript(doc.path, facts, ctx.workspaceScripts()) : undefined;
      const edits = script ? scriptEdits(script, diagnosis) : [];
      if (script && edits.length && ctx.fileUri) log.scriptEdit = { script, uri: ctx.fileUri(script.file.path), edits };
      log.copyText =
        diagnosis.fixedFlags ?? (diagnosis.fixedModelArgs ? `--model_args ${diagnosis.fixedModelArgs}` : undefined);
      fixText = ` Fix: ${best.title}.`;
    }
    const finding: Finding = {
      code: diagnosis.code,
      severity: 'error',
      message: `${diagnosis.cause}${fixText}`,
      range: log.failureRange ?? { start: 0, end: 0 },
    };
    const details = diagnosis.memory ? [...diagnosis.details] : [];
    if (log.copyText) details.push(log.copyText);
    if (details.length) finding.details = details;
    base.findings.push(finding);
  }
  return { ...base, log };
}

function g(x: number): string {
  return x.toFixed(2);
}

/** The hover on the failure line or a logged memory line: the cause, the fix, and logged vs predicted. */
export function logHover(analysis: AnalyzedDocument, doc: TextDocument, offset: number): Hover | null {
  const log = analysis.log;
  if (!log) return null;
  const line = doc.positionAt(offset).line;
  if (!log.hoverLines.has(line)) return null;
  const d = log.diagnosis;
  const l = d.launch;
  const parts: string[] = [];
  const onFailure = d.failure?.line === line;
  // On the failure line the diagnostic already says the cause: the hover leads with the numbers.
  if (!onFailure) parts.push(d.code ? `**${d.code}** — ${d.cause}` : `**vLLM start-up** — ${d.cause}`, '');
  if (d.selfCheck) {
    parts.push('**Memory model vs this log** (per GPU)', '', selfCheckTable(d.selfCheck, 'markdown'));
  } else parts.push('No self-check: the model is not in the catalog or the local Hugging Face cache.');
  const best = d.fixes[0];
  if (best) {
    parts.push('', `**Fix:** ${best.title}${best.foundBy === 'log' ? ' (read off the log)' : ''}`);
    if (log.copyText) parts.push('', `\`${log.copyText}\``);
    for (const other of d.fixes.slice(1)) parts.push(`- or: ${other.title}`);
  }
  parts.push(
    '',
    `vLLM ${l.versionLabel} (${l.engine}), ${l.model ?? 'model not in the log'} on ${l.gpu.name} (${g(l.gpu.totalBytes / 2 ** 30)} GiB, ${l.gpuFrom})`,
  );
  if (d.assumptions.length) parts.push('', 'Assumptions:', ...d.assumptions.map((a) => `- ${a}`));
  const r = lineRange(doc.getText(), line);
  return {
    contents: { kind: 'markdown', value: parts.join('\n') },
    ...(r ? { range: { start: doc.positionAt(r.start), end: doc.positionAt(r.end) } } : {}),
  };
}

function toTextEdits(edits: OffsetEdit[], target: TextDocument): TextEdit[] {
  return edits.map((e) => ({
    range: { start: target.positionAt(e.range.start), end: target.positionAt(e.range.end) },
    newText: e.newText,
  }));
}

/** Apply the fix to the launching script; else copy the fixed --model_args / flags. */
export function logCodeActions(
  analysis: AnalyzedDocument,
  doc: TextDocument,
  range: Range,
  only: string[] | undefined,
): CodeAction[] {
  const log = analysis.log;
  const finding = analysis.findings[0];
  if (!log || !finding || !log.failureRange) return [];
  if (only && !only.some((o) => CodeActionKind.QuickFix === o || CodeActionKind.QuickFix.startsWith(`${o}.`)))
    return [];
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  if (log.failureRange.end < start || log.failureRange.start > end) return [];
  const diagnostic = findingToDiagnostic(finding, doc);
  const best = log.diagnosis.fixes[0];
  const actions: CodeAction[] = [];
  if (best && log.scriptEdit) {
    const { script, edits, uri } = log.scriptEdit;
    const target = TextDocument.create(uri, 'shellscript', 0, script.file.text);
    const name = script.file.path.replace(/\\/g, '/').split('/').pop();
    actions.push({
      title: `${best.title} in ${name} (the launching script: ${script.how})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [uri]: toTextEdits(edits, target) } },
    });
  }
  if (log.copyText) {
    actions.push({
      title: `Copy the fixed ${log.diagnosis.fixedFlags ? 'flags' : '--model_args'} (${best?.title ?? 'fix'})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      ...(actions.length ? {} : { isPreferred: true }),
      command: { title: 'Copy', command: COPY_COMMAND, arguments: [log.copyText] },
    });
  }
  return actions;
}
