// The analyses of open documents, one per document version, shared by every request that needs it
// (diagnostics, hover, code actions, ...). Each runs in slices that give the event loop back, so
// that requests on other files and `$/cancelRequest` are served while a 4 MB script is analysed;
// launches of large documents are parsed in a worker. An analysis nobody waits for any more is
// stopped, one for an edited document is dropped, and one past the time limit reports what it skipped.
import { findInvocations } from '../parse/invocations';
import type { LmEvalInvocation } from '../parse/types';
import type { Finding } from '../shared/findings';
import { analysisSteps, type AnalyzedDocument, type LensDocument, type ServiceContext } from './analyze';
import { type LaunchParsing, ParseStopped } from './launchParsing';

/** The request waiting for the analysis was cancelled. */
export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}
/** The document changed (or the settings did) before the analysis finished: its result is stale. */
export class AnalysisSuperseded extends Error {
  constructor() {
    super('document changed');
  }
}

/** The part of an LSP CancellationToken the scheduler needs. */
export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export interface DocumentAnalysesOptions {
  /** The context one document is analysed with (settings, providers, task names). */
  contextFor(doc: LensDocument): ServiceContext;
  /** Parses launches of documents of at least `workerMinChars` off the main thread; absent: inline. */
  parser?: LaunchParsing;
  workerMinChars?: number;
  /** Milliseconds of work between two returns to the event loop. */
  sliceMs?: number;
  /** Per-document limit, in milliseconds of analysis, after which the rest is skipped with a finding. */
  timeLimitMs?: number;
  /** Task configs over this many characters get a note instead of a check (they parse in one piece). */
  maxTaskConfigChars?: number;
  now?: () => number;
  /** An analysis stopped before its end (for the server's log). */
  onStopped?(uri: string, version: number, why: string): void;
  /** Analyses started (true) or all ended (false): background work elsewhere can pause meanwhile. */
  onBusy?(busy: boolean): void;
}

interface Job {
  uri: string;
  version: number;
  waiters: number;
  done: boolean;
  /** Results computed under settings that changed since are not reused. */
  outdated: boolean;
  stopReason?: Error;
  /** Stops work in flight outside the slices (a parse in the worker). */
  onStop?: () => void;
  result?: AnalyzedDocument;
  promise: Promise<AnalyzedDocument>;
  /** A background job waiting for its turn: starts it now (a request needs it, or it was stopped). */
  startNow?: () => void;
  /** Holds one of the background slots while it runs. */
  inSlot?: boolean;
  /** A queued background job gets the slot that just freed. */
  takeSlot?: () => void;
}

/**
 * Re-checks that nobody is looking at right now (all open documents after the task index or the
 * settings changed) run one at a time: 200 open configs re-analysed at once would hold 200 partial
 * analyses in memory together.
 */
const BACKGROUND_SLOTS = 1;

export const DEFAULT_SLICE_MS = 10;
export const DEFAULT_TIME_LIMIT_MS = 10_000;
/** Twice the largest task config of lm-eval's 14,000 (61 KiB): about 50 ms of checking. */
export const DEFAULT_MAX_TASK_CONFIG_CHARS = 128 * 1024;
/** Smaller documents are parsed in place: a worker round trip costs more than their parse. */
export const DEFAULT_WORKER_MIN_CHARS = 32 * 1024;

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

export class DocumentAnalyses {
  private readonly jobs = new Map<string, Job>();
  private running = 0;
  private backgroundRunning = 0;
  private readonly backgroundQueue: Job[] = [];
  private lastEndedAt = Number.NEGATIVE_INFINITY;
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => number;

