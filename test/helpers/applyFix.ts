// Apply a fix's edits to a text (back to front, so offsets stay valid).
import type { Fix } from '../../server/src/shared/findings';

export function applyFix(text: string, fix: Fix): string {
  const edits = fix.edits.filter((e) => !e.file).sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}
