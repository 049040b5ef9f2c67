// `lm-eval-lens check PATH...`: the language service over files, for CI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LaunchFacts } from '../facts/launch';
import type { FactProviders } from '../facts/providers';
import type { VersionFact } from '../facts/versions';
import { parseDirectives, type Directives } from '../parse/directives';
import type { ConfigProblem } from '../project/configFile';
import {
  addConfigDisables,
  analyzeDocument,
  harnessFactResolver,
  isTaskConfigDocument,
  taskHarnessResolver,
  suppress,
  taskConfigVersion,
  versionContextFor,
  type ServiceContext,
} from '../service/analyze';
import { groupRepeatedFindings } from '../service/groupFindings';
import type { Finding } from '../shared/findings';
import type { LmEvalLensSettings } from '../shared/settings';
import { validateTaskConfigWorkspace, type TaskConfigContext } from '../taskconfig';
import { otherHarnessNamed, type TaskHarnessFact } from '../taskconfig/otherHarness';
import { collectFiles } from './files';
import { placeFindings, type ReportedFinding } from './report';

export interface CheckedFile {
  /** Absolute path. */
  path: string;
  role: 'launches' | 'task-config' | 'log' | 'none';
  text: string;
  /** Every lm-eval launch found in the file, with its facts and estimate. */
  launches: LaunchFacts[];
  /** Task configs: the lm-eval release whose rules were applied. */
  harness?: VersionFact;
  /** Task configs of another harness (lmms-eval): which, and what in the project says so. */
  taskHarness?: TaskHarnessFact;
}

export interface ConfigFileProblem {
  /** Absolute path of the config file. */
  file: string;
  problem: ConfigProblem;
}

export interface CheckResult {
  findings: ReportedFinding[];
  filesChecked: number;
  ioErrors: string[];
  /** Every checked file, in the order checked. */
  files: CheckedFile[];
  /** Problems of the config files that govern the checked files (each config file once). */
  configProblems: ConfigFileProblem[];
}

export interface CheckOptions {
  /** Documents not on disk (stdin), keyed by the path they are checked as; also named in `inputs`. */
  documents?: ReadonlyMap<string, string>;
  /** Progress for a long run: `phase` is what is being done to the `done`-th of `total` files. */
  onProgress?: (phase: 'reading' | 'checking', done: number, total: number) => void;
}

/** Files larger than this are not read at all (binary blobs, datasets). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export function runCheck(
  inputs: string[],
  settings: LmEvalLensSettings,
  providers: FactProviders,
  taskConfig: TaskConfigContext,
  options: CheckOptions = {},
): CheckResult {
  const documents = options.documents ?? new Map<string, string>();
  const { files, errors } = collectFiles(inputs.filter((i) => !documents.has(i)));
  files.push(...inputs.filter((i) => documents.has(i)));
  const ctx: ServiceContext = { settings, providers, taskConfig, origin: 'cli' };
  const harnessOf = harnessFactResolver(ctx);
  const workspaceTaskConfig: TaskConfigContext = {
    ...taskConfig,
    harnessVersionFor: (file) => harnessOf(file).text,
    harnessSourceFor: (file) => harnessOf(file).sourceRoot,
    taskHarnessFor: taskHarnessResolver(ctx),
  };
  const { texts, read } = fileReader(documents, errors);
  const progress = options.onProgress ?? (() => {});

  const sorted = readInputs(files, read, ctx, progress);
  const { configProblems } = sorted;
  if (configProblems.some((p) => p.problem.invalidValue))
    return { findings: [], filesChecked: 0, ioErrors: errors, files: [], configProblems };

  const findingsByFile = new Map<string, Finding[]>();
  const total = sorted.taskFiles.length + sorted.otherFiles.length;
  let done = 0;
  const tick = () => progress('checking', done++, total);
  checkTaskConfigs(sorted, workspaceTaskConfig, texts, findingsByFile, tick);
  checkOtherFiles(sorted, ctx, texts, findingsByFile, tick);

  const order = [...sorted.taskFiles.map((t) => t.path), ...sorted.otherFiles];
  const seen = new Set<string>();
  const findings: ReportedFinding[] = [];
  for (const file of order) {
    findings.push(...placeFindings(file, texts.get(file)!, findingsByFile.get(file) ?? [], read, seen));
  }
  return {
    findings,
    filesChecked: order.length,
    ioErrors: errors,
    files: order.map((f) => sorted.checked.get(f)).filter((c): c is CheckedFile => !!c),
    configProblems,
  };
}

/** Reads each file once (documents given in memory first); what cannot be read is an I/O error. */
function fileReader(
  documents: ReadonlyMap<string, string>,
  errors: string[],
): { texts: Map<string, string>; read: (file: string) => string | undefined } {
  const texts = new Map<string, string>();
  for (const [file, text] of documents) texts.set(path.resolve(file), text);
  const read = (file: string): string | undefined => {
    if (texts.has(file)) return texts.get(file);
    try {
      const st = fs.statSync(file);
      if (st.size > MAX_FILE_BYTES) {
        errors.push(`${file}: skipped, ${st.size} bytes is over the ${MAX_FILE_BYTES}-byte limit`);
        return undefined;
      }
      const text = fs.readFileSync(file, 'utf8');
      texts.set(file, text);
      return text;
    } catch (e) {
      errors.push(`${file}: ${(e as Error).message}`);
      return undefined;
    }
  };
  return { texts, read };
}

