// Launch parsing off the main thread, as the document analyses see it: a parse that can be
// cancelled and that fails with a reason. The Node implementation (a worker thread) is
// node/launchParser.ts, injected by the server; without one the analyses parse in slices.
import type { LaunchScanOptions } from '../parse/launchScanOptions';
import type { DocumentKind, LmEvalInvocation } from '../parse/types';

/** Why a parse gave no launches. */
export class ParseStopped extends Error {
  constructor(readonly reason: 'cancelled' | 'time-limit' | 'failed') {
    super(`launch parse ${reason}`);
  }
}

export interface ParseHandle {
  promise: Promise<LmEvalInvocation[]>;
  /** Nobody needs the result: drop it (stopping the worker if it is on it). */
  cancel(): void;
}

export interface LaunchParsing {
  /** Parse `text`; past `timeLimitMs` of parsing the parse fails with ParseStopped('time-limit'). */
  parse(
    text: string,
    hints: DocumentKind,
    options: Pick<LaunchScanOptions, 'assumed'>,
    timeLimitMs: number,
  ): ParseHandle;
}
