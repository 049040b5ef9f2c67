// Findings about a `vllm serve` command speak its language: the rules write engine settings as
// model_args (`max_model_len=26880`, "lower gpu_memory_utilization"), the user wrote flags
// (`--max-model-len 26880`). Messages and fix titles of server launches are rewritten accordingly.
import type { LaunchFacts } from '../facts/launch';
import { SERVE_FLAG_KEYS, serveFlag } from '../knowledge/vllmServeFlags';
import type { Finding } from '../shared/findings';

const KEYS = [...SERVE_FLAG_KEYS].sort((a, b) => b.length - a.length);
/** `key=value` for any flag; a bare mention only for multi-word keys (`dtype` alone is plain English). */
const ASSIGNMENT = new RegExp(`\\b(${KEYS.join('|')})=([^\\s,;)]+)`, 'g');
const MENTION = new RegExp(`\\b(${KEYS.filter((k) => k.includes('_')).join('|')})\\b`, 'g');

export function asServeFlags(text: string): string {
  return text
    .replace(ASSIGNMENT, (_m, key: string, value: string) =>
      value === 'True' || value === 'true' ? serveFlag(key) : `${serveFlag(key)} ${value}`,
    )
    .replace(MENTION, (m: string, key: string, at: number, all: string) =>
      all[at - 1] === '-' || all[at - 1] === '`' ? m : serveFlag(key),
    );
}

export function serveWording(f: LaunchFacts, findings: Finding[]): Finding[] {
  if (!f.isServe) return findings;
  return findings.map((x) => ({
    ...x,
    message: asServeFlags(x.message),
    ...(x.details ? { details: x.details.map(asServeFlags) } : {}),
    ...(x.fixes ? { fixes: x.fixes.map((fix) => ({ ...fix, title: asServeFlags(fix.title) })) } : {}),
  }));
}