/** The inputs after the reading pass: task configs set apart from the other files. */
interface SortedInputs {
  taskFiles: { path: string; text: string }[];
  otherFiles: string[];
  checked: Map<string, CheckedFile>;
  /** A task config's own directives and the findings about its lm-eval release. */
  taskOwn: Map<string, { directives: Directives; findings: Finding[] }>;
  configProblems: ConfigFileProblem[];
}

/** Read every input, set task configs apart, and collect the problems of the config files that govern them. */
function readInputs(
  files: string[],
  read: (file: string) => string | undefined,
  ctx: ServiceContext,
  progress: NonNullable<CheckOptions['onProgress']>,
): SortedInputs {
  const sorted: SortedInputs = {
    taskFiles: [],
    otherFiles: [],
    checked: new Map(),
    taskOwn: new Map(),
    configProblems: [],
  };
  const configsSeen = new Set<string>();
  for (const [i, file] of files.entries()) {
    progress('reading', i, files.length);
    const abs = path.resolve(file);
    const text = read(abs);
    if (text === undefined) continue;
    const doc = { path: abs, text };
    const vc = versionContextFor(doc, ctx);
    const config = vc.project?.config;
    if (config && !configsSeen.has(config.file)) {
      configsSeen.add(config.file);
      for (const problem of config.problems) sorted.configProblems.push({ file: config.file, problem });
    }
    if (isTaskConfigDocument(doc, ctx, vc)) {
      sorted.taskFiles.push(doc);
      const directives = parseDirectives(text, file);
      addConfigDisables(directives, vc);
      const { harness, findings } = taskConfigVersion(doc, directives, ctx, vc);
      sorted.taskOwn.set(abs, { directives, findings });
      const other = vc.project?.taskHarness;
      sorted.checked.set(
        abs,
        otherHarnessNamed(other?.harness)
          ? { path: abs, role: 'task-config', text, launches: [], taskHarness: other }
          : { path: abs, role: 'task-config', text, launches: [], harness },
      );
    } else sorted.otherFiles.push(abs);
  }
  return sorted;
}

/** Task configs are validated together, so names duplicated across files are found. */
function checkTaskConfigs(
  sorted: SortedInputs,
  taskConfig: TaskConfigContext,
  texts: ReadonlyMap<string, string>,
  findingsByFile: Map<string, Finding[]>,
  tick: () => void,
): void {
  if (!sorted.taskFiles.length) return;
  const validated = validateTaskConfigWorkspace(sorted.taskFiles, taskConfig, tick);
  for (const [file, found] of validated) {
    const text = texts.get(file) ?? '';
    const own = sorted.taskOwn.get(file);
    const all = [...found, ...(own?.findings ?? [])];
    findingsByFile.set(
      file,
      groupRepeatedFindings(suppress(text, own?.directives ?? parseDirectives(text, file), all), file),
    );
  }
}

/** Launch scripts, notebooks, logs and the rest: each analysed on its own. */
function checkOtherFiles(
  sorted: SortedInputs,
  ctx: ServiceContext,
  texts: ReadonlyMap<string, string>,
  findingsByFile: Map<string, Finding[]>,
  tick: () => void,
): void {
  for (const file of sorted.otherFiles) {
    tick();
    const text = texts.get(file)!;
    const analysis = analyzeDocument({ path: file, text }, ctx);
    findingsByFile.set(file, analysis.findings);
    sorted.checked.set(file, { path: file, role: analysis.role, text, launches: analysis.launches });
  }
}

/** Print the config files' problems; true when one of them is a value that cannot be used (exit 2). */
export function reportConfigProblems(
  problems: readonly ConfigFileProblem[],
  err: (line: string) => void,
  rel: (file: string) => string,
): boolean {
  for (const { file, problem } of problems)
    err(`lm-eval-lens: ${rel(file)}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
  return problems.some((p) => p.problem.invalidValue);
}
