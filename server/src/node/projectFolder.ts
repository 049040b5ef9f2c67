// What one folder of a project says, read once: the lm-eval-lens config file, version pins, the
// vLLM container images of its compose files and Dockerfiles, vendored lm-eval copies, and the
// virtual environments it holds.
import * as path from 'node:path';
import type { VersionEvidence } from '../facts/providers';
import { parseConfigJson, parsePyprojectConfig, type ParsedConfig } from '../project/configFile';
import { vllmImagePins } from '../project/containerImages';
import { parseTomlText } from '../project/pyproject';
import type { TaskFileSystem } from '../taskconfig/types';
import { type FolderFiles, folderPins, projectPin } from './folderPins';
import { type FolderOwner, folderOwner } from './taskHarness';
import { vendoredHarnesses } from './vendoredHarness';

export interface FolderLevel {
  config?: { file: string; parsed: ParsedConfig };
  /** Pins written in this folder, the most specific first. */
  pins: VersionEvidence[];
  /** Container images in compose files and Dockerfiles of this folder. */
  images: VersionEvidence[];
  /** lm-eval checkouts at or just below this folder. */
  vendored: VersionEvidence[];
  /** Virtual environments in this folder (.venv, venv, env). */
  venvs: string[];
  /** A harness's package folder or a project: whose task configs lie below (node/taskHarness.ts). */
  owner?: FolderOwner;
}

const COMPOSE_FILE = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$|^Dockerfile([.-][\w.-]+)?$|^[\w.-]+\.Dockerfile$/i;

export function readFolderLevel(fs: TaskFileSystem, dir: string): FolderLevel {
  const names = (fs.listDir(dir) ?? []).slice(0, 4096);
  const has = new Set(names.map((e) => e.name));
  const read = (p: string) => fs.readFile(p);
  const pyprojectText = has.has('pyproject.toml') ? read(path.join(dir, 'pyproject.toml')) : undefined;
  const folder: FolderFiles = {
    dir,
    names,
    has,
    read,
    ...(pyprojectText !== undefined ? { pyproject: { text: pyprojectText, doc: parseTomlText(pyprojectText) } } : {}),
  };
  const level: FolderLevel = { pins: [], images: [], vendored: [], venvs: [] };
  const config = configFile(folder);
  if (config) level.config = config;
  level.pins = folderPins(folder);
  level.images = containerImages(folder);
  level.vendored = vendoredHarnesses(fs, dir, names);
  for (const venv of ['.venv', 'venv', 'env']) if (has.has(venv)) level.venvs.push(path.join(dir, venv));
  const owner = folderOwner(folder);
  if (owner) level.owner = owner;
  return level;
}

/** The config file: .lm-eval-lens.json wins over pyproject.toml in the same folder. */
function configFile({ dir, has, read, pyproject }: FolderFiles): FolderLevel['config'] {
  if (has.has('.lm-eval-lens.json')) {
    const text = read(path.join(dir, '.lm-eval-lens.json'));
    if (text !== undefined) return { file: path.join(dir, '.lm-eval-lens.json'), parsed: parseConfigJson(text) };
  }
  if (pyproject) {
    const parsed = parsePyprojectConfig(pyproject.text, pyproject.doc);
    if (parsed) return { file: path.join(dir, 'pyproject.toml'), parsed };
  }
  return undefined;
}

/** vLLM images named in the folder's compose files and Dockerfiles. */
function containerImages({ dir, names, read }: FolderFiles): VersionEvidence[] {
  const images: VersionEvidence[] = [];
  for (const e of names) {
    if (e.isDirectory || !COMPOSE_FILE.test(e.name)) continue;
    const file = path.join(dir, e.name);
    const text = read(file);
    if (text === undefined) continue;
    for (const p of vllmImagePins(text)) images.push({ ...projectPin(file, p), kind: 'container-image' });
  }
  return images;
}
