// SARIF 2.1.0 for CI code-scanning uploads: ruleId is the diagnostic code.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIAGNOSTIC_CODES, ruleDocUrl } from '../shared/codes';
import type { Severity } from '../shared/findings';
import type { ReportedFinding } from './report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

export function toSarif(findings: readonly ReportedFinding[], version: string): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lm-eval-lens',
            version,
            informationUri: 'https://github.com/lm-eval-lens/lm-eval-lens',
            rules: DIAGNOSTIC_CODES.map((id) => ({ id, helpUri: ruleDocUrl(id) })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: pathToFileURL(path.resolve(f.file)).href },
                region: {
                  startLine: f.line + 1,
                  startColumn: f.column + 1,
                  endLine: f.endLine + 1,
                  endColumn: f.endColumn + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}
