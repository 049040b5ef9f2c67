// Models for the CLI and the server: offline on the hot path (the catalog, the Hugging Face cache,
// configs fetched earlier, local folders relative to the script and the workspace), the Hub in the
// background when `allowNetwork` is on, and one fetch on request (the editor's quick fix).
import * as path from 'node:path';
import type { ArchitectureResolution, ModelContext } from '../facts/providers';
import { lmEvalLensCacheDir } from '../memory/modelLocations';
import { resolveArchitecture, resolveArchitectureOffline } from '../memory/resolveModel';
import { nodeModelFileProvider } from './modelFiles';

export interface ModelResolverOptions {
  env: NodeJS.ProcessEnv;
  allowNetwork: boolean;
  /** Where fetched configs are cached; default the shared lm-eval-lens cache (`lmEvalLensCacheDir`). */
  hubCacheDir?: string;
  /** The workspace (or repository) root of a file: relative paths resolve from there too. */
  rootOf(file: string): string | undefined;
  /** The CLI's current folder, the last place a relative path is looked up. */
  cwd?: string;
  onModelResolved?: (pretrained: string) => void;
}

export interface ModelResolver {
  resolveArchitecture(pretrained: string, from?: ModelContext): ArchitectureResolution | undefined;
  fetchModelConfig(id: string, revision?: string): Promise<{ ok: boolean; message: string }>;
  pendingLookups(): Promise<void>;
  /** Forget models not found, so they are looked up again (a config.json may have appeared). */
  forgetMisses(): void;
}

export function nodeModelResolver(opts: ModelResolverOptions): ModelResolver {
  const files = nodeModelFileProvider(opts.env);
  // One cache for the CLI and the editor: a config fetched in one is found by the other.
  const cacheDir = opts.hubCacheDir ?? lmEvalLensCacheDir(files);
  const found = new Map<string, ArchitectureResolution | undefined>();
  const pending = new Map<string, Promise<void>>();
  const forgetMisses = () => {
    for (const [k, v] of found) if (!v) found.delete(k);
  };
  const resolved = (pretrained: string) => {
    forgetMisses();
    opts.onModelResolved?.(pretrained);
  };
  return {
    resolveArchitecture(pretrained, from) {
      // A relative path resolves from the script's folder, then the workspace root, then the CLI's folder.
      const dir = from?.file ? path.dirname(from.file) : '';
      const key = `${pretrained}\0${dir}`;
      if (found.has(key)) return found.get(key);
      const baseDirs = [dir, from?.file ? opts.rootOf(from.file) : undefined, opts.cwd].filter((d): d is string => !!d);
      const r = resolveArchitectureOffline(pretrained, { files, cacheDir, baseDirs });
      found.set(key, r);
      // The hot path never waits on the network: look the model up in the background and let the
      // caller re-check when it arrives.
      if (!r && opts.allowNetwork && !pending.has(pretrained)) {
        const lookup = resolveArchitecture(pretrained, { files, allowNetwork: true, cacheDir, baseDirs })
          .then((hit) => hit && resolved(pretrained))
          .catch(() => undefined);
        pending.set(pretrained, lookup);
      }
      return r;
    },
    async fetchModelConfig(id, revision) {
      const r = await resolveArchitecture(id, { files, allowNetwork: true, cacheDir, revision });
      const endpoint = (opts.env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
      if (!r) return { ok: false, message: `No config.json for ${id} on ${endpoint} (or it could not be read).` };
      resolved(id);
      return {
        ok: true,
        message: `Fetched config.json for ${id} (${r.source === 'hub' ? 'from the Hub' : r.source}).`,
      };
    },
    async pendingLookups() {
      await Promise.all(pending.values());
    },
    forgetMisses,
  };
}
