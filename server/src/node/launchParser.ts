// Launch parsing of large documents in a worker thread: a 4 MB script is parsed while the server
// keeps answering hovers on other files, a parse nobody waits for any more is stopped (the worker is
// terminated), and a parse past the time limit gives way to a finding instead of a frozen editor.
// The worker runs this same file (the server bundle, or this module in tests): loaded in a worker
// with the role below, it serves parse requests instead of exporting anything useful.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { findInvocations } from '../parse/invocations';
import type { LaunchScanOptions } from '../parse/launchScanOptions';
import type { DocumentKind, LmEvalInvocation } from '../parse/types';
import { type LaunchParsing, type ParseHandle, ParseStopped } from '../service/launchParsing';

const ROLE = 'lm-eval-lens/launch-parser';

interface ParseRequest {
  id: number;
  text: string;
  hints: DocumentKind;
  options: Pick<LaunchScanOptions, 'assumed'>;
}
/** The main thread is ready for the next part of reply `id`. */
interface MoreRequest {
  id: number;
  more: true;
}
interface ParseReply {
  id: number;
  /** Launches in document order, a few per message; `last` closes the reply. */
  invocations?: LmEvalInvocation[];
  last?: boolean;
  error?: string;
}

/**
 * Launches per message. A port delivers every queued message in one go, so the main thread asks for
 * each part when it has taken the previous one: 2,600 launches arrive in small pieces with requests
 * served in between, never in one 150 ms block.
 */
const INVOCATIONS_PER_MESSAGE = 16;

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE && parentPort) {
  const port = parentPort;
  let reply: { id: number; invocations: LmEvalInvocation[]; next: number } | undefined;
  const sendPart = () => {
    if (!reply) return;
    const { id, invocations, next } = reply;
    const last = next + INVOCATIONS_PER_MESSAGE >= invocations.length;
    port.postMessage({
      id,
      invocations: invocations.slice(next, next + INVOCATIONS_PER_MESSAGE),
      last,
    } satisfies ParseReply);
    reply = last ? undefined : { id, invocations, next: next + INVOCATIONS_PER_MESSAGE };
  };
  port.on('message', (req: ParseRequest | MoreRequest) => {
    if ('more' in req) {
      if (reply?.id === req.id) sendPart();
      return;
    }
    try {
      reply = { id: req.id, invocations: findInvocations(req.text, req.hints, req.options), next: 0 };
    } catch (err) {
      reply = undefined;
      port.postMessage({ id: req.id, error: String((err as Error)?.message ?? err), last: true } satisfies ParseReply);
      return;
    }
    sendPart();
  });
}

interface Pending {
  req: ParseRequest;
  received: LmEvalInvocation[];
  resolve: (inv: LmEvalInvocation[]) => void;
  reject: (err: ParseStopped) => void;
  timeLimitMs: number;
  timer?: NodeJS.Timeout;
}

/** One worker, one parse at a time (the worker is started on first use and after a stop). */
export class LaunchParser implements LaunchParsing {
  private worker?: Worker;
  private running?: Pending;
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(private readonly script: string = __filename) {}

  /** Parse `text` in the worker; past `timeLimitMs` of parsing the worker is stopped and the parse fails. */
  parse(
    text: string,
    hints: DocumentKind,
    options: Pick<LaunchScanOptions, 'assumed'>,
    timeLimitMs: number,
  ): ParseHandle {
    let pending!: Pending;
    const promise = new Promise<LmEvalInvocation[]>((resolve, reject) => {
      pending = { req: { id: this.nextId++, text, hints, options }, received: [], resolve, reject, timeLimitMs };
    });
    this.queue.push(pending);
    this.pump();
    return {
      promise,
      cancel: () => {
        const at = this.queue.indexOf(pending);
        if (at >= 0) {
          this.queue.splice(at, 1);
          pending.reject(new ParseStopped('cancelled'));
        } else if (this.running === pending) this.stop(new ParseStopped('cancelled'));
      },
    };
  }

  dispose(): void {
    for (const p of this.queue.splice(0)) p.reject(new ParseStopped('cancelled'));
    this.stop(new ParseStopped('cancelled'));
  }

  private pump(): void {
    if (this.running || !this.queue.length) return;
    const next = this.queue.shift()!;
    this.running = next;
    next.timer = setTimeout(() => this.stop(new ParseStopped('time-limit')), next.timeLimitMs);
    try {
      this.ensureWorker().postMessage(next.req);
    } catch {
      this.stop(new ParseStopped('failed'));
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script, { workerData: { role: ROLE } });
    w.unref();
    w.on('message', (reply: ParseReply) => {
      const p = this.running;
      if (!p || p.req.id !== reply.id) return;
      if (reply.invocations) for (const inv of reply.invocations) p.received.push(inv);
      if (!reply.last) {
        // Ask for the next part once the event loop has had its turn.
        setImmediate(() => {
          if (this.running === p && this.worker === w)
            w.postMessage({ id: p.req.id, more: true } satisfies MoreRequest);
        });
        return;
      }
      this.settle();
      if (reply.error === undefined) p.resolve(p.received);
      else p.reject(new ParseStopped('failed'));
      this.pump();
    });
    // A crash (say, out of memory on a hostile file) fails the parse at hand, not the server.
    w.on('error', () => {
      if (this.worker === w) this.stop(new ParseStopped('failed'));
    });
    w.on('exit', () => {
      if (this.worker === w) this.stop(new ParseStopped('failed'));
    });
    this.worker = w;
    return w;
  }

  private settle(): void {
    if (this.running?.timer) clearTimeout(this.running.timer);
    this.running = undefined;
  }

  /** Terminate the worker and fail the parse it was on; the queue goes on in a fresh worker. */
  private stop(reason: ParseStopped): void {
    const p = this.running;
    this.settle();
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
    p?.reject(reason);
    this.pump();
  }
}
