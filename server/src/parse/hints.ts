// Extra facts the parsers attach to contract objects for style-preserving edits. They ride along
// as optional properties (structural typing), so consumers of parse/types.ts never see them.
import type { OffsetRange } from '../shared/findings';
import type { HostQuoting } from './mappedText';
import type { ModelArg, ModelArgsBlock } from './types';

export interface ArgEditHints {
  /** What to delete to remove this pair together with one separator (`a=1,` or `, "a": 1` or a YAML line). */
  removeRange?: OffsetRange;
}

export interface BlockEditHints {
  /** Host quoting around the args, outermost first (`json`, `shell-double`): inserted text is escaped through each. */
  hostLayers?: HostQuoting[];
  /** A `dict(key=value)` call: pairs are written `key=value`. */
  kwargsCall?: boolean;
}

export function setRemoveRange(arg: ModelArg, range: OffsetRange): void {
  (arg as ModelArg & ArgEditHints).removeRange = range;
}

export function removeRangeOf(arg: ModelArg): OffsetRange | undefined {
  return (arg as ModelArg & ArgEditHints).removeRange;
}

export function blockHints(block: ModelArgsBlock): BlockEditHints {
  return block as ModelArgsBlock & BlockEditHints;
}

/**
 * Removal ranges for pairs written one after another with separators between: a pair takes the
 * separator after it, the last pair the separator before it. `spans` are document ranges in order.
 */
export function attachSequentialRemoveRanges(args: ModelArg[], spans: OffsetRange[]): void {
  for (let k = 0; k < args.length && k < spans.length; k++) {
    const next = spans[k + 1];
    const prev = spans[k - 1];
    const cur = spans[k];
    if (next && next.start >= cur.end) setRemoveRange(args[k], { start: cur.start, end: next.start });
    else if (prev && prev.end <= cur.start) setRemoveRange(args[k], { start: prev.end, end: cur.end });
    else setRemoveRange(args[k], cur);
  }
}
