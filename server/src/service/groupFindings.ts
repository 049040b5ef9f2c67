// Noise control (issue #14): a script with 51 launches of the same deliberate choice must not give
// 99 findings. Findings with the same code, severity and message in one file have one cause; they
// are reported once, with a count, and every other place as related information (LSP
// relatedInformation, SARIF relatedLocations).
import type { Finding, Fix, OffsetEdit } from '../shared/findings';

/** At most this many other places are listed; the count in the message stays exact. */
const MAX_RELATED = 200;

/**
 * Merge repeated identical findings of one document. `path` is the document's own path (the
 * related locations of a same-file group point at it). Order: each group sits where its first
 * member was.
 */
export function groupRepeatedFindings(findings: readonly Finding[], path: string): Finding[] {
  if (findings.length < 2) return [...findings];
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.file ?? ''}\0${f.code}\0${f.severity}\0${f.message}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  if (groups.size === findings.length) return [...findings];
  const out: Finding[] = [];
  for (const members of groups.values()) out.push(members.length === 1 ? members[0] : merge(members, path));
  return out;
}

function merge(members: Finding[], path: string): Finding {
  // The same range twice (one launch analysed through two readers) is one place, not two.
  const places: Finding[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    const k = `${m.range.start}:${m.range.end}`;
    if (!seen.has(k)) {
      seen.add(k);
      places.push(m);
    }
  }
  const first = places[0];
  if (places.length === 1) return first;
  const others = places.slice(1);
  const file = first.file ?? path;
  const n = places.length;
  const merged: Finding = {
    ...first,
    message: `${first.message} (${n} identical findings in this file: the other ${n - 1} place${n - 1 === 1 ? ' is' : 's are'} listed as related information)`,
    related: [
      ...(first.related ?? []),
      ...others.slice(0, MAX_RELATED).map((o) => ({ file, range: o.range, message: 'same finding here' })),
    ],
  };
  const all = fixAll(places);
  if (all) merged.fixes = [...(first.fixes ?? []), all];
  return merged;
}

/** One fix for every place, when each has a preferred fix of the same title and their edits do not overlap. */
function fixAll(places: Finding[]): Fix | undefined {
  const preferred = places.map((p) => p.fixes?.find((f) => f.isPreferred));
  const title = preferred[0]?.title;
  if (!title || preferred.some((f) => !f || f.title !== title)) return undefined;
  const edits: OffsetEdit[] = preferred.flatMap((f) => f!.edits);
  const sorted = [...edits]
    .filter((e) => e.file === undefined)
    .sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  if (sorted.length !== edits.length) return undefined;
  for (let k = 1; k < sorted.length; k++) if (sorted[k].range.start < sorted[k - 1].range.end) return undefined;
  return {
    title: `${title} (all ${places.length} places in this file)`,
    edits,
    kind: preferred[0]!.kind ?? 'quickfix',
  };
}