  constructor(private readonly opts: DocumentAnalysesOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** A finished analysis of exactly this version, if there is one. */
  peek(uri: string, version: number): AnalyzedDocument | undefined {
    const job = this.jobs.get(uri);
    return job && job.version === version && !job.outdated ? job.result : undefined;
  }

  /**
   * The analysis of `version` of the document, started if needed. Rejects with AnalysisCancelled
   * when `token` fires (and stops the work if nobody else waits for it), with AnalysisSuperseded
   * when a newer version arrives first.
   */
  analysis(
    uri: string,
    version: number,
    document: () => LensDocument,
    token?: CancellationSignal,
    /** A re-check nobody waits for (queued behind other background work; a request moves it ahead). */
    background = false,
  ): Promise<AnalyzedDocument> {
    if (token?.isCancellationRequested) return Promise.reject(new AnalysisCancelled());
    let job = this.jobs.get(uri);
    if (job && job.version > version && !job.outdated) return Promise.reject(new AnalysisSuperseded());
    if (!job || job.version !== version || job.outdated) {
      if (job && !job.done) this.stop(job, new AnalysisSuperseded());
      job = this.start(uri, version, document(), background);
      this.jobs.set(uri, job);
    } else if (!background) job.startNow?.();
    if (job.result) return Promise.resolve(job.result);
    const j = job;
    return new Promise<AnalyzedDocument>((resolve, reject) => {
      let settled = false;
      j.waiters++;
      const leave = () => {
        if (settled) return false;
        settled = true;
        sub?.dispose();
        j.waiters--;
        return true;
      };
      const sub = token?.onCancellationRequested(() => {
        if (!leave()) return;
        reject(new AnalysisCancelled());
        if (j.waiters === 0 && !j.done) this.stop(j, new AnalysisCancelled());
      });
      j.promise.then(
        (r) => leave() && resolve(r),
        (e) => leave() && reject(e),
      );
    });
  }

  /** A newer version of the document exists: analyses of older ones are stopped and dropped. */
  supersede(uri: string, version: number): void {
    const job = this.jobs.get(uri);
    if (!job || job.version >= version) return;
    if (!job.done) this.stop(job, new AnalysisSuperseded());
    this.jobs.delete(uri);
  }

  /** The document was closed. */
  forget(uri: string): void {
    const job = this.jobs.get(uri);
    if (job && !job.done) this.stop(job, new AnalysisSuperseded());
    this.jobs.delete(uri);
  }

  /** Settings, trust or task indexes changed: every result is recomputed on next use. */
  invalidate(): void {
    for (const job of this.jobs.values()) {
      job.outdated = true;
      if (!job.done) this.stop(job, new AnalysisSuperseded());
    }
    this.jobs.clear();
  }

  /** True while an analysis is running (background work waits for it). */
  get busy(): boolean {
    return this.running > 0;
  }

  /**
   * Resolves when no analysis is running and, with `quietMs`, none has ended for that long (a burst
   * of opened files is served before background work resumes).
   */
  async whenIdle(quietMs = 0): Promise<void> {
    for (;;) {
      if (this.running) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      const wait = this.lastEndedAt + quietMs - this.now();
      if (wait <= 0 && !this.running) return;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private stop(job: Job, reason: Error): void {
    if (job.done || job.stopReason) return;
    job.stopReason = reason;
    job.onStop?.();
    job.startNow?.();
    if (this.jobs.get(job.uri) === job) this.jobs.delete(job.uri);
  }

  private start(uri: string, version: number, doc: LensDocument, background: boolean): Job {
    const job = { uri, version, waiters: 0, done: false, outdated: false } as Job;
    if (this.running++ === 0) this.opts.onBusy?.(true);
    let begin!: () => void;
    const turn = new Promise<void>((resolve) => {
      begin = resolve;
    });
    if (background && this.backgroundRunning >= BACKGROUND_SLOTS) {
      // Waits for a slot; a request for it (or its end) starts it at once, outside the slots.
      job.startNow = () => {
        job.startNow = undefined;
        const at = this.backgroundQueue.indexOf(job);
        if (at >= 0) this.backgroundQueue.splice(at, 1);
        begin();
      };
      job.takeSlot = () => {
        job.startNow = undefined;
        job.inSlot = true;
        this.backgroundRunning++;
        begin();
      };
      this.backgroundQueue.push(job);
    } else {
      if (background) {
        job.inSlot = true;
        this.backgroundRunning++;
      }
      begin();
    }
    job.promise = turn
      .then(() => this.run(job, doc))
      .then(
        (r) => {
          if (!job.outdated) job.result = r;
          return r;
        },
        (e: Error) => {
          this.opts.onStopped?.(uri, version, e.message);
          throw e;
        },
      )
      .finally(() => {
        job.done = true;
        if (job.inSlot) {
          job.inSlot = false;
          this.backgroundRunning--;
          this.backgroundQueue.shift()?.takeSlot?.();
        }
        this.lastEndedAt = this.now();
        if (--this.running === 0) {
          this.opts.onBusy?.(false);
          for (const w of this.idleWaiters.splice(0)) w();
        }
      });
    job.promise.catch(() => undefined);
    return job;
  }

  private async run(job: Job, doc: LensDocument): Promise<AnalyzedDocument> {
    const sliceMs = this.opts.sliceMs ?? DEFAULT_SLICE_MS;
    const limitMs = this.opts.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    const workerMin = this.opts.workerMinChars ?? DEFAULT_WORKER_MIN_CHARS;
    // Opened and edited files go first: the analysis starts at once and yields only between slices.
    const ctx = this.opts.contextFor(doc);
    // The limit counts this analysis's own time (its slices and its parse), not time spent serving others.
    let spent = 0;
    let sliceStart = this.now();
    const elapsed = () => spent + (this.now() - sliceStart);
    const steps = analysisSteps(doc, ctx, {
      outOfTime: () => elapsed() > limitMs,
      timeLimitMs: limitMs,
      maxTaskConfigChars: this.opts.maxTaskConfigChars ?? DEFAULT_MAX_TASK_CONFIG_CHARS,
    });
    let input: LmEvalInvocation[] | undefined;
    let parseFinding: Finding | undefined;
    for (;;) {
      if (job.stopReason) throw job.stopReason;
      const step = steps.next(input);
      input = undefined;
      if (step.done) {
        if (parseFinding) step.value.findings.unshift(parseFinding);
        return step.value;
      }
      const pause = step.value;
      if (pause.kind === 'parse') {
        if (this.opts.parser && pause.text.length >= workerMin) {
          const handle = this.opts.parser.parse(
            pause.text,
            pause.hints,
            pause.options,
            Math.max(1, limitMs - elapsed()),
          );
          job.onStop = handle.cancel;
          try {
            input = await handle.promise;
          } catch (err) {
            if (job.stopReason) throw job.stopReason;
            input = [];
            parseFinding = parseStoppedFinding(err, limitMs);
          } finally {
            job.onStop = undefined;
          }
          // The worker's time counts (it is this file's parse), the wait for it did not block anyone.
          spent = elapsed();
          sliceStart = this.now();
          continue;
        }
        input = findInvocations(pause.text, pause.hints, pause.options);
      }
      if (this.now() - sliceStart >= sliceMs) {
        spent = elapsed();
        await immediate();
        sliceStart = this.now();
      }
    }
  }
}

function parseStoppedFinding(err: unknown, limitMs: number): Finding {
  const reason = err instanceof ParseStopped ? err.reason : 'failed';
  return {
    code: 'input-limit',
    severity: 'info',
    message:
      reason === 'time-limit'
        ? `lm-eval-lens skipped this file: finding its launches took longer than ${(limitMs / 1000).toFixed(1)} s. Split the file to have it checked.`
        : 'lm-eval-lens skipped this file: reading its launches failed (the file may be too large or too deeply nested).',
    range: { start: 0, end: 0 },
  };
}
