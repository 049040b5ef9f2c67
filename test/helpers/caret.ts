// The `|` caret convention (yaml-language-server's caretPosition): a fixture string marks a position
// with `|`; this returns the text without it and the offset where it stood.
export function caret(textWithCaret: string, marker = '|'): { text: string; offset: number } {
  const offset = textWithCaret.indexOf(marker);
  if (offset < 0) throw new Error(`no ${marker} caret in fixture`);
  return { text: textWithCaret.slice(0, offset) + textWithCaret.slice(offset + marker.length), offset };
}
