// Splits a stream of text chunks into lines, numbered as LSP numbers them (\n, \r\n and a lone \r
// each end a line: a tqdm bar's \r-separated updates are lines of their own, as in the editor).
// Memory stays bounded: a line longer than `maxLineChars` keeps only its beginning.

export type LineHandler = (text: string, line: number, truncated: boolean) => void;

export class LineSplitter {
  private partial = '';
  private partialTruncated = false;
  private pendingCarriageReturn = false;
  private lineNumber = 0;
  private charCount = 0;

  constructor(
    private readonly onLine: LineHandler,
    private readonly maxLineChars = 16_384,
  ) {}

  push(chunk: string): void {
    this.charCount += chunk.length;
    let start = 0;
    if (this.pendingCarriageReturn) {
      this.pendingCarriageReturn = false;
      // "\r" ended the previous chunk: a "\n" starting this one belongs to the same line break.
      if (chunk.charCodeAt(0) === 10) start = 1;
    }
    for (let i = start; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.emit(chunk, start, i);
      if (c === 13) {
        if (i + 1 < chunk.length) {
          if (chunk.charCodeAt(i + 1) === 10) i++;
        } else this.pendingCarriageReturn = true;
      }
      start = i + 1;
    }
    this.append(chunk, start, chunk.length);
  }

  /** Flush the last line (a log that does not end with a newline still has it). */
  end(): void {
    if (this.partial.length || this.partialTruncated) this.emit('', 0, 0);
  }

  /** Lines emitted so far. */
  get lines(): number {
    return this.lineNumber;
  }

  get chars(): number {
    return this.charCount;
  }

  private append(chunk: string, from: number, to: number): void {
    if (from >= to) return;
    const room = this.maxLineChars - this.partial.length;
    if (room <= 0) {
      this.partialTruncated = true;
      return;
    }
    if (to - from > room) {
      this.partial += chunk.slice(from, from + room);
      this.partialTruncated = true;
    } else this.partial += chunk.slice(from, to);
  }

  private emit(chunk: string, from: number, to: number): void {
    this.append(chunk, from, to);
    const text = this.partial;
    const truncated = this.partialTruncated;
    this.partial = '';
    this.partialTruncated = false;
    this.onLine(text, this.lineNumber++, truncated);
  }
}
