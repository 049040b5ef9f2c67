// model_args written as a JSON object: lm-eval's CLI reads it with try_parse_json (v0.4.10+);
// simple_parse_args_string (the Python API, --config strings) splits it on commas instead.
import { attachSequentialRemoveRanges } from './hints';
import { parseJsonObject, type JsonMember } from './literals';
import { mappedRange, overlapsHole, type SourceMappedText } from './mappedText';
import { flagDuplicates } from './modelArgsPairs';
import type { ModelArg, ModelArgsProblem, ParsedModelArgs } from './types';

/** The JSON object model_args starts with, or undefined when it is not one (then it is split on commas). */
export function tryJsonObject(m: SourceMappedText, dialect: 'cli' | 'python-string'): ParsedModelArgs | undefined {
  const startsWithBrace = m.text.trimStart().startsWith('{');
  if (!startsWithBrace) return undefined;
  if (overlapsHole(m, 0, m.text.length) && !parseJsonObject(m.text).ok) {
    return { dialect: 'json', args: [], problems: [] }; // `{"a": $X}`: unknown until run time
  }
  const r = parseJsonObject(m.text);
  if (!r.ok) {
    if (dialect === 'python-string') return undefined; // simple_parse_args_string just splits it
    const at = r.errorAt;
    const range = at < m.text.length ? mappedRange(m, at, at + 1) : mappedRange(m, 0, m.text.length);
    return {
      dialect: 'json',
      args: [],
      problems: [
        {
          kind: 'invalid-json',
          severity: 'error',
          message: `model_args starts with '{' but is not valid JSON (${r.message}): lm-eval raises "ValueError: Invalid JSON". JSON needs double-quoted keys and strings, lowercase true/false and null.`,
          range,
        },
      ],
    };
  }
  const args = r.members.map((mem) => jsonMemberArg(m, mem));
  attachSequentialRemoveRanges(
    args,
    r.members.map((mem) => mappedRange(m, mem.keyStart, mem.valueEnd)),
  );
  const problems: ModelArgsProblem[] = [];
  flagDuplicates(args, problems, 'json');
  if (dialect === 'python-string') {
    problems.push({
      kind: 'invalid-json',
      severity: 'warning',
      message:
        'A JSON object in a model_args string is not parsed as JSON by simple_parse_args_string (Python API, --config string values): it is split on commas. Pass a dict / YAML mapping instead.',
      range: mappedRange(m, r.openAt, r.closeAt + 1),
    });
  }
  return { dialect: 'json', args, problems };
}

function jsonMemberArg(m: SourceMappedText, mem: JsonMember): ModelArg {
  const rawText = m.text.slice(mem.valueStart, mem.valueEnd);
  const arg: ModelArg = {
    key: mem.key,
    value: mem.value,
    rawValue: typeof mem.value === 'string' ? mem.value : rawText,
    keyRange: mappedRange(m, mem.keyStart, mem.keyEnd),
    valueRange: mappedRange(m, mem.valueStart, mem.valueEnd),
    range: mappedRange(m, mem.keyStart, mem.valueEnd),
  };
  if (overlapsHole(m, mem.valueStart, mem.valueEnd)) arg.unresolved = true;
  return arg;
}
