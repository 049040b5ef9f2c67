// Lock files record the version a resolver actually chose: uv.lock and poetry.lock (TOML arrays of
// `[[package]]` with `name` and `version`) and Pipfile.lock (JSON, `default` and `develop`).
import { parseTomlText, table } from './pyproject';
import { lineAt, trackedPackage, type PackagePin } from './types';

/** The line of `version = "X"` after the `name = "pkg"` line of the same `[[package]]` block. */
function tomlPackageLine(text: string, name: string, version: string): number {
  const re = new RegExp(`^name\\s*=\\s*"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const next = text.indexOf('[[package]]', m.index);
    const block = text.slice(m.index, next < 0 ? undefined : next);
    const v = new RegExp(`^version\\s*=\\s*"${version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'm').exec(block);
    if (v) return lineAt(text, m.index + v.index);
  }
  return 1;
}

/** uv.lock and poetry.lock. uv may lock several versions of one package (resolution forks): all are returned. */
export function tomlLockPins(text: string, fileLabel: string): PackagePin[] {
  const root = parseTomlText(text).table;
  const packages = Array.isArray(root?.package) ? root.package : [];
  const pins: PackagePin[] = [];
  for (const p of packages) {
    const t = table(p);
    if (!t || typeof t.name !== 'string' || typeof t.version !== 'string') continue;
    const pkg = trackedPackage(t.name);
    if (!pkg) continue;
    pins.push({
      package: pkg,
      spec: t.version,
      dialect: 'exact',
      line: tomlPackageLine(text, t.name, t.version),
      written: `${t.name} ${t.version} (${fileLabel})`,
    });
  }
  return pins;
}

export function pipfileLockPins(text: string): PackagePin[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return [];
  }
  const pins: PackagePin[] = [];
  for (const section of ['default', 'develop']) {
    const deps = table(table(root)?.[section]);
    for (const [name, entry] of Object.entries(deps ?? {})) {
      const pkg = trackedPackage(name);
      const version = table(entry)?.version;
      if (!pkg || typeof version !== 'string') continue;
      const at = text.search(new RegExp(`"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`));
      const v = at >= 0 ? text.indexOf('"version"', at) : -1;
      pins.push({
        package: pkg,
        spec: version,
        dialect: 'pep440',
        line: lineAt(text, v >= 0 ? v : Math.max(0, at)),
        written: `${name}${version}`,
      });
    }
  }
  return pins;
}
