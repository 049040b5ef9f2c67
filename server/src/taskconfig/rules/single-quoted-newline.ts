// single-quoted-newline: `'\n'` in single quotes (or unquoted) is a backslash and an n, not a newline,
// in `generation_kwargs.until`, `fewshot_delimiter` and `target_delimiter` — so generation does not stop
// at line ends, or shots run together. The fix writes the same text in double quotes.
import { entryOf, type YNode } from '../yamlTree';
import type { FindingSink } from '../findingsUtil';
import { replaceFix } from '../findingsUtil';
import type { TaskConfigRule } from './rule';
import { isTaskLike } from './structure';

const CODE = 'single-quoted-newline';

function checkNewlineLiteral(node: YNode, key: string, sink: FindingSink): void {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') return;
  if (node.style !== 'single' && node.style !== 'plain') return;
  if (!/\\[nt]/.test(node.value)) return;
  const doubled = `"${node.value.replace(/"/g, '\\"')}"`;
  sink.node(
    node,
    CODE,
    'warning',
    `\`${key}\` is ${node.style === 'single' ? 'single-quoted' : 'unquoted'}, so \`\\n\` here is a backslash and an "n", not a newline${key === 'until' ? ': generation will not stop at line ends' : ''}. Use double quotes: ${doubled}.`,
    { fixes: [replaceFix('Use double quotes', node.range, doubled)] },
  );
}

export const singleQuotedNewline: TaskConfigRule = {
  code: CODE,
  check(f, sink) {
    if (!isTaskLike(f)) return;
    const gen = f.entries.get('generation_kwargs');
    const until = gen && gen.value.kind === 'map' ? entryOf(gen.value, 'until') : undefined;
    if (until)
      for (const item of until.value.kind === 'seq' ? until.value.items : [until.value])
        checkNewlineLiteral(item, 'until', sink);
    for (const key of ['fewshot_delimiter', 'target_delimiter']) {
      const e = f.entries.get(key);
      if (e) checkNewlineLiteral(e.value, key, sink);
    }
  },
};
