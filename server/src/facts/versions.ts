// Which vLLM and which lm-eval a launch (or a task config) runs with, from the most specific source
// to the least, each answer naming where it was found ("vLLM 0.6.3 from requirements.txt:1"):
//   1. a `# lm-eval-lens: vllm=… harness=…` directive in the file;
//   2. the setting (editor) or flag (CLI);
//   3. the project's config file (.lm-eval-lens.json / [tool.lm-eval-lens], per-path overrides applied);
//   4. the launch's own script: `pip install vllm==X`, `uv pip install`, `uv run --with vllm==X` or
//      a vllm/vllm-openai image written before the launch (the nearest one wins), then an image in
//      a compose file or Dockerfile beside the script;
//   5. the project's pins, nearest folder first (requirements*.txt with -r includes, pyproject.toml,
//      uv.lock, poetry.lock, Pipfile.lock, environment.yml, setup.py/setup.cfg; in one folder an
//      exact pin beats a range);
//   6. the environment installed (the editor's selected interpreter, $VIRTUAL_ENV, $CONDA_PREFIX,
//      .venv/venv/env): site-packages/*.dist-info/METADATA, read as text;
//   7. lm-eval only: a vendored copy of lm-eval in the repository;
//   8. else the newest modelled, said as such.
// A range is taken at the newest release it allows; a version newer than the newest modelled is
// estimated as the newest, with a note. A directive or setting that is not a version is reported
// (a settings diagnostic) and the next source is used.
import type { VllmVersion } from '../memory/types';
import type { DirectiveValue } from '../parse/directives';
import { vllmImagePins, type ImagePin } from '../project/containerImages';
import { newestModelled, oldestModelled } from '../project/releases';
import { scriptInstallPins, type InstallPin } from '../project/scriptInstalls';
import type { TrackedPackage } from '../project/types';
import { compareParsed, parseVersionText, resolveSpec, toVllmVersion } from '../project/versionSpec';
import type { OffsetRange } from '../shared/findings';
import type { ProjectFacts, VersionEvidence, VersionSourceKind } from './providers';

export interface VersionFact {
  package: TrackedPackage;
  /** The version whose behaviour is modelled. */
  version: VllmVersion;
  /** That version as text (`0.6.3.post1`, or the newest modelled when the project's is newer). */
  text: string;
  source: VersionSourceKind;
  /** Where it is written: absolute path and 1-based line (absent for settings and the default). */
  file?: string;
  line?: number;
  /** What is written there (`vllm==0.6.3`, `vllm/vllm-openai:v0.6.3`). */
  written?: string;
  /** True when the source gives a range and its newest release is assumed. */
  range: boolean;
  /** What else the user should know (a range, a version newer than modelled, a quirk of the source). */
  notes: string[];
  /** One line for the hover, the CLI and the JSON: "vLLM 0.6.3 from requirements.txt:1". */
  label: string;
  /** lm-eval only: the folder holding the `lm_eval` package this version is of, when on disk. */
  sourceRoot?: string;
}

export interface VersionProblem {
  package: TrackedPackage;
  message: string;
  /** Set for a directive value (the diagnostic goes there). */
  range?: OffsetRange;
  source: 'directive' | 'settings';
}

/** What one document contributes to version resolution, computed once per document. */
export interface VersionContext {
  /** Absolute path of the document (undefined for unsaved ones). */
  file?: string;
  project?: ProjectFacts;
  /** How paths are shown; default: the file's base name. */
  displayPath?: (file: string) => string;
  /** `cli`: name flags (`--vllm-version`); else settings (`lmEvalLens.vllmVersion`). */
  origin?: 'editor' | 'cli';
}

export interface VersionRequest {
  package: TrackedPackage;
  directive?: DirectiveValue;
  /** 1-based line of the directive. */
  directiveLine?: number;
  setting?: string;
  /** The document's text and the launch's start, to read installs and images in the same script. */
  /** `from`: read nothing before it (a container of a manifest: its own image, not its neighbour's). */
  script?: { text: string; launchOffset: number; file?: string; from?: number };
}

const PACKAGE_LABEL: Record<TrackedPackage, string> = { vllm: 'vLLM', 'lm-eval': 'lm-eval' };
const SETTING: Record<TrackedPackage, { editor: string; cli: string }> = {
  vllm: { editor: 'the setting lmEvalLens.vllmVersion', cli: '--vllm-version' },
  'lm-eval': { editor: 'the setting lmEvalLens.harnessVersion', cli: '--harness-version' },
};

