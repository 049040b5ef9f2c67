// The one entry point the language service calls: pick the reader(s) for a document by its
// extension, language id and content, and never throw.
import { findContainerSpecInvocations } from './containerSpecs';
import { findJsonInvocations } from './json';
import { findMarkdownInvocations } from './markdown';
import { cellInvocations, findNotebookInvocations } from './notebook';
import { identityMapped } from './mappedText';
import { findPythonInvocations } from './python';
import { findRunConfigInvocation } from './runConfig';
import { findShellInvocations } from './shell';
import type { LaunchScanOptions } from './launchScanOptions';
import type { DocumentKind, LmEvalInvocation } from './types';

export type ReaderKind = 'shell' | 'python' | 'notebook' | 'notebook-cell' | 'json' | 'markdown' | 'yaml' | 'unknown';

const BY_EXTENSION: Record<string, ReaderKind> = {
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  ksh: 'shell',
  slurm: 'shell',
  sbatch: 'shell',
  job: 'shell',
  pbs: 'shell',
  py: 'python',
  pyw: 'python',
  ipynb: 'notebook',
  json: 'json',
  jsonc: 'json',
  'code-workspace': 'json',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  yaml: 'yaml',
  yml: 'yaml',
};

const BY_LANGUAGE: Record<string, ReaderKind> = {
  shellscript: 'shell',
  bash: 'shell',
  sh: 'shell',
  zsh: 'shell',
  python: 'python',
  'jupyter-notebook': 'notebook',
  ipynb: 'notebook',
  json: 'json',
  jsonc: 'json',
  markdown: 'markdown',
  yaml: 'yaml',
};

/** Which reader applies to a document. */
export function readerFor(text: string, kind: DocumentKind): ReaderKind {
  // VS Code opens a notebook as one document per cell (`vscode-notebook-cell:` URIs): Python with
  // IPython `!cmd` / `%%bash` escapes.
  if (kind.notebookCell) return 'notebook-cell';
  const name = (kind.path ?? '').split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (ext && BY_EXTENSION[ext]) return BY_EXTENSION[ext];
  if (kind.languageId && BY_LANGUAGE[kind.languageId]) return BY_LANGUAGE[kind.languageId];
  if (/^#!.*\b(ba|z|k|da)?sh\b/.test(text.slice(0, 200))) return 'shell';
  if (/^#!.*\bpython/.test(text.slice(0, 200))) return 'python';
  return 'unknown';
}

/** Every launch in a document. `opts.assumed`: values of variables from `$NAME=` directives. */
export function findInvocations(
  text: string,
  kind: DocumentKind,
  opts: Pick<LaunchScanOptions, 'assumed'> = {},
): LmEvalInvocation[] {
  try {
    if (typeof text !== 'string') return [];
    const scan: LaunchScanOptions = { assumed: opts.assumed };
    switch (readerFor(text, kind)) {
      case 'shell':
        return findShellInvocations(text, undefined, scan);
      case 'python':
        return findPythonInvocations(text, undefined, scan);
      case 'notebook':
        return findNotebookInvocations(text);
      case 'notebook-cell':
        return cellInvocations(identityMapped(text), {});
      case 'json':
        return findJsonInvocations(text);
      case 'markdown':
        return findMarkdownInvocations(text, undefined, scan);
      case 'yaml': {
        const inv = findRunConfigInvocation(text);
        return inv ? [inv] : findContainerSpecInvocations(text);
      }
      default:
        return /lm[-_]eval|vllm/.test(text) ? findShellInvocations(text, undefined, scan) : [];
    }
  } catch {
    return [];
  }
}
