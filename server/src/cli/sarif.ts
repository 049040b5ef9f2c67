// SARIF 2.1.0 for CI code-scanning uploads (GitHub's `upload-sarif`, and any SARIF viewer). The rule
// metadata comes from the same `<code>.md` files as docs/ (CODE_DOCS); paths are relative to a
// source root named by `uriBaseId` (%SRCROOT%), so results match across checkouts; each result has a
// partial fingerprint that survives edits elsewhere in its file.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { codeDoc, ruleDocUrl } from '../shared/codeDocs';
import { DIAGNOSTIC_CODES, type DiagnosticCode, isDiagnosticCode } from '../shared/codes';
import type { Severity } from '../shared/findings';
import type { ReportedFinding, ReportedLocation } from './report';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

export const SRCROOT = '%SRCROOT%';
/** The key of our own partial fingerprint; bump the version if its inputs ever change. */
export const FINGERPRINT_KEY = 'lmEvalLens/v1';
/** GitHub code scanning reads at most this many results of a run, and this many locations of a result. */
export const MAX_RESULTS = 25_000;
const MAX_RELATED_LOCATIONS = 1_000;

export interface SarifOptions {
  /** The source root that relative URIs start from (default: the working directory). */
  root?: string;
}

/** Markdown → plain text for the `text` members (SARIF requires text; markdown is optional). Code
 * spans are kept as written. */
export function markdownToText(md: string): string {
  return md
    .split(/(`[^`\n]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
            .replace(/\*\*([^*]+)\*\*/g, '$1')
            .replace(/(^|\s)_([^_]+)_(?=\s|[.,;:]|$)/g, '$1$2'),
    )
    .join('')
    .replace(/\n(?!\n)/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function ruleDescriptor(code: DiagnosticCode): object {
  const doc = codeDoc(code);
  const url = ruleDocUrl(code);
  const text = markdownToText(doc.markdown);
  return {
    id: code,
    name: code.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: doc.summary },
    fullDescription: { text, markdown: doc.markdown },
    help: { text: `${text}\n\nDocumentation: ${url}`, markdown: `${doc.markdown}\n\n[Documentation](${url})` },
    helpUri: url,
    defaultConfiguration: { level: LEVEL[doc.severity] },
    properties: { tags: ['lm-eval', doc.page === 'task-config-rules.md' ? 'task-config' : 'launch'] },
  };
}

function artifactLocation(file: string, root: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(root, path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
    return { uri: pathToFileURL(path.resolve(file)).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function physicalLocation(loc: ReportedLocation, root: string): object {
  return {
    artifactLocation: artifactLocation(loc.file, root),
    region: {
      startLine: loc.line + 1,
      startColumn: loc.column + 1,
      endLine: loc.endLine + 1,
      endColumn: loc.endColumn + 1,
    },
  };
}

/**
 * The rule, the flagged text and the message with the source root and numbers blanked (checkouts
 * differ, estimates move), plus an ordinal among results of one file equal in those: stable when
 * lines above move or the job runs elsewhere, new when the problem changes. GitHub combines it with
 * the path and rule.
 */
function fingerprints(findings: readonly ReportedFinding[], root: string): string[] {
  const seen = new Map<string, number>();
  const normalize = (message: string) =>
    message
      .split(root + path.sep)
      .join('')
      .replace(/\d+(\.\d+)?/g, '#');
  return findings.map((f) => {
    const key = [f.code, (f.snippet ?? '').replace(/\s+/g, ' ').trim(), normalize(f.message)].join('\0');
    const n = seen.get(`${f.file}\0${key}`) ?? 0;
    seen.set(`${f.file}\0${key}`, n + 1);
    return createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
  });
}

export function toSarif(findings: readonly ReportedFinding[], version: string, options: SarifOptions = {}): object {
  const root = path.resolve(options.root ?? process.cwd());
  const kept = findings.slice(0, MAX_RESULTS);
  const prints = fingerprints(kept, root);
  const omitted = findings.length - kept.length;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lm-eval-lens',
            version,
            semanticVersion: version,
            informationUri: 'https://github.com/lm-eval-lens/lm-eval-lens',
            rules: DIAGNOSTIC_CODES.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(root + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            ...(omitted > 0
              ? {
                  toolExecutionNotifications: [
                    {
                      level: 'warning',
                      message: {
                        text: `${omitted} more results were left out: code scanning reads at most ${MAX_RESULTS} per run.`,
                      },
                    },
                  ],
                }
              : {}),
          },
        ],
        results: kept.map((f, i) => ({
          ruleId: f.code,
          ...(isDiagnosticCode(f.code) ? { ruleIndex: DIAGNOSTIC_CODES.indexOf(f.code) } : {}),
          level: LEVEL[f.severity],
          message: { text: [f.message, ...(f.details ?? [])].join('\n') },
          locations: [{ physicalLocation: physicalLocation(f, root) }],
          partialFingerprints: { [FINGERPRINT_KEY]: prints[i] },
          ...(f.related?.length
            ? {
                relatedLocations: f.related.slice(0, MAX_RELATED_LOCATIONS).map((r, k) => ({
                  id: k + 1,
                  message: { text: r.message },
                  physicalLocation: physicalLocation(r, root),
                })),
              }
            : {}),
        })),
      },
    ],
  };
}