export function resolveVersion(
  req: VersionRequest,
  ctx: VersionContext,
): { fact: VersionFact; problems: VersionProblem[] } {
  const problems: VersionProblem[] = [];
  const show = (file: string) => (ctx.displayPath ? ctx.displayPath(file) : file.replace(/^.*[\\/]/, ''));
  const pkg = req.package;
  const name = PACKAGE_LABEL[pkg];

  const settingName = SETTING[pkg][ctx.origin ?? 'editor'];
  if (req.directive) {
    const fact = fromExplicit(
      pkg,
      req.directive.value,
      'directive',
      `the lm-eval-lens directive on line ${req.directiveLine ?? '?'}`,
    );
    if (fact) return { fact, problems };
    problems.push({
      package: pkg,
      source: 'directive',
      range: req.directive.range,
      message: `"${req.directive.value}" is not a ${name} version (e.g. ${pkg === 'vllm' ? '0.6.3' : '0.4.9'}); it is ignored.`,
    });
  }
  if (req.setting) {
    const fact = fromExplicit(pkg, req.setting, 'settings', settingName);
    if (fact) return { fact, problems };
    problems.push({
      package: pkg,
      source: 'settings',
      message: `${settingName} = "${req.setting}" is not a ${name} version (e.g. ${pkg === 'vllm' ? '0.6.3' : '0.4.9'}); it is ignored.`,
    });
  }

  // A manifest's own containers are read from its lines (script.from): the file is not also
  // evidence for a container whose image is another one.
  const own = (e: VersionEvidence) => req.script?.from !== undefined && !!ctx.file && e.file === ctx.file;
  const evidence = (ctx.project?.evidence ?? []).filter((e) => e.package === pkg && !own(e));
  const ordered: VersionEvidence[] = [
    ...evidence.filter((e) => e.kind === 'config-file'),
    ...(req.script ? scriptEvidence(pkg, req.script) : []),
    ...evidence.filter((e) => e.kind !== 'config-file'),
  ];
  const skipped: string[] = [];
  for (const e of ordered) {
    const fact = fromEvidence(e, show);
    if (fact) {
      fact.notes.push(...skipped);
      return { fact, problems };
    }
    skipped.push(`${where(e, show)}: ${e.written} is not a version constraint we can read; skipped.`);
  }
  const latest = newestModelled(pkg);
  const text = `${latest.major}.${latest.minor}.${latest.patch}`;
  return {
    fact: {
      package: pkg,
      version: latest,
      text,
      source: 'default',
      range: false,
      notes: skipped,
      label: `${name} ${text} (the newest modelled: nothing in the file, settings or project says which ${name})`,
    },
    problems,
  };
}

function fromExplicit(
  pkg: TrackedPackage,
  value: string,
  source: 'directive' | 'settings',
  from: string,
): VersionFact | undefined {
  const v = value.trim();
  const latest = newestModelled(pkg);
  if (/^(latest|newest)$/i.test(v)) {
    const text = `${latest.major}.${latest.minor}.${latest.patch}`;
    return {
      package: pkg,
      version: latest,
      text,
      source,
      range: false,
      notes: [],
      label: `${PACKAGE_LABEL[pkg]} ${text} (latest) from ${from}`,
    };
  }
  const parsed = parseVersionText(v);
  if (!parsed) return undefined;
  return finish(pkg, parsed, source, from, false, []);
}

function fromEvidence(e: VersionEvidence, show: (file: string) => string): VersionFact | undefined {
  const notes: string[] = [];
  let fact: VersionFact;
  if (e.spec.trim() === '') {
    // No version at all installs the newest release at the time it ran, which is not known here:
    // the same as no pin, the newest modelled (for vLLM and lm-eval alike), said as such.
    const latest = newestModelled(e.package);
    const text = `${latest.major}.${latest.minor}.${latest.patch}`;
    notes.push(
      `${e.written} names no version: it installs the newest release when it runs, so the newest modelled, ${text}, is assumed.`,
    );
    if (e.note) notes.push(e.note);
    fact = finish(e.package, parseVersionText(text)!, e.kind, where(e, show), true, notes, 'unpinned');
  } else {
    const r = resolveSpec(e.spec, e.dialect, e.package);
    if (!r) return undefined;
    if (r.range) notes.push(`${e.written} is a range: the newest release it allows, ${r.version.text}, is assumed.`);
    if (e.note) notes.push(e.note);
    fact = finish(e.package, r.version, e.kind, where(e, show), r.range, notes);
  }
  fact.file = e.file;
  if (e.line) fact.line = e.line;
  fact.written = e.written;
  if (e.sourceRoot) fact.sourceRoot = e.sourceRoot;
  return fact;
}

