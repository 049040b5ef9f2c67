// Walks from a file up to its workspace (or repository) root and collects what the project says:
// the nearest lm-eval-lens config file, container images beside the file, version pins in
// requirements / pyproject / lock files / environment.yml / setup files, the packages installed in
// the Python environment (dist-info METADATA, read as text), and vendored copies of lm-eval. Each
// folder is read once and remembered for a few seconds; `invalidate()` forgets everything at once.
import * as path from 'node:path';
import type { ProjectConfig, ProjectFacts, VersionEvidence } from '../facts/providers';
import { configValuesFor, parseConfigJson, parsePyprojectConfig, type ParsedConfig } from '../project/configFile';
import { condaEnvironmentPins } from '../project/condaEnvironment';
import { vllmImagePins } from '../project/containerImages';
import { parseDistFolderName, parseDistMetadata } from '../project/distInfo';
import { pipfileLockPins, tomlLockPins } from '../project/lockFiles';
import { parseTomlText, pyprojectPins } from '../project/pyproject';
import { parseRequirementsTxt } from '../project/requirementsTxt';
import { setupCfgPins, setupPyPins } from '../project/setupFiles';
import type { PackagePin } from '../project/types';
import { harnessCheckoutVersion } from '../project/vendoredHarness';
import { resolveSpec } from '../project/versionSpec';
import type { PythonEnvironment } from '../shared/messages';
import type { TaskFileSystem } from '../taskconfig/types';

export interface ProjectWalkOptions {
  fs: TaskFileSystem;
  /** Workspace folders (editor) or the checked repository (CLI): the walk stops at the one holding the file. */
  roots: readonly string[];
  /** Where the walk stops for a file in no root and no git repository, when it holds the file (the CLI's current folder). */
  fallbackRoot?: string;
  env(name: string): string | undefined;
  homeDir?: string;
  /** The Python extension's selected interpreters (VS Code). */
  pythonEnvironments?: readonly PythonEnvironment[];
  /** Folder-level results are reused for this long (the server re-reads edited files after it). */
  freshForMs?: number;
  now?: () => number;
}

interface FolderLevel {
  config?: { file: string; parsed: ParsedConfig };
  /** Pins written in this folder, the most specific first. */
  pins: VersionEvidence[];
  /** Container images in compose files and Dockerfiles of this folder. */
  images: VersionEvidence[];
  /** lm-eval checkouts at or just below this folder. */
  vendored: VersionEvidence[];
  /** Virtual environments in this folder (.venv, venv, env). */
  venvs: string[];
}

const MAX_DEPTH = 24;
const MAX_INCLUDE_DEPTH = 5;
const MAX_CHILDREN = 256;
const VENDOR_FOLDERS =
  /^(third[_-]?party|3rdparty|vendor|vendored|external|extern|submodules|deps|libs?|packages|src)$/i;
const COMPOSE_FILE = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$|^Dockerfile([.-][\w.-]+)?$|^[\w.-]+\.Dockerfile$/i;
const REQUIREMENTS_FILE = /^(.*[-_.])?requirements([-_.].*)?\.(txt|in)$/i;

export interface ProjectFactsWalker {
  factsFor(file: string): ProjectFacts;
  /** The folder the walk for `file` stops at (its workspace root, else its repository), if any. */
  rootOf(file: string): string | undefined;
  invalidate(): void;
}

