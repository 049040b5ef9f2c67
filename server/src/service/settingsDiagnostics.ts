// Settings diagnostics (`invalid-setting`): a version or GPU in a directive, a setting or the project's
// config file that cannot be used. The editor has no exit code, so it says so in the document: at
// the directive when that is where the value is written, else on the launch's first line (or the
// document's first line), pointing at the config file when that is where it is written. The CLI
// rejects bad flags and config files before checking (exit 2), so it gets none of the latter.
import type { LaunchFacts } from '../facts/launch';
import type { ProjectConfig } from '../facts/providers';
import type { VersionProblem } from '../facts/versions';
import type { Directives } from '../parse/directives';
import type { Finding, OffsetRange } from '../shared/findings';
import type { ServiceContext } from './analyzedDocument';

/** The first line of the launch (or of the document), where a problem without a place of its own goes. */
function anchor(text: string, launch: LaunchFacts | undefined): OffsetRange {
  const start = launch ? launch.invocation.range.start : 0;
  const nl = text.indexOf('\n', start);
  const end = nl < 0 ? text.length : nl;
  return { start, end: Math.max(start, Math.min(end, start + 200)) };
}

export function settingsFindings(
  text: string,
  problems: readonly VersionProblem[],
  launch: LaunchFacts | undefined,
  directives: Directives,
  ctx: ServiceContext,
): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const push = (f: Finding) => {
    const key = `${f.range.start}:${f.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  };
  for (const p of problems) {
    push({ code: 'invalid-setting', severity: 'warning', message: p.message, range: p.range ?? anchor(text, launch) });
  }
  const unknownGpu = launch?.gpu.unknownName;
  if (unknownGpu) {
    const hint = `use a catalog name such as A100-80GB or H100-80GB, or a size such as 79.15GiB; ${launch.gpu.spec.name} (from ${launch.gpu.source}) is used meanwhile`;
    if (directives.gpu?.value === unknownGpu)
      push({
        code: 'invalid-setting',
        severity: 'warning',
        message: `gpu=${unknownGpu} is not a GPU in the catalog: ${hint}.`,
        range: directives.gpu.range,
      });
    else if (ctx.settings.gpu === unknownGpu)
      push({
        code: 'invalid-setting',
        severity: 'warning',
        message: `${ctx.origin === 'cli' ? '--gpu' : 'The setting lmEvalLens.gpu'} "${unknownGpu}" is not a GPU in the catalog: ${hint}.`,
        range: anchor(text, launch),
      });
  }
  return out;
}

/** The config file's problems, shown in every document it governs (the CLI stops on them instead). */
export function configFindings(config: ProjectConfig | undefined, ctx: ServiceContext): Finding[] {
  if (!config || ctx.origin === 'cli') return [];
  return config.problems.map((p) => ({
    code: 'invalid-setting' as const,
    severity: p.invalidValue ? ('warning' as const) : ('info' as const),
    message: `${config.file.replace(/^.*[\\/]/, '')}${p.line ? `:${p.line}` : ''}: ${p.message}.`.replace(/\.\.$/, '.'),
    range: { start: 0, end: 0 },
    related: [{ file: config.file, range: { start: 0, end: 0 }, message: 'the lm-eval-lens config file' }],
  }));
}