function where(e: VersionEvidence, show: (file: string) => string): string {
  const at = e.file ? `${show(e.file)}${e.line ? `:${e.line}` : ''}` : `line ${e.line ?? '?'}`;
  switch (e.kind) {
    case 'script':
    case 'container-image':
      return `${at} (${e.written})`;
    case 'installed':
      return `${at} (installed)`;
    case 'vendored':
      return `${at} (a vendored copy of lm-eval)`;
    default:
      return at;
  }
}

function finish(
  pkg: TrackedPackage,
  parsed: ReturnType<typeof parseVersionText> & object,
  source: VersionSourceKind,
  from: string,
  range: boolean,
  notes: string[],
  /** `unpinned`: the source names no version at all (a range with no bound). */
  pin: 'pinned' | 'unpinned' = 'pinned',
): VersionFact {
  const name = PACKAGE_LABEL[pkg];
  const latest = newestModelled(pkg);
  const latestText = `${latest.major}.${latest.minor}.${latest.patch}`;
  const beyond = compareParsed(parsed, parseVersionText(latestText)!) > 0;
  if (beyond) {
    notes.push(
      `${name} ${parsed.text} is newer than the newest ${name} modelled (${latestText}): it is judged as ${latestText}.`,
    );
    return {
      package: pkg,
      version: latest,
      text: latestText,
      source,
      range,
      notes,
      label: `${name} ${parsed.text} from ${from}, judged as ${latestText} (the newest modelled)`,
    };
  }
  // Older than the oldest modelled accounting (vLLM 0.4.0): estimated with that one's, and said.
  const oldest = oldestModelled(pkg);
  const oldestText = oldest && `${oldest.major}.${oldest.minor}.${oldest.patch}`;
  const before = oldestText !== undefined && compareParsed(parsed, parseVersionText(oldestText)!) < 0;
  if (before)
    notes.push(
      `${name} ${parsed.text} predates the oldest ${name} modelled (${oldestText}): its memory is estimated with ${oldestText}'s accounting, and memory findings are at most warnings.`,
    );
  return {
    package: pkg,
    version: toVllmVersion(parsed),
    text: parsed.text,
    source,
    range,
    notes,
    label: `${name} ${parsed.text} from ${from}${pin === 'unpinned' ? ' (no version named: the newest modelled)' : range ? ' (a range: its newest release)' : ''}${before ? `, estimated with ${oldestText}'s accounting (older than modelled)` : ''}`,
  };
}

/**
 * Every install and image of a script, read once for all its launches (#18: a script with 500
 * launches is not rescanned 500 times). Each launch keeps those before it.
 */
let lastScript:
  | { text: string; pins: Array<(InstallPin | ImagePin) & { kind: 'script' | 'container-image' }> }
  | undefined;

function scriptPins(text: string) {
  if (lastScript?.text === text) return lastScript.pins;
  const pins = [
    ...scriptInstallPins(text).map((p) => ({ ...p, kind: 'script' as const })),
    ...vllmImagePins(text).map((p) => ({ ...p, kind: 'container-image' as const })),
  ];
  lastScript = { text, pins };
  return pins;
}

/**
 * Installs and images written in the launch's script before it, the launch's own lines included:
 * `docker run --rm \` with the image on the next line (QA D9) names the image of this launch.
 */
function scriptEvidence(pkg: TrackedPackage, script: NonNullable<VersionRequest['script']>): VersionEvidence[] {
  const end = commandEnd(script.text, script.launchOffset);
  const found = scriptPins(script.text)
    .filter((p) => p.package === pkg && p.offset < end && p.offset >= (script.from ?? 0))
    .sort((a, b) => b.offset - a.offset);
  return found.map((p) => ({
    package: p.package,
    kind: p.kind,
    file: script.file ?? '',
    line: p.line,
    spec: p.spec,
    dialect: p.dialect,
    written: p.written,
  }));
}

/** The end of the command line starting at `offset`: its `\`-continued lines (blanks after the `\` tolerated) included. */
function commandEnd(text: string, offset: number): number {
  let from = offset;
  // Bounded: a command continued over more lines than this is read up to here.
  for (let lines = 0; lines < 500; lines++) {
    const nl = text.indexOf('\n', from);
    if (nl < 0) return text.length;
    if (!/\\[ \t]*\r?$/.test(text.slice(Math.max(from, nl - 256), nl))) return nl;
    from = nl + 1;
  }
  return from;
}
