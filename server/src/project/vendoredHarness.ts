// A copy of lm-eval inside the repository (a fork, a submodule, a vendored folder): its own
// pyproject.toml (`name = "lm_eval"`), `lm_eval/__init__.py` (`__version__`, v0.4.9 only: later
// releases read the installed metadata) or, before 0.4, setup.py (`version="0.3.0"`).
import { pyprojectIdentity } from './pyproject';
import { lineAt, trackedPackage } from './types';

export interface HarnessCheckoutFiles {
  pyprojectToml?: string;
  initPy?: string;
  setupPy?: string;
}

export interface HarnessCheckoutVersion {
  version: string;
  file: 'pyproject.toml' | 'lm_eval/__init__.py' | 'setup.py';
  line: number;
  note?: string;
}

/** Whether a folder's pyproject.toml is lm-eval's own. */
export function isHarnessPyproject(text: string): boolean {
  const id = pyprojectIdentity(text);
  return !!id && trackedPackage(id.name) === 'lm-eval';
}

export function harnessCheckoutVersion(files: HarnessCheckoutFiles): HarnessCheckoutVersion | undefined {
  if (files.pyprojectToml) {
    const id = pyprojectIdentity(files.pyprojectToml);
    if (id && trackedPackage(id.name) === 'lm-eval' && id.version) {
      // The v0.4.0 release tag's pyproject.toml says 1.0.0 (lm-eval never released a 1.x).
      if (id.version === '1.0.0')
        return {
          version: '0.4.0',
          file: 'pyproject.toml',
          line: id.line ?? 1,
          note: 'its pyproject.toml says 1.0.0, which is what the v0.4.0 release shipped',
        };
      return { version: id.version, file: 'pyproject.toml', line: id.line ?? 1 };
    }
  }
  if (files.initPy) {
    const m = /^__version__\s*=\s*["']([^"']+)["']/m.exec(files.initPy);
    if (m) return { version: m[1], file: 'lm_eval/__init__.py', line: lineAt(files.initPy, m.index) };
  }
  if (files.setupPy && /name\s*=\s*["']lm[_-]eval["']/.test(files.setupPy)) {
    const m = /\bversion\s*=\s*["']([^"']+)["']/.exec(files.setupPy);
    if (m) return { version: m[1], file: 'setup.py', line: lineAt(files.setupPy, m.index) };
  }
  return undefined;
}
