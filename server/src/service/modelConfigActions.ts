// The editor's way to an estimate for a model found nowhere offline: "Fetch config.json for
// ORG/NAME from the Hugging Face Hub" — one fetch, consented to by choosing the action (offline
// stays the default) — and, where the client has the command, a way to allow it always.
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { resolvablePretrained } from '../facts/modelName';
import { asString } from '../facts/vllmSettings';
import { looksLikePath } from '../memory/resolveModel';
import { normalizeModelId } from '../memory/architectures';
import type { AnalyzedDocument } from './analyzedDocument';
import { findingToDiagnostic } from './diagnostics';

import { ALLOW_NETWORK_COMMAND, FETCH_MODEL_CONFIG_COMMAND } from '../shared/messages';

export { ALLOW_NETWORK_COMMAND, FETCH_MODEL_CONFIG_COMMAND };

export interface FetchModelConfigArgs {
  id: string;
  revision?: string;
}

const HUB_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;

/** The Hub id `pretrained=` names, when it is one (not a path, not a placeholder). */
export function hubIdOf(value: string | undefined): string | undefined {
  if (!value || looksLikePath(value)) return undefined;
  const id = normalizeModelId(value);
  return HUB_ID.test(id) ? id : undefined;
}

export function modelConfigActions(
  analysis: AnalyzedDocument,
  doc: TextDocument,
  range: Range,
  opts: { allowNetworkCommand: boolean },
): CodeAction[] {
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const actions: CodeAction[] = [];
  for (const f of analysis.findings) {
    if (f.code !== 'unknown-model' || f.file !== undefined || f.range.end < start || f.range.start > end) continue;
    const launch = analysis.launches.find((l) => l.pretrained && l.pretrained.valueRange.start === f.range.start);
    const id = hubIdOf(resolvablePretrained(launch?.pretrained));
    if (!launch || !id) continue;
    const diagnostic = findingToDiagnostic(f, doc);
    const revision = asString(launch.args.get('revision')?.value)?.trim();
    const args: FetchModelConfigArgs = revision ? { id, revision } : { id };
    actions.push({
      title: `Fetch config.json for ${id} from the Hugging Face Hub`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      command: { title: `Fetch config.json for ${id}`, command: FETCH_MODEL_CONFIG_COMMAND, arguments: [args] },
    });
    if (opts.allowNetworkCommand)
      actions.push({
        title: 'Always fetch unknown models’ config.json from the Hugging Face Hub in this workspace',
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Allow network', command: ALLOW_NETWORK_COMMAND },
      });
  }
  return actions;
}

/** The arguments of a fetch command as a client sends them back; anything else is refused. */
export function fetchArgsFrom(raw: unknown): FetchModelConfigArgs | undefined {
  const a = Array.isArray(raw) ? raw[0] : undefined;
  if (!a || typeof a !== 'object') return undefined;
  const { id, revision } = a as Record<string, unknown>;
  if (typeof id !== 'string' || !HUB_ID.test(id)) return undefined;
  if (revision !== undefined && (typeof revision !== 'string' || !/^[\w.-]{1,64}$/.test(revision))) return undefined;
  return revision ? { id, revision } : { id };
}
