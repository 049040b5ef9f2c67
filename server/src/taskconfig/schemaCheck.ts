// Structural checks (value types, list/mapping shapes) from schemas/task-config.schema.json, run with
// ajv on the merged config; each error is reported on the node that was written, in its own file.
// Unknown keys, enums and registries are checked in code, with better messages and suggestions.
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import taskConfigSchema from '../../../schemas/task-config.schema.json';
import type { Finding } from '../shared/findings';
import type { MergedEntry } from './includes';
import { describeNode, toPlain, type YNode } from './yamlTree';

let validators: { task: ValidateFunction; group: ValidateFunction } | undefined;

function compiled(): { task: ValidateFunction; group: ValidateFunction } {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(taskConfigSchema, 'task-config');
    validators = {
      task: ajv.compile({ $ref: 'task-config#/definitions/task' }),
      group: ajv.compile({ $ref: 'task-config#/definitions/group' }),
    };
  }
  return validators;
}

/** Keywords handled by code elsewhere (better messages), or meaningless for a merged config. */
const SKIPPED_KEYWORDS = new Set(['additionalProperties', 'enum', 'required', 'anyOf', 'if']);

function nodeAt(entries: ReadonlyMap<string, MergedEntry>, pointer: string): YNode | undefined {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts.length === 0) return undefined;
  let node: YNode | undefined = entries.get(parts[0])?.value;
  for (const part of parts.slice(1)) {
    if (!node) return undefined;
    if (node.kind === 'seq') node = node.items[Number(part)];
    else if (node.kind === 'map') node = node.entries.find((e) => e.key === part)?.value;
    else return undefined;
  }
  return node;
}

function message(err: ErrorObject, node: YNode): string {
  const where = err.instancePath.split('/').slice(1).join('.');
  const got = describeNode(node);
  switch (err.keyword) {
    case 'type': {
      const want = String((err.params as { type: string | string[] }).type)
        .split(',')
        .filter((t) => t !== 'null')
        .join(' or ');
      return `\`${where}\` must be ${/^[aeiou]/.test(want) ? 'an' : 'a'} ${want}, not ${got}; lm-eval fails when it uses this value.`;
    }
    case 'minimum':
      return `\`${where}\` must be at least ${(err.params as { limit: number }).limit} (got ${got}).`;
    default:
      return `\`${where}\` ${err.message ?? 'is invalid'} (got ${got}).`;
  }
}

export function checkSchema(
  entries: ReadonlyMap<string, MergedEntry>,
  kind: 'task' | 'group',
  checkedFile: string,
): Finding[] {
  const plain: Record<string, unknown> = {};
  const budget = { left: 50_000 };
  for (const [k, e] of entries) plain[k] = toPlain(e.value, budget);
  const validate = compiled()[kind];
  if (validate(plain)) return [];
  const out: Finding[] = [];
  for (const err of validate.errors ?? []) {
    // Errors inside an anyOf branch only say that branch did not match; the code checks those shapes.
    if (SKIPPED_KEYWORDS.has(err.keyword) || err.schemaPath.includes('/anyOf/')) continue;
    const node = nodeAt(entries, err.instancePath);
    if (!node) continue;
    // A `!function` where a string is expected is fine: lm-eval calls it.
    out.push({
      code: 'invalid-value',
      severity: 'error',
      message: message(err, node),
      range: node.range,
      ...(node.file !== checkedFile ? { file: node.file } : {}),
    });
  }
  return out;
}
