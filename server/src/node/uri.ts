// file:// URIs ↔ paths, with Node's own url helpers (non-file URIs keep their path part).
import { fileURLToPath, pathToFileURL } from 'node:url';

export const URI = {
  toPath(uri: string): string {
    if (uri.startsWith('file:')) {
      try {
        return fileURLToPath(uri);
      } catch {
        /* fall through */
      }
    }
    const m = /^[a-z][\w+.-]*:(?:\/\/[^/]*)?(.*)$/i.exec(uri);
    return m ? decodeURIComponent(m[1]) : uri;
  },
  fromPath(path: string): string {
    return pathToFileURL(path).href;
  },
};
