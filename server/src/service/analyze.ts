// One pass over a document: find what kind of lm-eval file it is, parse it, resolve the facts of
// every launch, and run the rules. Hover, code actions and inlay hints reuse the result.
import { parseDirectives, isSuppressed, type Directives } from '../parse/directives';
import { buildLaunchFacts, type LaunchFacts } from '../facts/launch';
import type { FactProviders } from '../facts/providers';
import { findInvocations } from '../parse/invocations';
import { checkLaunch } from '../rules';
import type { Finding } from '../shared/findings';
import type { LmEvalLensSettings } from '../shared/settings';
import { classifyYamlDocument, validateTaskConfig, type TaskConfigContext } from '../taskconfig';
import { lineOfOffset } from './positions';
import { checkInputLimits } from './limits';
import { groupRepeatedFindings } from './groupFindings';

export interface LensDocument {
  /** Absolute file-system path (or the URI path for unsaved documents). */
  path: string;
  text: string;
  languageId?: string;
  /** One cell of a notebook opened in the editor. */
  notebookCell?: boolean;
}

export interface ServiceContext {
  settings: LmEvalLensSettings;
  providers: FactProviders;
  taskConfig: TaskConfigContext;
}

export type DocumentRole = 'launches' | 'task-config' | 'none';

export interface AnalyzedDocument {
  document: LensDocument;
  role: DocumentRole;
  directives: Directives;
  launches: LaunchFacts[];
  findings: Finding[];
}

const YAML_EXT = /\.ya?ml$/i;

export function isYamlDocument(doc: LensDocument): boolean {
  return YAML_EXT.test(doc.path) || doc.languageId === 'yaml';
}

export function analyzeDocument(doc: LensDocument, ctx: ServiceContext): AnalyzedDocument {
  const directives = parseDirectives(doc.text);
  const limit = checkInputLimits(doc.text);
  if (limit) return { document: doc, role: 'none', directives, launches: [], findings: [limit] };

  if (
    isYamlDocument(doc) &&
    classifyYamlDocument(doc.path, doc.text, { globs: ctx.settings.taskConfigGlobs }) === 'task-config'
  ) {
    const findings = validateTaskConfig(doc.path, doc.text, ctx.taskConfig);
    return {
      document: doc,
      role: 'task-config',
      directives,
      launches: [],
      findings: groupRepeatedFindings(suppress(doc.text, directives, findings), doc.path),
    };
  }

  const invocations = findInvocations(doc.text, {
    path: doc.path,
    languageId: doc.languageId,
    notebookCell: doc.notebookCell,
  });
  const launches = invocations.map((inv) => buildLaunchFacts(doc.text, inv, directives, ctx.settings, ctx.providers));
  const findings: Finding[] = [];
  for (const launch of launches) {
    const startLine = lineOfOffset(doc.text, launch.invocation.range.start);
    for (const f of checkLaunch(launch)) {
      // A directive anywhere on the command's lines (or just above it) covers its findings.
      if (!isSuppressed(directives, f.code, startLine, lineOfOffset(doc.text, f.range.end))) findings.push(f);
    }
  }
  return {
    document: doc,
    role: launches.length ? 'launches' : 'none',
    directives,
    launches,
    findings: groupRepeatedFindings(findings, doc.path),
  };
}

/** Drop findings a `disable=` directive covers (findings located in other files are kept). */
export function suppress(text: string, d: Directives, findings: Finding[]): Finding[] {
  return findings.filter(
    (f) =>
      f.file !== undefined ||
      !isSuppressed(d, f.code, lineOfOffset(text, f.range.start), lineOfOffset(text, f.range.end)),
  );
}
