// A fix as the settings it changes, and those changes written back into what the user launched:
// lm-eval's --model_args string (their own keys and order kept) or `vllm serve` flags.
import { findInvocations } from '../parse/invocations';
import type { Fix } from '../shared/findings';

export type FixValue = string | number | boolean;

export interface SettingChange {
  /** vLLM's name (lm-eval model_args pass it through to vllm.LLM). */
  key: string;
  value: FixValue;
}

/** A fix for a logged failure, as the settings it changes. */
export interface LogFix {
  title: string;
  changes: SettingChange[];
  preferred: boolean;
  /** `memory-model`: found by the launch rules' search on the logged settings; `log`: read off the log
   * alone; `advice`: an action no setting expresses (free the GPU), with no changes. */
  foundBy: 'memory-model' | 'log' | 'advice';
}

function argsOf(text: string): Map<string, string> {
  const inv = findInvocations(text, { path: 'launch.sh' })[0];
  const out = new Map<string, string>();
  for (const a of inv?.modelArgs?.args ?? []) out.set(a.key.trim(), a.rawValue);
  return out;
}

function typed(raw: string): FixValue {
  if (/^(true|false)$/i.test(raw)) return /^true$/i.test(raw);
  if (raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return raw;
}

/** The settings a launch rule's fix changes, read by applying its edits to the command it was given. */
export function changesOfFix(commandText: string, fix: Fix): SettingChange[] {
  let text = commandText;
  const edits = [...fix.edits].filter((e) => e.file === undefined).sort((a, b) => b.range.start - a.range.start);
  for (const e of edits) text = text.slice(0, e.range.start) + e.newText + text.slice(e.range.end);
  const before = argsOf(commandText);
  const after = argsOf(text);
  const changes: SettingChange[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) changes.push({ key: k, value: typed(v) });
  return changes;
}

/** lm-eval's names for settings it renames before vLLM sees them (vllm_causallms.py). */
const LM_EVAL_NAMES: Record<string, string[]> = { max_model_len: ['max_length'], max_num_seqs: ['max_batch_size'] };

function valueText(v: FixValue | null): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  return String(v);
}

/**
 * The user's --model_args with the changes applied: their pairs in their order (a key they wrote
 * under lm-eval's own name, max_length, is changed there), new keys appended.
 */
export function applyToModelArgs(pairs: [string, FixValue | null][], changes: readonly SettingChange[]): string {
  const out = pairs.map(([k, v]) => [k, v] as [string, FixValue | null]);
  for (const c of changes) {
    const names = [c.key, ...(LM_EVAL_NAMES[c.key] ?? [])];
    const at = out.findIndex(([k]) => names.includes(k));
    if (at >= 0) out[at] = [out[at][0], c.value];
    else out.push([c.key, c.value]);
  }
  return out.map(([k, v]) => `${k}=${valueText(v)}`).join(',');
}

/** `vllm serve` flags for the changes: `--max-model-len 8192 --enforce-eager`. */
export function changesAsFlags(changes: readonly SettingChange[]): string {
  return changes
    .map((c) => {
      const flag = `--${c.key.replace(/_/g, '-')}`;
      if (c.value === true) return flag;
      if (c.value === false) return `--no-${c.key.replace(/_/g, '-')}`;
      return `${flag} ${c.value}`;
    })
    .join(' ');
}
