// The unknown-key check, one routine for every place keys are written (task, group, group member,
// metric entry, filter step, few-shot config, aggregate metric): what differs between them is a
// parameter, not a copy.
import { nearest } from '../../knowledge/nearest';
import type { DiagnosticCode } from '../../shared/codes';
import type { OffsetRange, Severity } from '../../shared/findings';
import { type FindingSink, replaceFix } from '../findingsUtil';
import type { YMap } from '../yamlTree';

export interface KeyScope {
  /** The keys lm-eval accepts here; suggestions are taken from these. */
  known: { has(key: string): boolean; keys(): Iterable<string> };
  /** Also accepted, never suggested (metric kwargs, a filter step's `function`). */
  alsoAccepted?: readonly string[];
  /** Other keys are passed on as keyword arguments, so only a near miss of a known key is a mistake. */
  onlyNearMisses?: boolean;
  severity: Severity;
  message(key: string, suggestion: string | undefined): string;
}

export interface WrittenKey {
  key: string;
  keyRange: OffsetRange;
  /** The file the key is written in. */
  file: string;
}

export function keysOf(map: YMap): WrittenKey[] {
  return map.entries.map((e) => ({ key: e.key, keyRange: e.keyRange, file: e.value.file }));
}

export function reportUnknownKeys(
  code: DiagnosticCode,
  keys: Iterable<WrittenKey>,
  scope: KeyScope,
  sink: FindingSink,
): void {
  for (const e of keys) {
    if (scope.known.has(e.key) || scope.alsoAccepted?.includes(e.key)) continue;
    const s = nearest(e.key, scope.known.keys());
    if (!s && scope.onlyNearMisses) continue;
    sink.at(
      e.file,
      e.keyRange,
      code,
      scope.severity,
      scope.message(e.key, s),
      s ? { fixes: [replaceFix(`Rename to \`${s}\``, e.keyRange, s)] } : undefined,
    );
  }
}