export function projectFactsWalker(opts: ProjectWalkOptions): ProjectFactsWalker {
  const fs = opts.fs;
  const now = opts.now ?? Date.now;
  const freshForMs = opts.freshForMs ?? 3000;
  const levels = new Map<string, { at: number; level: FolderLevel }>();
  const roots = opts.roots.map((r) => path.resolve(r));

  const read = (p: string) => fs.readFile(p);
  const isDir = (p: string) => fs.listDir(p) !== undefined;

  const rootOf = (file: string): string | undefined => {
    const abs = path.resolve(file);
    let best: string | undefined;
    for (const r of roots) if (isInside(abs, r) && (!best || r.length > best.length)) best = r;
    if (best) return best;
    for (let d = path.dirname(abs), i = 0; i < MAX_DEPTH; i++) {
      if (fs.exists(path.join(d, '.git'))) return d;
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
    const fallback = opts.fallbackRoot && path.resolve(opts.fallbackRoot);
    return fallback && isInside(abs, fallback) ? fallback : undefined;
  };

  /** The file's folder and its ancestors, up to the root (inclusive); never the home folder itself. */
  const ancestors = (file: string): string[] => {
    const abs = path.resolve(file);
    const stop = rootOf(abs);
    const out: string[] = [];
    for (let d = path.dirname(abs); out.length < MAX_DEPTH; ) {
      if (opts.homeDir && path.resolve(d) === path.resolve(opts.homeDir) && d !== stop) break;
      out.push(d);
      if (d === stop) break;
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
    return out;
  };

  const levelOf = (dir: string): FolderLevel => {
    const hit = levels.get(dir);
    if (hit && now() - hit.at < freshForMs) return hit.level;
    const level = readLevel(dir);
    levels.set(dir, { at: now(), level });
    return level;
  };

  const readLevel = (dir: string): FolderLevel => {
    const names = (fs.listDir(dir) ?? []).slice(0, 4096);
    const has = new Set(names.map((e) => e.name));
    const level: FolderLevel = { pins: [], images: [], vendored: [], venvs: [] };
    const pin = (file: string, p: PackagePin, note?: string): VersionEvidence => ({
      package: p.package,
      kind: 'project',
      file,
      line: p.line,
      spec: p.spec,
      dialect: p.dialect,
      written: p.written,
      ...(note ? { note } : {}),
    });

    // The config file: .lm-eval-lens.json wins over pyproject.toml in the same folder.
    let pyprojectText: string | undefined;
    if (has.has('pyproject.toml')) pyprojectText = read(path.join(dir, 'pyproject.toml'));
    const pyprojectDoc = pyprojectText !== undefined ? parseTomlText(pyprojectText) : undefined;
    if (has.has('.lm-eval-lens.json')) {
      const text = read(path.join(dir, '.lm-eval-lens.json'));
      if (text !== undefined)
        level.config = { file: path.join(dir, '.lm-eval-lens.json'), parsed: parseConfigJson(text) };
    }
    if (!level.config && pyprojectText !== undefined) {
      const parsed = parsePyprojectConfig(pyprojectText, pyprojectDoc);
      if (parsed) level.config = { file: path.join(dir, 'pyproject.toml'), parsed };
    }

    // Pins, in the order the README lists the files.
    const pins: VersionEvidence[] = [];
    const requirements = names
      .filter((e) => !e.isDirectory && REQUIREMENTS_FILE.test(e.name))
      .map((e) => e.name)
      .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    const seen = new Set<string>();
    const readRequirements = (file: string, depth: number) => {
      if (seen.has(file) || depth > MAX_INCLUDE_DEPTH) return;
      seen.add(file);
      const text = read(file);
      if (text === undefined) return;
      const parsed = parseRequirementsTxt(text);
      for (const p of parsed.pins) pins.push(pin(file, p));
      for (const inc of parsed.includes) readRequirements(path.resolve(path.dirname(file), inc.path), depth + 1);
    };
    for (const r of requirements) readRequirements(path.join(dir, r), 0);
    if (pyprojectText !== undefined)
      for (const p of pyprojectPins(pyprojectText, pyprojectDoc)) pins.push(pin(path.join(dir, 'pyproject.toml'), p));
    for (const lock of ['uv.lock', 'poetry.lock']) {
      const text = has.has(lock) ? read(path.join(dir, lock)) : undefined;
      if (text !== undefined) for (const p of tomlLockPins(text, lock)) pins.push(pin(path.join(dir, lock), p));
    }
    const pipfileLock = has.has('Pipfile.lock') ? read(path.join(dir, 'Pipfile.lock')) : undefined;
    if (pipfileLock !== undefined)
      for (const p of pipfileLockPins(pipfileLock)) pins.push(pin(path.join(dir, 'Pipfile.lock'), p));
    for (const env of ['environment.yml', 'environment.yaml']) {
      const text = has.has(env) ? read(path.join(dir, env)) : undefined;
      if (text !== undefined) for (const p of condaEnvironmentPins(text)) pins.push(pin(path.join(dir, env), p));
    }
    const setupPy = has.has('setup.py') ? read(path.join(dir, 'setup.py')) : undefined;
    if (setupPy !== undefined) for (const p of setupPyPins(setupPy)) pins.push(pin(path.join(dir, 'setup.py'), p));
    const setupCfg = has.has('setup.cfg') ? read(path.join(dir, 'setup.cfg')) : undefined;
    if (setupCfg !== undefined) for (const p of setupCfgPins(setupCfg)) pins.push(pin(path.join(dir, 'setup.cfg'), p));
    // A requirement with no version says nothing. In one folder an exact pin (a lock file, `==`)
    // is more specific than a range, so it comes first; otherwise the order above.
    const exact = (e: VersionEvidence) => resolveSpec(e.spec, e.dialect, e.package)?.range === false;
    const useful = pins.filter((e) => e.spec.trim() !== '' || e.dialect === 'exact');
    level.pins = [...useful.filter(exact), ...useful.filter((e) => !exact(e))];

    for (const e of names) {
      if (e.isDirectory || !COMPOSE_FILE.test(e.name)) continue;
      const file = path.join(dir, e.name);
      const text = read(file);
      if (text === undefined) continue;
      for (const p of vllmImagePins(text)) level.images.push({ ...pin(file, p), kind: 'container-image' });
    }

    // Vendored lm-eval: this folder, its children, and the children of vendor-like children.
    const checkouts = [dir];
    for (const e of names.slice(0, MAX_CHILDREN)) {
      if (!e.isDirectory || e.name.startsWith('.') || e.name === 'node_modules') continue;
      const child = path.join(dir, e.name);
      checkouts.push(child);
      if (VENDOR_FOLDERS.test(e.name))
        for (const g of (fs.listDir(child) ?? []).slice(0, MAX_CHILDREN))
          if (g.isDirectory && !g.name.startsWith('.')) checkouts.push(path.join(child, g.name));
    }
    for (const c of checkouts) {
      const v = vendoredHarness(c);
      if (v) level.vendored.push(v);
    }

    for (const venv of ['.venv', 'venv', 'env']) if (has.has(venv)) level.venvs.push(path.join(dir, venv));
    return level;
  };

  const vendoredHarness = (dir: string): VersionEvidence | undefined => {
    const initPath = path.join(dir, 'lm_eval', '__init__.py');
    const hasInit = fs.exists(initPath);
    const pyprojectToml = read(path.join(dir, 'pyproject.toml'));
    if (!hasInit && !(pyprojectToml && /^name\s*=\s*["']lm[-_]eval["']/m.test(pyprojectToml))) return undefined;
    const v = harnessCheckoutVersion({
      pyprojectToml,
      initPy: hasInit ? read(initPath) : undefined,
      setupPy: read(path.join(dir, 'setup.py')),
    });
    if (!v) return undefined;
    return {
      package: 'lm-eval',
      kind: 'vendored',
      file: path.join(dir, v.file),
      line: v.line,
      spec: v.version,
      dialect: 'exact',
      written: `lm-eval ${v.version} (a copy of lm-eval in ${path.basename(dir)})`,
      ...(v.note ? { note: v.note } : {}),
    };
  };

  const installed = (file: string, chain: string[]): VersionEvidence[] => {
    const prefixes: string[] = [];
    const env = selectedEnvironment(opts.pythonEnvironments ?? [], file);
    if (env) prefixes.push(env.sysPrefix ?? prefixOfInterpreter(env.path, isDir));
    for (const v of ['VIRTUAL_ENV', 'CONDA_PREFIX']) {
      const p = opts.env(v);
      if (p) prefixes.push(p);
    }
    for (const d of chain) prefixes.push(...levelOf(d).venvs);
    const out: VersionEvidence[] = [];
    for (const prefix of [...new Set(prefixes)]) out.push(...installedIn(prefix));
    return out;
  };

  /** Everything but the config file's per-path values, for all files of one folder. */
  const folderCache = new Map<
    string,
    { at: number; facts: { config?: FolderLevel['config']; evidence: VersionEvidence[] } }
  >();
  const folderFacts = (dir: string) => {
    const hit = folderCache.get(dir);
    if (hit && now() - hit.at < freshForMs) return hit.facts;
    const chain = ancestors(path.join(dir, '_'));
    const levelsUp = chain.map(levelOf);
    const evidence: VersionEvidence[] = [...(levelsUp[0]?.images ?? [])];
    for (const l of levelsUp) evidence.push(...l.pins);
    evidence.push(...installed(path.join(dir, '_'), chain));
    for (const l of levelsUp) evidence.push(...l.vendored);
    const facts = { config: levelsUp.find((l) => l.config)?.config, evidence };
    folderCache.set(dir, { at: now(), facts });
    return facts;
  };

  const installedCache = new Map<string, { at: number; evidence: VersionEvidence[] }>();
  const installedIn = (prefix: string): VersionEvidence[] => {
    const hit = installedCache.get(prefix);
    if (hit && now() - hit.at < freshForMs) return hit.evidence;
    const evidence: VersionEvidence[] = [];
    for (const site of sitePackages(prefix)) {
      for (const e of (fs.listDir(site) ?? []).slice(0, 20_000)) {
        if (!e.isDirectory || !/^(vllm|lm[_-]eval)-.*\.(dist|egg)-info$/i.test(e.name)) continue;
        const folder = parseDistFolderName(e.name);
        const metaFile = path.join(site, e.name, e.name.endsWith('.egg-info') ? 'PKG-INFO' : 'METADATA');
        const meta = read(metaFile);
        const dist = (meta !== undefined ? parseDistMetadata(meta) : undefined) ?? folder;
        if (!dist) continue;
        evidence.push({
          package: dist.package,
          kind: 'installed',
          file: dist.line ? metaFile : path.join(site, e.name),
          ...(dist.line ? { line: dist.line } : {}),
          spec: dist.version,
          dialect: 'exact',
          written: `${dist.package} ${dist.version} installed in ${prefix}`,
        });
      }
    }
    installedCache.set(prefix, { at: now(), evidence });
    return evidence;
  };

  const sitePackages = (prefix: string): string[] => {
    const out: string[] = [];
    for (const lib of ['lib', 'lib64']) {
      for (const e of fs.listDir(path.join(prefix, lib)) ?? []) {
        if (e.isDirectory && /^python\d/.test(e.name)) {
          const site = path.join(prefix, lib, e.name, 'site-packages');
          if (isDir(site)) out.push(site);
        }
      }
    }
    const windows = path.join(prefix, 'Lib', 'site-packages');
    if (isDir(windows)) out.push(windows);
    return out;
  };

  return {
    rootOf,
    factsFor(file: string): ProjectFacts {
      const abs = path.resolve(file);
      const folder = folderFacts(path.dirname(abs));
      const facts: ProjectFacts = { evidence: [] };
      if (folder.config) {
        const { file: configFile, parsed } = folder.config;
        const values = configValuesFor(parsed.config, path.relative(path.dirname(configFile), abs));
        const config: ProjectConfig = { file: configFile, values, problems: parsed.problems };
        facts.config = config;
        const text = read(configFile) ?? '';
        for (const [pkg, value, keys] of [
          ['vllm', values.vllmVersion, ['vllm-version', 'vllmVersion']],
          ['lm-eval', values.harnessVersion, ['harness-version', 'harnessVersion', 'lm-eval-version']],
        ] as const) {
          if (!value) continue;
          facts.evidence.push({
            package: pkg,
            kind: 'config-file',
            file: configFile,
            line: keyLine(text, keys),
            spec: value,
            dialect: 'exact',
            written: `${keys[0]} = "${value}"`,
          });
        }
      }
      facts.evidence.push(...folder.evidence);
      return facts;
    },
    invalidate() {
      levels.clear();
      folderCache.clear();
      installedCache.clear();
    },
  };
}

/** requirements.txt first, then requirements-*.txt, then other names, then `.in` sources. */
function rank(name: string): number {
  const n = name.toLowerCase();
  if (n === 'requirements.txt') return 0;
  if (n.startsWith('requirements')) return n.endsWith('.in') ? 3 : 1;
  return n.endsWith('.in') ? 3 : 2;
}

function keyLine(text: string, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const m = new RegExp(`^[ \\t]*["']?${k}["']?[ \\t]*[=:]`, 'm').exec(text);
    if (m) return text.slice(0, m.index).split('\n').length;
  }
  return undefined;
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function selectedEnvironment(envs: readonly PythonEnvironment[], file: string): PythonEnvironment | undefined {
  let best: PythonEnvironment | undefined;
  let bestLen = -1;
  for (const e of envs) {
    if (!e.folderUri) {
      if (bestLen < 0) [best, bestLen] = [e, 0];
      continue;
    }
    const folder = uriToPath(e.folderUri);
    if (folder && isInside(file, folder) && folder.length > bestLen) [best, bestLen] = [e, folder.length];
  }
  return best;
}

function uriToPath(uri: string): string | undefined {
  try {
    const u = new URL(uri);
    if (u.protocol !== 'file:') return undefined;
    const p = decodeURIComponent(u.pathname);
    return /^\/[A-Za-z]:/.test(p) ? p.slice(1) : p;
  } catch {
    return undefined;
  }
}

/** `…/.venv/bin/python3` → `…/.venv`; `C:\\env\\Scripts\\python.exe` → `C:\\env`; a conda `python.exe` at the root → its folder. */
export function prefixOfInterpreter(interpreter: string, isDir: (p: string) => boolean): string {
  if (isDir(interpreter)) return interpreter;
  const dir = path.dirname(interpreter);
  const base = path.basename(dir).toLowerCase();
  return base === 'bin' || base === 'scripts' ? path.dirname(dir) : dir;
}
