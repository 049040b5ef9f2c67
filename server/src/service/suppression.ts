// "Disable CODE here / in this file": quick fixes that insert a `lm-eval-lens: disable=` directive
// in the comment syntax of the document. JSON and notebooks have no comments, so they get none.
import type { Finding, Fix } from '../shared/findings';
import type { AnalyzedDocument } from './analyzedDocument';

interface CommentSyntax {
  open: string;
  close: string;
}

const HASH: CommentSyntax = { open: '# ', close: '' };

function isJson(path: string, languageId?: string): boolean {
  return /\.(ipynb|json)$/i.test(path) || languageId === 'json';
}

/** The comment for one line: in Markdown the launch sits inside a shell/Python/YAML fence, so `#`. */
function lineComment(path: string, languageId?: string): CommentSyntax | undefined {
  if (isJson(path, languageId)) return undefined;
  if (/\.jsonc$/i.test(path) || languageId === 'jsonc') return { open: '// ', close: '' };
  return HASH;
}

function fileComment(path: string, languageId?: string): CommentSyntax | undefined {
  if (/\.(md|markdown)$/i.test(path) || languageId === 'markdown') return { open: '<!-- ', close: ' -->' };
  return lineComment(path, languageId);
}

export function suppressionFixes(analysis: AnalyzedDocument, f: Finding): Fix[] {
  const { text, path, languageId } = analysis.document;
  const fixes: Fix[] = [];
  const line = lineComment(path, languageId);
  if (line) {
    // Above the command the finding belongs to (or the YAML line), with the same indentation: a
    // trailing comment would break a `\`-continued shell command.
    const launch = analysis.launches.find(
      (l) => l.invocation.range.start <= f.range.start && f.range.end <= l.invocation.range.end,
    );
    const anchorOffset = launch ? launch.invocation.range.start : f.range.start;
    const lineStart = text.lastIndexOf('\n', anchorOffset - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    fixes.push({
      title: `Disable ${f.code} here`,
      edits: [
        {
          range: { start: lineStart, end: lineStart },
          newText: `${indent}${line.open}lm-eval-lens: disable=${f.code}${line.close}\n`,
        },
      ],
    });
  }
  const file = fileComment(path, languageId);
  if (file) {
    const offset = analysis.directives.fileDirectiveInsertOffset;
    fixes.push({
      title: `Disable ${f.code} for this file`,
      edits: [
        {
          range: { start: offset, end: offset },
          newText: `${file.open}lm-eval-lens: disable=${f.code}${file.close}\n`,
        },
      ],
    });
  }
  return fixes;
}
