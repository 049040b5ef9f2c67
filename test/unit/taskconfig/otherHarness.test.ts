// Task configs of another harness (lmms-eval) are recognised from their project, not their keys, and
// checked only for what that harness's loader shares with lm-eval's (QA D3b: 2,645 errors on
// lmms-eval's lmms_eval/tasks/ before). A vendored lm-eval inside it is still lm-eval.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCheck } from '../../../server/src/cli/check';
import { otherHarnessSummaryLines } from '../../../server/src/cli/checkJson';
import type { FolderFiles } from '../../../server/src/node/folderPins';
import { projectFactsWalker } from '../../../server/src/node/projectFacts';
import { folderOwner } from '../../../server/src/node/taskHarness';
import { nodeTaskFileSystem } from '../../../server/src/node/taskFileSystem';
import { parseConfigJson } from '../../../server/src/project/configFile';
import { parseTomlText } from '../../../server/src/project/pyproject';
import { analyzeDocument, type ServiceContext } from '../../../server/src/service/analyze';
import type { Finding } from '../../../server/src/shared/findings';
import { harnessOfDistribution, harnessOfPackage } from '../../../server/src/taskconfig/otherHarness';
import { testContext, testProviders } from '../../helpers/context';
import { fixture, readFixture } from '../../helpers/paths';

const root = fixture('projects', 'lmms-eval-repo');
const LMMS_TASK = path.join(root, 'lmms_eval', 'tasks', 'mmmu', 'mmmu_val.yaml');
const LMMS_TEMPLATE = path.join(root, 'lmms_eval', 'tasks', 'mmmu', '_default_template_yaml');
const LMMS_BROKEN = path.join(root, 'lmms_eval', 'tasks', 'broken', 'broken.yaml');
const VENDORED = path.join(root, 'third_party', 'lm-evaluation-harness', 'lm_eval', 'tasks', 'demo', 'demo.yaml');
const OWN_PROJECT = path.join(root, 'examples', 'my_evals', 'tasks', 'mine.yaml');

function context(): ServiceContext {
  const walker = projectFactsWalker({ fs: nodeTaskFileSystem(), roots: [root], env: () => undefined });
  const ctx = testContext();
  ctx.providers = { ...testProviders(), projectFacts: (f) => walker.factsFor(f) };
  return ctx;
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
const brief = (f: Finding) => `${f.severity} ${f.code}${f.file ? ` in ${rel(f.file)}` : ''}`;

function analyze(file: string, languageId?: string) {
  const text = readFixture(...['projects', 'lmms-eval-repo', ...rel(file).split('/')]);
  return analyzeDocument({ path: file, text, ...(languageId ? { languageId } : {}) }, context());
}

describe('which harness a task config belongs to', () => {
  it('is read from the nearest package folder or project', () => {
    const walker = projectFactsWalker({ fs: nodeTaskFileSystem(), roots: [root], env: () => undefined });
    const of = (file: string) => walker.factsFor(file).taskHarness;
    assert.deepEqual(
      { harness: of(LMMS_TASK)?.harness, source: of(LMMS_TASK)?.source, written: of(LMMS_TASK)?.written },
      { harness: 'lmms-eval', source: 'package', written: 'lmms_eval/__init__.py' },
    );
    // The vendored copy's own lm_eval/ package is nearer than lmms-eval's project.
    assert.equal(of(VENDORED)?.harness, 'lm-eval');
    // A project of another name uses lm-eval (no harness fact: the default).
    assert.equal(of(OWN_PROJECT), undefined);
    // Above the package folder, the project's name decides.
    const readme = path.join(root, 'docs', 'tasks', 'x.yaml');
    assert.deepEqual(
      { harness: of(readme)?.harness, written: of(readme)?.written, line: of(readme)?.line },
      { harness: 'lmms-eval', written: 'name = "lmms_eval" in pyproject.toml', line: 4 },
    );
  });

  it('knows lmms-eval by package and distribution names, nothing else', () => {
    assert.equal(harnessOfPackage('lmms_eval'), 'lmms-eval');
    assert.equal(harnessOfPackage('lm_eval'), 'lm-eval');
    assert.equal(harnessOfPackage('lmms-eval'), undefined, 'a Python package folder has no dash');
    assert.equal(harnessOfPackage('tasks'), undefined);
    assert.equal(harnessOfDistribution('LMMS.Eval'), 'lmms-eval');
    assert.equal(harnessOfDistribution('lm_eval'), 'lm-eval');
    assert.equal(harnessOfDistribution('lmms-eval-extras'), undefined);
  });

  it('reads setup.cfg and setup.py names; a package folder needs its __init__.py', () => {
    const folder = (dir: string, files: Record<string, string>): FolderFiles => ({
      dir,
      names: Object.keys(files).map((name) => ({ name, isDirectory: false })),
      has: new Set(Object.keys(files)),
      read: (p) => files[path.basename(p)],
      ...(files['pyproject.toml'] !== undefined
        ? { pyproject: { text: files['pyproject.toml'], doc: parseTomlText(files['pyproject.toml']) } }
        : {}),
    });
    assert.equal(
      folderOwner(folder('/r', { 'setup.cfg': '[metadata]\nversion = 1\nname = lmms-eval\n' }))?.harness?.line,
      3,
    );
    assert.equal(
      folderOwner(folder('/r', { 'setup.py': 'from setuptools import setup\nsetup(name="lmms_eval")\n' }))?.harness
        ?.harness,
      'lmms-eval',
    );
    assert.deepEqual(folderOwner(folder('/r', { 'pyproject.toml': '[project]\nname = "mine"\n' })), {});
    assert.equal(folderOwner(folder('/r', { 'pyproject.toml': '[tool.ruff]\nline-length = 1\n' })), undefined);
    assert.equal(folderOwner(folder('/r/lmms_eval', { 'utils.py': '' })), undefined);
    assert.equal(folderOwner(folder('/r/lmms_eval', { '__init__.py': '' }))?.harness?.harness, 'lmms-eval');
  });

  it('the config file says which harness, per path, and rejects an unknown one', () => {
    const parsed = parseConfigJson(
      '{"task-harness": "lmms-eval", "overrides": [{"files": ["lm/**"], "taskHarness": "lm-eval"}]}',
    );
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.config.taskHarness, 'lmms-eval');
    assert.equal(parsed.config.overrides[0].taskHarness, 'lm-eval');
    const bad = parseConfigJson('{"task-harness": "opencompass"}');
    assert.equal(bad.problems.length, 1);
    assert.ok(bad.problems[0].invalidValue);
    assert.match(bad.problems[0].message, /"lm-eval", "lmms-eval"/);
  });
});

