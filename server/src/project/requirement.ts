// One requirement as pip reads it (PEP 508 plus the URL forms requirements files use), reduced to
// what we need: which tracked package, and the version constraint. A wheel's file name, an sdist's,
// or a git tag (`@v0.4.4`) gives an exact version; a branch or commit gives none.
import { trackedPackage, type SpecDialect, type TrackedPackage } from './types';

export interface Requirement {
  package: TrackedPackage;
  spec: string;
  dialect: SpecDialect;
}

const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/s;

/** `vllm==0.6.3`, `lm_eval[vllm]>=0.4.2,<0.5 ; python_version>"3.8"`, `vllm @ https://…whl`, `git+…@v0.4.4#egg=lm_eval`. */
export function parseRequirement(text: string): Requirement | undefined {
  const s = text.trim();
  if (!s || s.length > 4096) return undefined;
  if (/^(git\+|hg\+|svn\+|bzr\+|https?:|file:|\.{0,2}\/)/i.test(s)) return fromUrl(s.split(/\s+;/)[0]);
  const m = NAME_RE.exec(s);
  if (!m) return undefined;
  const pkg = trackedPackage(m[1]);
  if (!pkg) return undefined;
  let rest = m[3].trim();
  if (rest.startsWith('@')) return fromUrl(rest.slice(1).trim().split(/\s+;/)[0], pkg);
  rest = rest.split(';')[0].trim();
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  return { package: pkg, spec: rest.replace(/\s+/g, ''), dialect: 'pep440' };
}

/** The tracked package and exact version a URL or path names, when it names one. */
export function fromUrl(url: string, declared?: TrackedPackage): Requirement | undefined {
  const u = url.trim();
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(u);
  const file = u.split(/[?#]/)[0].replace(/\/+$/, '');
  const base = file.slice(file.lastIndexOf('/') + 1);
  // vllm-0.6.1.post1+cu118-cp310-cp310-manylinux1_x86_64.whl, lm_eval-0.4.4-py3-none-any.whl
  const wheel = /^([A-Za-z0-9_.]+?)-(\d[^-]*)-.*\.whl$/i.exec(base);
  const sdist = /^([A-Za-z0-9_.-]+?)-(\d[\w.+!]*)\.(?:tar\.gz|tgz|zip|tar\.bz2)$/i.exec(base);
  const named = wheel ?? sdist;
  if (named) {
    const pkg = trackedPackage(named[1]) ?? declared;
    return pkg && (!declared || declared === pkg) ? { package: pkg, spec: named[2], dialect: 'exact' } : undefined;
  }
  const pkg = declared ?? (egg ? trackedPackage(egg[1].replace(/\[.*$/, '')) : undefined) ?? packageOfRepo(file);
  if (!pkg) return undefined;
  // git+https://github.com/EleutherAI/lm-evaluation-harness.git@v0.4.4, …/archive/refs/tags/v0.4.4.tar.gz
  const ref =
    /\.git@([^@/#]+)$|@([^@/#]+)$/.exec(file) ??
    /\/(?:archive\/)?(?:refs\/tags\/)?(v?\d+(?:\.\d+)+[\w.]*)(?:\.tar\.gz|\.zip)?$/.exec(file);
  const tag = ref?.[1] ?? ref?.[2] ?? ref?.[3];
  if (tag && /^v?\d+(?:\.\d+)+(?:[.-]?(?:post|rc|a|b|dev)\d*)*$/i.test(tag))
    return { package: pkg, spec: tag.replace(/^v/i, ''), dialect: 'exact' };
  return undefined;
}

function packageOfRepo(url: string): TrackedPackage | undefined {
  const m = /github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:[@/]|$)/i.exec(url);
  if (!m) return undefined;
  const repo = m[2].toLowerCase();
  if (repo === 'lm-evaluation-harness') return 'lm-eval';
  if (repo === 'vllm') return 'vllm';
  return undefined;
}
