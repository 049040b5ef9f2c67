// One pass over a document: find what kind of lm-eval file it is, parse it, resolve the facts of
// every launch, and run the rules. Hover, code actions and inlay hints reuse the result.
import { parseDirectives, isSuppressed, type Directives } from '../parse/directives';
import { buildLaunchFacts, launchDocument, type LaunchFacts } from '../facts/launch';
import { linkLocalServers } from '../facts/localServer';
import { resolveVersion, type VersionContext, type VersionFact } from '../facts/versions';
import { findInvocations } from '../parse/invocations';
import type { LaunchScanOptions } from '../parse/launchScanOptions';
import type { DocumentKind, LmEvalInvocation } from '../parse/types';
import { checkLaunch } from '../rules';
import type { Finding } from '../shared/findings';
import { classifyYamlDocument, validateTaskConfig, type TaskConfigContext } from '../taskconfig';
import { LineIndex, lineOfOffset } from './positions';
import { markUncertain } from './uncertain';
import { serveWording } from './serveWording';
import { checkInputLimits } from './limits';
import { groupRepeatedFindings } from './groupFindings';
import { configFindings, settingsFindings } from './settingsDiagnostics';
import { analyzeLogDocument, isLogDocument } from './logDocument';
import type { AnalyzedDocument, LensDocument, ServiceContext } from './analyzedDocument';

export type { AnalyzedDocument, DocumentRole, LensDocument, ServiceContext } from './analyzedDocument';

const YAML_EXT = /\.ya?ml$/i;

export function isYamlDocument(doc: LensDocument): boolean {
  return YAML_EXT.test(doc.path) || doc.languageId === 'yaml';
}

/** Where the analysis pauses: after a unit of work, or to be given the document's launches. */
export type AnalysisPause =
  | { kind: 'progress' }
  | { kind: 'parse'; text: string; hints: DocumentKind; options: Pick<LaunchScanOptions, 'assumed'> };

export interface AnalysisOptions {
  /** Checked before every launch: once true, the remaining launches are skipped with a finding saying so. */
  outOfTime?: () => boolean;
  /** The time limit `outOfTime` stands for, named in that finding. */
  timeLimitMs?: number;
  /**
   * Task configs larger than this are not checked (the `yaml` parser alone takes ~1.5 ms per KiB of
   * dense YAML, in one piece): the editor sets it, the CLI checks everything.
   */
  maxTaskConfigChars?: number;
}

/** The whole analysis at once (the CLI, tests): launches parsed here. */
export function analyzeDocument(doc: LensDocument, ctx: ServiceContext, opts: AnalysisOptions = {}): AnalyzedDocument {
  const steps = analysisSteps(doc, ctx, opts);
  let next = steps.next();
  while (!next.done) {
    const pause = next.value;
    next = pause.kind === 'parse' ? steps.next(findInvocations(pause.text, pause.hints, pause.options)) : steps.next();
  }
  return next.value;
}

/**
 * The analysis as a sequence of steps, so that the server can run it in slices between requests,
 * stop it when nobody waits for it any more, and parse launches off the main thread: a `parse`
 * pause expects the document's invocations back.
 */
