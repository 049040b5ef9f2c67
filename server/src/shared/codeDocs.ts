// Each code's documentation, generated from the `<code>.md` next to its rule by `npm run docs`: the
// docs page a diagnostic's codeDescription links to, and the SARIF rule metadata.
import type { DiagnosticCode } from './codes';
import { CODE_DOCS } from './codeDocs.generated';

const DOCS_URL = 'https://github.com/lm-eval-lens/lm-eval-lens/blob/main/docs';

/** A code's documentation, generated from the `<code>.md` next to its rule (`npm run docs`). */
export interface CodeDoc {
  /** The docs/ page with the code's section. */
  page: 'rules.md' | 'task-config-rules.md';
  /** The usual severity (SARIF's defaultConfiguration.level); some findings of the code differ. */
  severity: 'error' | 'warning' | 'info';
  /** One sentence (SARIF shortDescription). */
  summary: string;
  /** The description, Markdown (the docs section, SARIF fullDescription and help). */
  markdown: string;
}

export function codeDoc(code: DiagnosticCode): CodeDoc {
  return CODE_DOCS[code];
}

/** The documentation link a diagnostic's codeDescription points at: one section per code. */
export function ruleDocUrl(code: DiagnosticCode): string {
  return `${DOCS_URL}/${CODE_DOCS[code].page}#${code}`;
}
