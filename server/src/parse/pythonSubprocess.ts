// subprocess / os.system calls that run the CLI: a command string goes to the shell reader through
// the string's composed map; an argv list is read word by word (`sys.executable` is `python`, any
// other expression an unknown word).
import type { OffsetRange } from '../shared/findings';
import { MappedBuilder } from './mappedText';
import { evalString, resolveSpan, sourceText, tokRange, type PyCtx } from './pythonExpr';
import { closingIndex, items } from './pythonTokens';
import { scanShell } from './shell';
import type { ArgWord } from './shellCommand';
import { invocationFromArgv } from './shellLaunch';
import type { Located, LmEvalInvocation } from './types';

/** The launch a `subprocess.run(...)`-like call with its `(` at token `open` runs, if any. */
export function subprocessCall(
  ctx: PyCtx,
  open: number,
  close: number,
  env: Record<string, Located<string>>,
): LmEvalInvocation[] {
  const toks = ctx.toks;
  const its = items(toks, open, close);
  if (!its.length) return [];
  const s = evalString(ctx, its[0][0], its[0][1], open);
  if (s) return scanShell(s.mapped, { embedding: ctx.embedding === 'python' ? 'shell' : ctx.embedding, env });
  const [x] = resolveSpan(ctx, its[0][0], its[0][1], open);
  if (toks[x]?.text !== '[' && toks[x]?.text !== '(') return [];
  const listClose = closingIndex(toks, x);
  const words: ArgWord[] = [];
  for (const [p, q] of items(toks, x, listClose)) {
    const str = evalString(ctx, p, q, open);
    if (str) {
      words.push({ value: str.mapped, range: str.range });
      continue;
    }
    const [rp, rq] = resolveSpan(ctx, p, q, open);
    const text = sourceText(ctx, rp, rq);
    const range: OffsetRange = tokRange(ctx, rp, rq);
    const b = new MappedBuilder(ctx.src);
    if (text === 'sys.executable') b.add('python', toks[rp].start, toks[rq - 1].end);
    else b.addHole(text, toks[rp].start, toks[rq - 1].end);
    words.push({ value: b.build(toks[rq - 1].end), range });
  }
  const inv = invocationFromArgv(words, { embedding: ctx.embedding, env });
  return inv ? [inv] : [];
}
