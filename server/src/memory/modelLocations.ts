// Where model files live on this machine: the Hugging Face hub cache (HF_HUB_CACHE, HF_HOME, ...)
// and its snapshots, lm-eval-lens's own cache of Hub answers, and `~`/`$HOME` in paths, all read
// through the injected ModelFileProvider.
import * as path from 'node:path';
import type { ModelFileProvider } from './modelFileProvider';

/** The Hugging Face hub cache folder: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub. */
export function hfHubCacheDir(files: ModelFileProvider): string | undefined {
  const direct = files.env('HF_HUB_CACHE') || files.env('HUGGINGFACE_HUB_CACHE');
  if (direct) return expandHome(direct, files);
  const hfHome = files.env('HF_HOME');
  if (hfHome) return path.join(expandHome(hfHome, files), 'hub');
  const xdg = files.env('XDG_CACHE_HOME');
  if (xdg) return path.join(expandHome(xdg, files), 'huggingface', 'hub');
  const home = files.homeDir();
  return home ? path.join(home, '.cache', 'huggingface', 'hub') : undefined;
}

/** `~/x`, `$HOME/x`, `${HOME}/x` → the home folder's `x`. */
export function expandHome(p: string, files: ModelFileProvider): string {
  const m = /^(~|\$HOME|\$\{HOME\})(?=$|[\\/])/.exec(p);
  if (m) {
    // the shell expands both from $HOME
    const home = files.env('HOME') || files.homeDir();
    if (home) return path.join(home, p.slice(m[1].length));
  }
  return p;
}

/**
 * Where lm-eval-lens caches what it fetched from the Hub, for the CLI and the editor alike:
 * `$LM_EVAL_LENS_CACHE`, else `$XDG_CACHE_HOME/lm-eval-lens/hub`, else `~/.cache/lm-eval-lens/hub`.
 */
export function lmEvalLensCacheDir(files: Pick<ModelFileProvider, 'env' | 'homeDir'>): string | undefined {
  const own = files.env('LM_EVAL_LENS_CACHE');
  if (own) return own;
  const xdg = files.env('XDG_CACHE_HOME');
  if (xdg) return path.join(xdg, 'lm-eval-lens', 'hub');
  const home = files.homeDir();
  return home ? path.join(home, '.cache', 'lm-eval-lens', 'hub') : undefined;
}

/** The cached Hub answer for a model id and revision. */
export function hubConfigCachePath(cacheDir: string, id: string, revision = 'main'): string {
  return path.join(cacheDir, 'hub-configs', `${id.replace(/\//g, '--')}@${revision}.json`);
}

/** A Hub repository id: `org/name` or a bare `name`. */
export const REPO_ID_RE = /^[A-Za-z0-9][\w.-]{0,95}(?:\/[A-Za-z0-9][\w.-]{0,95})?$/;

/** The snapshot folder of a cached model: the one refs/<revision> points at, else any with a config.json. */
export function hfCacheSnapshot(files: ModelFileProvider, repoId: string, revision = 'main'): string | undefined {
  const cache = hfHubCacheDir(files);
  if (!cache || !REPO_ID_RE.test(repoId)) return undefined;
  const repoDir = path.join(cache, `models--${repoId.replace(/\//g, '--')}`);
  const snapshots = path.join(repoDir, 'snapshots');
  const ref = files.readFile(path.join(repoDir, 'refs', revision), 256)?.trim();
  if (ref && /^[0-9a-f]{7,64}$/i.test(ref) && files.exists(path.join(snapshots, ref, 'config.json')))
    return path.join(snapshots, ref);
  if (/^[0-9a-f]{40}$/i.test(revision) && files.exists(path.join(snapshots, revision, 'config.json')))
    return path.join(snapshots, revision);
  for (const s of (files.listDir(snapshots) ?? []).slice(0, 64)) {
    if (files.exists(path.join(snapshots, s, 'config.json'))) return path.join(snapshots, s);
  }
  return undefined;
}
