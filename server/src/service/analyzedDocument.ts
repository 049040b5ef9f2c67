// What the language service reads and what it gives back: the document, the context of injected
// providers and settings, and the analysis every feature (diagnostics, hover, code actions, the
// log view) starts from. Types only, below analyze.ts and the per-kind analyzers that fill them.
import type { Directives } from '../parse/directives';
import type { LaunchFacts } from '../facts/launch';
import type { FactProviders } from '../facts/providers';
import type { VersionFact } from '../facts/versions';
import type { LogDiagnosis } from '../logs/diagnose';
import type { LaunchingScript, ScriptFile } from '../logs/launchingScript';
import type { LogFacts } from '../logs/types';
import type { Finding, OffsetEdit, OffsetRange } from '../shared/findings';
import type { LmEvalLensSettings } from '../shared/settings';
import type { TaskConfigContext } from '../taskconfig';

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
  /** Who reads the answers: settings are named as flags in the CLI. Default `editor`. */
  origin?: 'editor' | 'cli';
  /** Scripts of the workspace that may have launched a run whose log is open (read as text). */
  workspaceScripts?: () => ScriptFile[];
  /** A file path as the client's URI (to edit a launching script from a log's code action). */
  fileUri?: (path: string) => string;
}

export type DocumentRole = 'launches' | 'task-config' | 'log' | 'none';

export interface AnalyzedDocument {
  document: LensDocument;
  role: DocumentRole;
  directives: Directives;
  launches: LaunchFacts[];
  findings: Finding[];
  /** Task configs: the lm-eval release whose rules were applied, and where that came from. */
  harness?: VersionFact;
  /** A log file's diagnosis (role `log`). */
  log?: LogAnalysis;
}

export interface ScriptEdit {
  script: LaunchingScript;
  /** The script's URI (the server's path-to-URI mapping). */
  uri: string;
  edits: OffsetEdit[];
}

export interface LogAnalysis {
  facts: LogFacts;
  diagnosis: LogDiagnosis;
  /** The failure line's range in the log (whole line, without surrounding blanks). */
  failureRange?: OffsetRange;
  /** Lines that carry a figure the hover explains (the failure and the logged memory lines). */
  hoverLines: Set<number>;
  scriptEdit?: ScriptEdit;
  /** What the copy action puts on the clipboard: `--model_args ...` or the serve flags. */
  copyText?: string;
}
