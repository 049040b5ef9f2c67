// Here-documents (`<<EOF`, `<<-EOF`): where a body ends, and who reads it — a shell (`bash <<EOF`,
// `sbatch <<EOF`, `cat <<EOF > job.sh`) or Python (`python - <<EOF`) — also when the text reaches
// the reader through a pipe (`cat <<EOF | bash`). Bodies nobody we follow reads are skipped.
import type { Command, Heredoc } from './shellCommand';
import type { ProgramMatch } from './shellPrograms';

/** The body of a here-document that starts at t[i]: where it ends, and the index past its delimiter line. */
export function heredocExtent(t: string, i: number, h: Heredoc): { bodyEnd: number; after: number } {
  let j = i;
  while (j < t.length) {
    const nl = t.indexOf('\n', j);
    const lineEnd = nl < 0 ? t.length : nl;
    let line = t.slice(j, lineEnd).replace(/\r$/, '');
    if (h.stripTabs) line = line.replace(/^\t+/, '');
    if (line === h.delimiter) return { bodyEnd: j, after: nl < 0 ? t.length : nl + 1 };
    j = nl < 0 ? t.length : nl + 1;
  }
  return { bodyEnd: t.length, after: t.length };
}

/** Set who reads the here-documents of `cmd`, and of the command piped into it, now that `p` is known. */
export function assignHeredocReaders(p: ProgramMatch, cmd: Command, pipedFrom: Command | undefined): void {
  for (const h of cmd.heredocs) h.consumer = stdinConsumer(p, cmd.redirectOut);
  if (pipedFrom?.heredocs.length) {
    const consumer = stdinConsumer(p, cmd.redirectOut);
    for (const h of pipedFrom.heredocs) if (!h.consumer) h.consumer = consumer;
  }
}

/** Who reads a here-document (or piped text) given to this command. */
function stdinConsumer(p: ProgramMatch, redirectOut?: string): Heredoc['consumer'] {
  if (p.kind === 'shell') return 'shell';
  if (p.kind === 'python') return 'python';
  if (p.kind === 'cat' && redirectOut && /\.(sh|bash|slurm|sbatch|job)$/.test(redirectOut)) return 'shell';
  if (p.kind === 'cat' && redirectOut && /\.py$/.test(redirectOut)) return 'python';
  return undefined;
}
