// One yaml-syntax finding per cause: the `yaml` parser often describes one mistake several ways at the
// same place (an over-indented key: "Nested mappings…", "Implicit keys…", "The : indicator…"); the
// first says it best, the others repeat it.
import type { Finding } from '../shared/findings';

/** The lines (by their start offset) that already carry a yaml-syntax finding. */
export function syntaxErrorLines(findings: readonly Finding[], text: string): Set<number> {
  return new Set(findings.filter((f) => f.code === 'yaml-syntax').map((f) => lineStart(text, f.range.start)));
}

/** True when the line of `offset` already has a syntax finding; else records it and returns false. */
export function repeatsLine(lines: Set<number>, text: string, offset: number): boolean {
  const line = lineStart(text, Math.max(0, Math.min(offset, text.length)));
  if (lines.has(line)) return true;
  lines.add(line);
  return false;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
