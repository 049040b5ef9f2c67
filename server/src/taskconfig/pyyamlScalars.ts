// How PyYAML (lm-eval's loader: CSafeLoader or FullLoader, both with PyYAML's Resolver) reads a plain
// scalar. The `yaml` package's YAML 1.1 schema differs: it takes `y`/`n` for booleans, `1e3` for a
// float, `09` for an int and `0:30` for 30; PyYAML keeps all four as strings. Regexes from
// lib/yaml/resolver.py (yaml/pyyaml), values as construct_yaml_int/float compute them.

export type PyScalar =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  /** A date or datetime (kept as the text as written). */
  | { kind: 'timestamp' }
  /** `=`: PyYAML resolves it to tag:yaml.org,2002:value, which no safe constructor handles. */
  | { kind: 'value-tag' }
  | { kind: 'str' };

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

// PyYAML picks resolvers by the first character; the order within one character is registration
// order (bool, float, int, merge, null, timestamp, value). A regex that cannot match a first
// character is never tried for it, so testing them in that order gives the same answer.

/** The type and value PyYAML gives a plain (unquoted, untagged) scalar, from its text. */
export function resolvePlainScalar(text: string): PyScalar {
  if (BOOL.test(text)) return { kind: 'bool', value: TRUE.test(text) };
  if (FLOAT.test(text)) return { kind: 'float', value: floatValue(text) };
  if (INT.test(text)) return { kind: 'int', value: intValue(text) };
  if (NULL.test(text)) return { kind: 'null' };
  if (TIMESTAMP.test(text)) return { kind: 'timestamp' };
  if (text === '=') return { kind: 'value-tag' };
  return { kind: 'str' };
}

function sexagesimal(parts: number[]): number {
  let value = 0;
  for (const p of parts) value = value * 60 + p;
  return value;
}

function intValue(text: string): number {
  let v = text.replace(/_/g, '');
  const sign = v[0] === '-' ? -1 : 1;
  if (v[0] === '+' || v[0] === '-') v = v.slice(1);
  if (v === '0') return 0;
  if (v.startsWith('0b')) return sign * Number.parseInt(v.slice(2), 2);
  if (v.startsWith('0x')) return sign * Number.parseInt(v.slice(2), 16);
  if (v[0] === '0') return sign * Number.parseInt(v, 8);
  if (v.includes(':')) return sign * sexagesimal(v.split(':').map(Number));
  return sign * Number(v);
}

function floatValue(text: string): number {
  let v = text.replace(/_/g, '').toLowerCase();
  const sign = v[0] === '-' ? -1 : 1;
  if (v[0] === '+' || v[0] === '-') v = v.slice(1);
  if (v === '.inf') return sign * Number.POSITIVE_INFINITY;
  if (v === '.nan') return Number.NaN;
  if (v.includes(':')) return sign * sexagesimal(v.split(':').map(Number));
  return sign * Number(v);
}

/** How Python's str() writes a key PyYAML resolved (`yes:` is the key `True`, `1.0:` is `1.0`). */
export function pythonKeyString(s: PyScalar, text: string): string {
  switch (s.kind) {
    case 'null':
      return 'None';
    case 'bool':
      return s.value ? 'True' : 'False';
    case 'int':
      return String(s.value);
    case 'float':
      if (Number.isNaN(s.value)) return 'nan';
      if (!Number.isFinite(s.value)) return s.value > 0 ? 'inf' : '-inf';
      return Number.isInteger(s.value) ? `${s.value}.0` : String(s.value);
    default:
      return text;
  }
}