describe('an lmms-eval task config', () => {
  it('gets one note and no lm-eval schema findings (doc_to_visual, lmms_eval_specific_kwargs, list metadata)', () => {
    const a = analyze(LMMS_TASK);
    assert.equal(a.role, 'task-config');
    assert.deepEqual(a.findings.map(brief), ['info other-harness']);
    assert.match(a.findings[0].message, /This is a lmms-eval task config \(lmms_eval\/__init__\.py\)/);
    assert.match(a.findings[0].message, /task-harness = "lm-eval"/);
    // The template (not named .yaml, opened as YAML in the editor) is the same harness's.
    assert.deepEqual(analyze(LMMS_TEMPLATE, 'yaml').findings.map(brief), ['info other-harness']);
  });

  it("keeps its loader's problems, as warnings", () => {
    const a = analyze(LMMS_BROKEN);
    assert.deepEqual(a.findings.map(brief).sort(), [
      'info other-harness',
      'warning function-not-found',
      'warning function-not-found',
      'warning include-not-found',
    ]);
    const messages = a.findings.map((f) => f.message).join('\n');
    assert.match(
      messages,
      /`no_such_function` is not defined at the top level of utils\.py next to this YAML; lmms-eval raises AttributeError/,
    );
    assert.match(messages, /no helpers\.py next to this YAML\. lmms-eval then imports a module `helpers`/);
  });

  it('a vendored lm-eval and a project of its own are still checked as lm-eval', () => {
    const vendored = analyze(VENDORED);
    assert.equal(vendored.harness?.label, 'lm-eval 0.4.4 from pyproject.toml:3 (a vendored copy of lm-eval)');
    assert.ok(vendored.findings.some((f) => f.code === 'unknown-key' && f.severity === 'error'));
    assert.ok(!vendored.findings.some((f) => f.code === 'other-harness'));
    const own = analyze(OWN_PROJECT);
    assert.ok(own.findings.some((f) => f.code === 'unknown-key' && f.severity === 'error'));
  });

  it('the CLI reports exactly what the editor does, and sums the notes up in one line', () => {
    const ctx = context();
    const result = runCheck([root], ctx.settings, ctx.providers, { fs: nodeTaskFileSystem() });
    for (const file of [LMMS_TASK, LMMS_BROKEN, VENDORED, OWN_PROJECT]) {
      const fromCli = result.findings
        .filter((f) => f.file === file)
        .map((f) => `${f.severity} ${f.code} ${f.line + 1}:${f.column + 1} ${f.message}`)
        .sort();
      const editor = analyze(file);
      const text = readFixture(...['projects', 'lmms-eval-repo', ...rel(file).split('/')]);
      const fromEditor = editor.findings
        .filter((f) => !f.file)
        .map((f) => {
          const before = text.slice(0, f.range.start).split('\n');
          return `${f.severity} ${f.code} ${before.length}:${before.at(-1)!.length + 1} ${f.message}`;
        })
        .sort();
      assert.deepEqual(fromCli, fromEditor, rel(file));
    }
    assert.ok(
      !result.findings.some((f) => f.severity === 'error' && f.file.includes(`${path.sep}lmms_eval${path.sep}`)),
    );
    assert.equal(result.files.find((f) => f.path === LMMS_TASK)?.taskHarness?.harness, 'lmms-eval');
    assert.equal(result.files.find((f) => f.path === LMMS_TASK)?.harness, undefined);
    assert.equal(result.files.find((f) => f.path === VENDORED)?.taskHarness, undefined);
    assert.deepEqual(otherHarnessSummaryLines(result), [
      "2 task configs in lmms-eval's format (lmms_eval/__init__.py): checked for YAML syntax, include: and !function only, not against lm-eval's task schema (lmeval/other-harness).",
    ]);
  });
});
