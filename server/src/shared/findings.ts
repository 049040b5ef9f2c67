// What every checker (model_args rules, task-config validation) produces: plain data with document
// offsets, no LSP or VS Code types. The language service turns these into LSP diagnostics and code
// actions; the CLI turns them into text and SARIF.
import type { DiagnosticCode } from './codes';

/** A half-open range of UTF-16 offsets into a document's text (the unit LSP positions use). */
export interface OffsetRange {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface OffsetEdit {
  range: OffsetRange;
  newText: string;
  /** Absolute path of the file the edit applies to; absent means the checked document. */
  file?: string;
}

export interface Fix {
  title: string;
  edits: OffsetEdit[];
  /** The one fix an editor applies with "auto fix"; at most one per finding. */
  isPreferred?: boolean;
  /** `quickfix` (default) or a refactoring kind such as `refactor.rewrite`. */
  kind?: 'quickfix' | 'refactor.rewrite';
}

export interface RelatedLocation {
  file: string;
  range: OffsetRange;
  message: string;
}

export interface Finding {
  code: DiagnosticCode;
  severity: Severity;
  /** One sentence: what is wrong (and, briefly, what to do). */
  message: string;
  /** Supporting lines shown under the message: vLLM's own wording, the arithmetic, the source of a
   * number. The CLI prints them indented below the message; the editor shows them as
   * relatedInformation in the hover and the Problems panel. */
  details?: string[];
  range: OffsetRange;
  /** Absolute path of the file where the problem is written, when it is not the checked document
   * (a problem inside an included task template, say). `range` is then an offset range in that file. */
  file?: string;
  fixes?: Fix[];
  related?: RelatedLocation[];
}
