// The streaming log reader: feed it chunks of any size, in order, and it keeps only the facts —
// never the log — so a 100 MB slurm-*.out is read in bounded memory (npm run bench:logs).
import { parseDirectives } from '../parse/directives';
import { cleanLine } from './cleanLine';
import { type LineContext, scanFailureLine } from './failureLines';
import { LineSplitter } from './lineSplitter';
import { scanMemoryLine } from './memoryLines';
import { newState, type ReaderState } from './readerState';
import { scanSettingsLine } from './settingsLines';
import type { LogFacts } from './types';
import { isRemainder, joinRemainder } from './wrappedLines';

/** vLLM's "# GPU blocks: N, # CPU blocks: M" pasted without its logger prefix: a figure, not a comment. */
const KV_BLOCKS_LINE = /^\s*# (?:GPU|cuda) blocks: \d/i;

export class LogReader {
  private readonly state: ReaderState = newState();
  private readonly splitter: LineSplitter;
  private longLines = 0;
  private readonly context: LineContext = {
    source: '',
    level: undefined,
    prefixed: false,
    endsWithSpace: false,
  };

  constructor(maxLineChars = 16_384) {
    this.splitter = new LineSplitter((raw, line, truncated) => this.onLine(raw, line, truncated), maxLineChars);
  }

  push(chunk: string): void {
    this.splitter.push(chunk);
  }

  /** Flush the last line and return the facts. */
  end(): LogFacts {
    this.splitter.end();
    const facts = this.state.facts;
    facts.lineCount = this.splitter.lines;
    facts.chars = this.splitter.chars;
    facts.longLines = this.longLines;
    return facts;
  }

  private readDirective(raw: string, line: number): void {
    const d = parseDirectives(raw);
    const target = this.state.facts.directives;
    if (d.gpu) target.gpu ??= { value: d.gpu.value, line };
    if (d.gpuCount) target.gpuCount ??= d.gpuCount;
    if (d.vllm) target.vllm ??= { value: d.vllm.value, line };
  }

  private onLine(raw: string, line: number, truncated: boolean): void {
    if (truncated) this.longLines++;
    // The frame or failure the last line was, which this line may be the wrapped remainder of.
    const wrap = this.state.wrap;
    this.state.wrap = undefined;
    if (raw.length === 0) return;
    // A comment line (a shell prompt's note, a fixture's header) is never vLLM output; it may hold a
    // `# lm-eval-lens: gpu=... vllm=...` directive, as scripts do.
    if (/^\s*#/.test(raw) && !KV_BLOCKS_LINE.test(raw)) {
      if (raw.includes('lm-eval-lens:')) this.readDirective(raw, line);
      return;
    }
    const clean = cleanLine(raw);
    if (wrap && isRemainder(wrap, raw, clean) && joinRemainder(this.state, wrap, raw, clean, line)) {
      this.state.wrap = wrap;
      return;
    }
    if (clean.date && !this.state.facts.date) this.state.facts.date = { value: clean.date, line };
    const text = clean.text;
    if (!text) return;
    const source = clean.source ?? '';
    // V1's process labels (EngineCore, Worker_TP, VllmWorker rank=) and V0's (VllmWorkerProcess).
    if (clean.source && /^(EngineCore|Worker_TP|VllmWorker|RayWorkerWrapper|APIServer)/.test(clean.source))
      this.state.facts.vllmSeen = true;
    if (clean.source && !this.state.facts.engineHint) {
      if (/^(EngineCore|Worker_TP|VllmWorker rank=|Worker pid)/.test(clean.source))
        this.state.facts.engineHint = { value: 'V1', line };
      else if (clean.source.startsWith('VllmWorkerProcess')) this.state.facts.engineHint = { value: 'V0', line };
    }
    // Each line is one kind of fact; the first reader that recognises it ends the search.
    // One context object for every line: a long log has millions of them.
    const context = this.context;
    context.source = source;
    context.prefixed = clean.prefixed === true;
    context.endsWithSpace = /[ \t]$/.test(raw);
    context.level = clean.level;
    if (scanFailureLine(this.state, text, line, context)) return;
    if (scanMemoryLine(this.state, text, line, source)) return;
    scanSettingsLine(this.state, text, line);
  }
}

export function readLogText(text: string): LogFacts {
  const r = new LogReader();
  r.push(text);
  return r.end();
}

/** Read a stream of text chunks (a file or stdin decoded as UTF-8). */
export async function readLogStream(chunks: AsyncIterable<string | Uint8Array>): Promise<LogFacts> {
  const r = new LogReader();
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) r.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  r.push(decoder.decode());
  return r.end();
}