export function* analysisSteps(
  doc: LensDocument,
  ctx: ServiceContext,
  opts: AnalysisOptions = {},
): Generator<AnalysisPause, AnalyzedDocument, LmEvalInvocation[] | undefined> {
  // A crash log is read by the log reader (it streams, so its own size limit is far larger).
  if (isLogDocument(doc)) return analyzeLogDocument(doc, ctx);
  const directives = parseDirectives(doc.text, doc.path);
  const limit = checkInputLimits(doc.text);
  if (limit) return { document: doc, role: 'none', directives, launches: [], findings: [limit] };
  const versionContext = versionContextFor(doc, ctx);
  const config = versionContext.project?.config;
  addConfigDisables(directives, versionContext);

  if (isTaskConfigDocument(doc, ctx, versionContext)) {
    if (opts.maxTaskConfigChars !== undefined && doc.text.length > opts.maxTaskConfigChars)
      return { document: doc, role: 'none', directives, launches: [], findings: [taskConfigTooLarge(doc, opts)] };
    const { harness, findings: own } = taskConfigVersion(doc, directives, ctx, versionContext);
    const findings = [
      ...validateTaskConfig(doc.path, doc.text, {
        ...taskConfigFor(ctx.taskConfig, harness),
        taskHarnessFor: () => versionContext.project?.taskHarness,
      }),
      ...own,
    ];
    return {
      document: doc,
      role: 'task-config',
      directives,
      launches: [],
      findings: groupRepeatedFindings(suppress(doc.text, directives, findings), doc.path),
      harness,
    };
  }

  const invocations =
    (yield {
      kind: 'parse',
      text: doc.text,
      hints: { path: doc.path, languageId: doc.languageId, notebookCell: doc.notebookCell },
      options: { assumed: directives.assumed },
    }) ?? [];
  // A 4 MB script's #SBATCH scan and line index take tens of milliseconds each: slices of their own.
  const launchDoc = launchDocument(doc.text);
  yield { kind: 'progress' };
  if (invocations.length) launchDoc.lineOf(0);
  yield { kind: 'progress' };
  const launches: LaunchFacts[] = [];
  let skipped: Finding | undefined;
  for (const inv of invocations) {
    if (opts.outOfTime?.()) {
      skipped = skippedLaunches(invocations.length - launches.length, invocations.length, inv, opts.timeLimitMs);
      break;
    }
    launches.push(buildLaunchFacts(launchDoc, inv, directives, ctx.settings, ctx.providers, { versionContext }));
    yield { kind: 'progress' };
  }
  linkLocalServers(launches);
  const lines = new LineIndex(doc.text);
  const findings: Finding[] = [];
  if (launches.length) {
    const first = launches[0];
    const problems = launches.flatMap((l) => l.versionProblems);
    findings.push(...settingsFindings(doc.text, problems, first, directives, ctx), ...configFindings(config, ctx));
  }
  for (const launch of launches) {
    const startLine = lines.lineOf(launch.invocation.range.start);
    for (const f of serveWording(launch, markUncertain(launch, checkLaunch(launch)))) {
      // A directive anywhere on the command's lines (or just above it) covers its findings.
      if (!isSuppressed(directives, f.code, startLine, lines.lineOf(f.range.end))) findings.push(f);
    }
    yield { kind: 'progress' };
  }
  if (skipped) findings.push(skipped);
  return {
    document: doc,
    role: launches.length ? 'launches' : 'none',
    directives,
    launches,
    findings: groupRepeatedFindings(findings, doc.path),
  };
}

function taskConfigTooLarge(doc: LensDocument, opts: AnalysisOptions): Finding {
  const kib = (n: number) => `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return {
    code: 'input-limit',
    severity: 'info',
    message: `lm-eval-lens does not check task configs over ${kib(opts.maxTaskConfigChars ?? 0)} while you type (this one is ${kib(doc.text.length)}; the largest of lm-eval's own is 61 KiB): run \`lm-eval-lens check\` on it for the full check.`,
    range: { start: 0, end: 0 },
  };
}

/** The analysis ran out of time: say what was not checked rather than block the editor. */
function skippedLaunches(
  skipped: number,
  total: number,
  first: LmEvalInvocation,
  limitMs: number | undefined,
): Finding {
  return {
    code: 'input-limit',
    severity: 'info',
    message: `lm-eval-lens stopped checking this file after ${total - skipped} of ${total} launches${limitMs ? ` (time limit ${(limitMs / 1000).toFixed(1)} s per file)` : ''}: the ${skipped} launches from here on are not checked. Split the file to have them checked.`,
    range: { start: first.range.start, end: first.range.start },
  };
}

