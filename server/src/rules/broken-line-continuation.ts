// `--model vllm \␠␠` at a line end: bash escapes the blank and ends the command, so the lines
// below run on their own and the launch loses its flags. The shell reader notes it (and reads the
// command as meant); this rule reports it.
import type { LaunchRule } from './rule';

export const brokenLineContinuation: LaunchRule = {
  code: 'broken-line-continuation',
  check(f) {
    return (f.invocation.textProblems ?? []).map((p) => ({
      code: 'broken-line-continuation' as const,
      severity: 'warning' as const,
      message: p.message,
      range: p.range,
      fixes: [
        {
          title: 'Delete the blanks after the backslash',
          edits: [{ range: { start: p.range.start + 1, end: p.range.end }, newText: '' }],
          isPreferred: true,
        },
      ],
    }));
  },
};
