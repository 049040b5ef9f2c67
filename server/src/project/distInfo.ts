// An installed package as pip leaves it: `site-packages/vllm-0.6.3.dist-info/METADATA` (core metadata,
// RFC 822 headers) or `lm_eval-0.4.4.egg-info/PKG-INFO`. Read as text; Python is never run.
import { lineAt, trackedPackage, type TrackedPackage } from './types';

export interface InstalledDistribution {
  package: TrackedPackage;
  version: string;
  /** 1-based line of the `Version:` header (0 when the version came from the folder name). */
  line: number;
}

/** `Name:` and `Version:` from the header block of METADATA / PKG-INFO. */
export function parseDistMetadata(text: string): InstalledDistribution | undefined {
  const headerEnd = text.search(/\r?\n\r?\n/);
  const head = headerEnd < 0 ? text.slice(0, 64 * 1024) : text.slice(0, headerEnd);
  const name = /^Name:[ \t]*(\S+)/im.exec(head);
  const version = /^Version:[ \t]*(\S+)/im.exec(head);
  const pkg = name ? trackedPackage(name[1]) : undefined;
  if (!pkg || !version) return undefined;
  return { package: pkg, version: version[1], line: lineAt(text, version.index) };
}

/** `vllm-0.6.3.dist-info`, `lm_eval-0.4.4.egg-info` → the package and version in the folder's name. */
export function parseDistFolderName(folder: string): InstalledDistribution | undefined {
  const m = /^([A-Za-z0-9_.]+?)-(\d[^-]*?)(?:-py\d[\w.]*)?\.(?:dist|egg)-info$/.exec(folder);
  const pkg = m ? trackedPackage(m[1]) : undefined;
  return pkg ? { package: pkg, version: m![2], line: 0 } : undefined;
}
