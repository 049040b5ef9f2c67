// What `pretrained=` names before anything is resolved: a documentation placeholder is not a
// model (no note, no download advice), and `$HOME/...` is a path we can know.
import type { ModelArg } from '../parse/types';

const PLACEHOLDER = [
  /<[^<>]*>/, // <path>, <your-model>
  /(?<!\$)\{[^{}]*\}/, // {model_name}, {{ model }} (not the shell's ${HOME})
  /\.\.\.|…/, // ..., org/…
  /^\$\{?\w+\}?$/, // $MODEL, ${MODEL} (unresolved anyway)
  /(^|\/)path\/to\//i, // path/to/model
  /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/, // MODEL_NAME, YOUR_MODEL_PATH
  /^(model|model[-_ ]?(name|id|path)|your[-_ ]?model\S*|checkpoint|ckpt)$/i,
  /\byour[-_]?(org|model|username|hf[-_]?user)\b/i,
];

/** `<path>`, `{model_name}`, `$MODEL`, `...`, `path/to/model`, `MODEL_NAME`: text standing for a model. */
export function isPlaceholderModel(value: string): boolean {
  const v = value.trim();
  return v === '' || PLACEHOLDER.some((re) => re.test(v));
}

/** A `pretrained=` value we can resolve: a string, known, or unknown only by `$HOME` (expanded later). */
export function resolvablePretrained(arg: ModelArg | undefined): string | undefined {
  if (!arg || typeof arg.value !== 'string') return undefined;
  const v = arg.value.trim();
  if (!v || isPlaceholderModel(v)) return undefined;
  if (arg.unresolved) {
    const rest = v.replace(/^\$(\{HOME\}|HOME)(?=\/|$)/, '');
    if (rest === v || /\$|`/.test(rest)) return undefined;
  }
  return v;
}
