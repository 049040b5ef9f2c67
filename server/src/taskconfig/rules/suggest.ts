// The "not a registered name → did you mean" pattern shared by the output_type, metric, aggregation,
// filter and sampler checks: the nearest known name, the sentence that offers it, and the quick fix.
import { nearest } from '../../knowledge/nearest';
import type { Fix, OffsetRange } from '../../shared/findings';
import { replaceFix } from '../findingsUtil';

export interface NameSuggestion {
  /** The nearest known name, if one is close enough. */
  name?: string;
  /** ` Did you mean \`x\`?`, or empty. */
  didYouMean: string;
  /** A preferred fix replacing `range` with the suggestion (the `extra` argument of FindingSink). */
  extra?: { fixes: Fix[] };
}

export function didYouMean(name: string | undefined): string {
  return name ? ` Did you mean \`${name}\`?` : '';
}

/** Suggest the nearest of `known` for a misspelt `value`; the fix replaces `range` and says `verb`. */
export function suggestName(
  value: string | undefined,
  known: Iterable<string>,
  range: OffsetRange,
  verb: 'Change to' | 'Rename to' = 'Change to',
): NameSuggestion {
  const name = value ? nearest(value, known) : undefined;
  if (!name) return { didYouMean: '' };
  return { name, didYouMean: didYouMean(name), extra: { fixes: [replaceFix(`${verb} \`${name}\``, range, name)] } };
}
