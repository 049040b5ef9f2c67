// setuptools projects: setup.cfg's `[options] install_requires` and `[options.extras_require]`
// (INI, one requirement per continuation line), and setup.py's requirement strings. setup.py is
// read as text, never run: every string literal that is a requirement of a tracked package counts.
import { parseRequirement } from './requirement';
import { lineAt, type PackagePin } from './types';

export function setupCfgPins(text: string): PackagePin[] {
  const pins: PackagePin[] = [];
  let section = '';
  let key = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && i < 100_000; i++) {
    const raw = lines[i];
    if (/^\s*[#;]/.test(raw) || !raw.trim()) continue;
    const header = /^\[([^\]]+)\]/.exec(raw);
    if (header) {
      section = header[1].trim().toLowerCase();
      key = '';
      continue;
    }
    let value: string;
    if (/^\s/.test(raw)) value = raw.trim();
    else {
      const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
      if (!kv) continue;
      key = kv[1].trim().toLowerCase();
      value = kv[2].trim();
    }
    const relevant = (section === 'options' && key === 'install_requires') || section === 'options.extras_require';
    if (!relevant || !value) continue;
    const part = value.replace(/\s+#.*$/, '');
    const r = parseRequirement(part);
    if (r) pins.push({ ...r, line: i + 1, written: part });
  }
  return pins;
}

const STRING_LITERAL = /(['"])((?:\\.|(?!\1)[^\\\n])*)\1/g;

export function setupPyPins(text: string): PackagePin[] {
  if (text.length > 2 * 1024 * 1024) return [];
  const pins: PackagePin[] = [];
  for (let m = STRING_LITERAL.exec(text); m; m = STRING_LITERAL.exec(text)) {
    const s = m[2];
    if (!/^\s*(vllm|lm[-_.]eval)\b/i.test(s)) continue;
    const r = parseRequirement(s);
    if (r) pins.push({ ...r, line: lineAt(text, m.index), written: s });
  }
  return pins;
}
