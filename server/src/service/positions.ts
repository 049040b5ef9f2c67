// Offsets ↔ lines without building a TextDocument (the CLI and suppression need only lines).

/** 0-based line of a UTF-16 offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** 0-based line and UTF-16 character of an offset. */
export function positionOfOffset(text: string, offset: number): { line: number; character: number } {
  const clamped = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', clamped - 1) + 1;
  return { line: lineOfOffset(text, clamped), character: clamped - lineStart };
}

export { LineIndex } from '../parse/lineIndex';
