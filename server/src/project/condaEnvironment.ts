// conda environment.yml: `dependencies:` holds conda match specs (`vllm=0.6.3`, `conda-forge::vllm>=0.6`,
// `vllm 0.6.3 py310_0`) and a `pip:` list of PEP 508 requirements.
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { parseRequirement } from './requirement';
import { lineAt, trackedPackage, type PackagePin } from './types';

const CONDA_SPEC = /^(?:[\w.-]+::)?([A-Za-z0-9][\w.-]*)\s*(?:(==|=|>=|<=|>|<|!=|~=)?\s*([^\s=]+)?)?(?:[=\s]\S+)?$/;

export function condaEnvironmentPins(text: string): PackagePin[] {
  if (text.length > 2 * 1024 * 1024) return [];
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return [];
  }
  const root = doc.contents;
  if (!isMap(root)) return [];
  const deps = root.get('dependencies', true);
  if (!isSeq(deps)) return [];
  const pins: PackagePin[] = [];
  const lineOf = (n: Node) => lineAt(text, n.range?.[0] ?? 0);
  for (const item of deps.items) {
    if (isScalar(item) && typeof item.value === 'string') {
      const spec = item.value.trim();
      const m = CONDA_SPEC.exec(spec);
      const pkg = m ? trackedPackage(m[1]) : undefined;
      if (!m || !pkg) continue;
      const op = m[2] === '=' || !m[2] ? '' : m[2];
      pins.push({
        package: pkg,
        spec: m[3] ? `${op}${m[3]}` : '',
        dialect: 'conda',
        line: lineOf(item),
        written: spec,
      });
    } else if (isMap(item)) {
      const pip = item.get('pip', true);
      if (!isSeq(pip)) continue;
      for (const p of pip.items) {
        if (!isScalar(p) || typeof p.value !== 'string') continue;
        const r = parseRequirement(p.value);
        if (r) pins.push({ ...r, line: lineOf(p), written: p.value.trim() });
      }
    }
  }
  return pins;
}