/** The project around the document (config file, pins, installed packages), read once per analysis. */
export function versionContextFor(doc: LensDocument, ctx: ServiceContext): VersionContext {
  const abs = /^([A-Za-z]:)?[\\/]/.test(doc.path);
  const vc: VersionContext = { origin: ctx.origin ?? 'editor' };
  if (abs) {
    vc.file = doc.path;
    const project = ctx.providers.projectFacts?.(doc.path);
    if (project) vc.project = project;
  }
  if (ctx.providers.displayPath) vc.displayPath = ctx.providers.displayPath;
  return vc;
}

/** The task-config context for an analysed document: its own lm-eval version (hover, links, completion). */
export function taskConfigOf(analysis: AnalyzedDocument, ctx: ServiceContext): TaskConfigContext {
  return analysis.harness ? taskConfigFor(ctx.taskConfig, analysis.harness) : ctx.taskConfig;
}

/** A task-config context judged with `harness`: its release, and its source when that is on disk. */
function taskConfigFor(base: TaskConfigContext, harness: VersionFact): TaskConfigContext {
  const { harnessSource: _, ...rest } = base;
  return {
    ...rest,
    harnessVersion: harness.text,
    ...(harness.sourceRoot ? { harnessSource: harness.sourceRoot } : {}),
  };
}

/** The lm-eval in force for each task-config file (memoised per file): its release and its source on disk. */
export function harnessFactResolver(ctx: ServiceContext): (file: string) => VersionFact {
  const facts = new Map<string, VersionFact>();
  return (file) => {
    let fact = facts.get(file);
    if (!fact) {
      fact = resolveVersion(
        { package: 'lm-eval', setting: ctx.settings.harnessVersion },
        versionContextFor({ path: file, text: '' }, ctx),
      ).fact;
      facts.set(file, fact);
    }
    return fact;
  };
}

/** Which harness each task config belongs to, as its project says (for checks that span files, as the CLI's). */
export function taskHarnessResolver(ctx: ServiceContext): NonNullable<TaskConfigContext['taskHarnessFor']> {
  return (file) => versionContextFor({ path: file, text: '' }, ctx).project?.taskHarness;
}

/** A task or group config: by its keys, or by a task glob of the settings or the config file. */
export function isTaskConfigDocument(doc: LensDocument, ctx: ServiceContext, vc: VersionContext): boolean {
  if (!isYamlDocument(doc)) return false;
  const fromConfig = vc.project?.config?.values.taskGlobs ?? [];
  const globs = fromConfig.length ? [...ctx.settings.taskConfigGlobs, ...fromConfig] : ctx.settings.taskConfigGlobs;
  return classifyYamlDocument(doc.path, doc.text, { globs }) === 'task-config';
}

/** The config file's `disable` codes count as a file-wide directive. */
export function addConfigDisables(directives: Directives, vc: VersionContext): void {
  for (const code of vc.project?.config?.values.disable ?? []) directives.disabledInFile.add(code);
}

/** The lm-eval release whose rules a task config follows, and the settings diagnostics that go with it. */
export function taskConfigVersion(
  doc: LensDocument,
  directives: Directives,
  ctx: ServiceContext,
  vc: VersionContext,
): { harness: VersionFact; findings: Finding[] } {
  const { fact, problems } = resolveVersion(
    {
      package: 'lm-eval',
      directive: directives.harness,
      directiveLine: directives.harness ? lineOfOffset(doc.text, directives.harness.range.start) + 1 : undefined,
      setting: ctx.settings.harnessVersion,
    },
    vc,
  );
  return {
    harness: fact,
    findings: [
      ...settingsFindings(doc.text, problems, undefined, directives, ctx),
      ...configFindings(vc.project?.config, ctx),
    ],
  };
}

/** Drop findings a `disable=` directive covers (findings located in other files are kept). */
export function suppress(text: string, d: Directives, findings: Finding[]): Finding[] {
  if (!findings.length) return findings;
  const lines = new LineIndex(text);
  return findings.filter(
    (f) => f.file !== undefined || !isSuppressed(d, f.code, lines.lineOf(f.range.start), lines.lineOf(f.range.end)),
  );
}
