// User text quoted in a message (a key, a value, a piece of model_args), kept short: a diagnostic
// quotes what it is about, it does not copy it (a 400 KB unterminated quote made a 1.2 MB message).

/** At most `max` characters of `text`, with `…` when cut (never between the halves of a surrogate pair). */
export function clipUserText(text: string, max = 60): string {
  if (text.length <= max) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return `${text.slice(0, cut)}…`;
}
