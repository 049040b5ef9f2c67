// `lm-eval-lens check PATH...`: the language service over files, for CI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FactProviders } from '../facts/providers';
import { parseDirectives } from '../parse/directives';
import { analyzeDocument, isYamlDocument, suppress, type ServiceContext } from '../service/analyze';
import { groupRepeatedFindings } from '../service/groupFindings';
import type { Finding } from '../shared/findings';
import type { LmEvalLensSettings } from '../shared/settings';
import { classifyYamlDocument, validateTaskConfigWorkspace, type TaskConfigContext } from '../taskconfig';
import { collectFiles } from './files';
import { placeFindings, type ReportedFinding } from './report';

export interface CheckResult {
  findings: ReportedFinding[];
  filesChecked: number;
  ioErrors: string[];
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
  const ctx: ServiceContext = { settings, providers, taskConfig };
  const texts = new Map<string, string>();
  for (const [file, text] of documents) texts.set(path.resolve(file), text);
  const progress = options.onProgress ?? (() => {});
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

  // Task configs are validated together, so names duplicated across files are found.
  const taskFiles: { path: string; text: string }[] = [];
  const otherFiles: string[] = [];
  for (const [i, file] of files.entries()) {
    progress('reading', i, files.length);
    const abs = path.resolve(file);
    const text = read(abs);
    if (text === undefined) continue;
    if (
      isYamlDocument({ path: abs, text }) &&
      classifyYamlDocument(abs, text, { globs: settings.taskConfigGlobs }) === 'task-config'
    )
      taskFiles.push({ path: abs, text });
    else otherFiles.push(abs);
  }

  const findingsByFile = new Map<string, Finding[]>();
  const total = taskFiles.length + otherFiles.length;
  let done = 0;
  if (taskFiles.length) {
    const validated = validateTaskConfigWorkspace(taskFiles, taskConfig, () => progress('checking', done++, total));
    for (const [file, found] of validated) {
      const text = texts.get(file) ?? '';
      findingsByFile.set(file, groupRepeatedFindings(suppress(text, parseDirectives(text), found), file));
    }
  }
  for (const file of otherFiles) {
    progress('checking', done++, total);
    const text = texts.get(file)!;
    findingsByFile.set(file, analyzeDocument({ path: file, text }, ctx).findings);
  }

  const seen = new Set<string>();
  const findings: ReportedFinding[] = [];
  for (const file of [...taskFiles.map((t) => t.path), ...otherFiles]) {
    findings.push(...placeFindings(file, texts.get(file)!, findingsByFile.get(file) ?? [], read, seen));
  }
  return { findings, filesChecked: taskFiles.length + otherFiles.length, ioErrors: errors };
}
