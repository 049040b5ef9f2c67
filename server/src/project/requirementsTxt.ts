// requirements*.txt as pip reads it: `\` continuations, `#` comments, `-r`/`-c` includes (the
// caller follows them), `-e` editable URLs and per-requirement options such as `--hash`.
import { parseRequirement } from './requirement';
import type { PackagePin } from './types';

export interface RequirementsInclude {
  /** As written, relative to the including file's folder. */
  path: string;
  line: number;
  /** `-c`: a constraints file (its pins count; pip installs none of its other entries). */
  constraint: boolean;
}

export interface RequirementsFile {
  pins: PackagePin[];
  includes: RequirementsInclude[];
}

export function parseRequirementsTxt(text: string): RequirementsFile {
  const out: RequirementsFile = { pins: [], includes: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && i < 100_000; i++) {
    const first = i + 1;
    let logical = lines[i];
    while (/\\$/.test(logical) && i + 1 < lines.length) logical = logical.slice(0, -1) + lines[++i];
    const body = logical.replace(/(^|\s)#.*$/, '').trim();
    if (!body) continue;
    const include = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)/.exec(body);
    if (include) {
      out.includes.push({
        path: include[2],
        line: first,
        constraint: include[1].startsWith('-c') || include[1] === '--constraint',
      });
      continue;
    }
    const editable = /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)/.exec(body);
    const req = editable
      ? editable[1]
      : body.startsWith('-')
        ? undefined
        : body.replace(/\s+--?\w[\w-]*(=\S*|\s+\S+)?/g, '');
    if (!req) continue;
    const r = parseRequirement(req);
    if (r) out.pins.push({ ...r, line: first, written: req.trim() });
  }
  return out;
}
