// Checks a SARIF log the way its consumers do: the SARIF 2.1.0 JSON schema (as shipped by
// @microsoft/jest-sarif; read from node_modules, no network), and what GitHub code scanning requires
// of an upload (docs.github.com, "SARIF support for code scanning": rule metadata, relative paths,
// fingerprints, limits).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { repoRoot } from './paths';

let validate: ValidateFunction | undefined;

/** Schema errors as `path: message` lines; empty when the log is valid SARIF 2.1.0. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!validate) {
    const schemaPath = path.join(repoRoot, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    // The published draft-04 schema has a `]` that is only valid in a non-Unicode regular expression.
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
  }
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
}

// biome-ignore lint/suspicious/noExplicitAny: walking untyped JSON
type Json = any;

/** What GitHub code scanning rejects or mishandles; empty when an upload would be accepted as meant. */
export function githubCodeScanningProblems(log: Json): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, what: string) => {
    if (!ok) problems.push(what);
  };
  need(log?.version === '2.1.0', 'version must be 2.1.0');
  const runs: Json[] = Array.isArray(log?.runs) ? log.runs : [];
  need(runs.length >= 1 && runs.length <= 20, '1 to 20 runs');
  for (const run of runs) {
    const driver = run?.tool?.driver;
    need(typeof driver?.name === 'string' && driver.name, 'tool.driver.name');
    const rules: Json[] = driver?.rules ?? [];
    need(rules.length <= 25_000, 'at most 25,000 rules per run');
    const ids = new Set<string>();
    for (const r of rules) {
      const id = r?.id ?? '?';
      ids.add(id);
      need(typeof r?.shortDescription?.text === 'string' && r.shortDescription.text, `${id}: shortDescription.text`);
      need(typeof r?.fullDescription?.text === 'string' && r.fullDescription.text, `${id}: fullDescription.text`);
      need(typeof r?.help?.text === 'string' && r.help.text, `${id}: help.text`);
      need((r?.properties?.tags ?? []).length <= 20, `${id}: at most 20 tags`);
    }
    const bases = run?.originalUriBaseIds ?? {};
    const results: Json[] = run?.results ?? [];
    need(results.length <= 25_000, 'at most 25,000 results per run');
    for (const [i, res] of results.entries()) {
      const at = `result ${i} (${res?.ruleId})`;
      need(ids.has(res?.ruleId), `${at}: ruleId names a rule of the driver`);
      if (res?.ruleIndex !== undefined) need(rules[res.ruleIndex]?.id === res.ruleId, `${at}: ruleIndex`);
      need(typeof res?.message?.text === 'string' && res.message.text, `${at}: message.text`);
      const locations: Json[] = res?.locations ?? [];
      need(locations.length >= 1 && locations.length <= 1000, `${at}: 1 to 1,000 locations`);
      need(res?.partialFingerprints && Object.keys(res.partialFingerprints).length > 0, `${at}: partialFingerprints`);
      for (const loc of [...locations, ...(res?.relatedLocations ?? [])]) {
        const artifact = loc?.physicalLocation?.artifactLocation;
        need(typeof artifact?.uri === 'string', `${at}: artifactLocation.uri`);
        const region = loc?.physicalLocation?.region;
        need(Number.isInteger(region?.startLine) && region.startLine >= 1, `${at}: region.startLine >= 1`);
        // A file:// URI is an absolute path of the machine that ran the check: no alert matches it.
        if (artifact?.uriBaseId !== undefined)
          need(
            bases[artifact.uriBaseId]?.uri?.endsWith('/') && !/^[a-z]+:/i.test(artifact.uri),
            `${at}: a relative uri whose uriBaseId is defined in originalUriBaseIds`,
          );
        else need(!/^file:/i.test(artifact?.uri ?? ''), `${at}: file:// uri without a uriBaseId`);
      }
      for (const rel of res?.relatedLocations ?? [])
        need(
          Number.isInteger(rel?.id) && typeof rel?.message?.text === 'string',
          `${at}: relatedLocations id and message`,
        );
    }
  }
  return problems;
}
