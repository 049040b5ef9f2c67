// The real file system, environment and network behind `ModelFileProvider`, for the CLI and the
// server (memory/resolveModel.ts resolves models through it; tests pass fixtures instead).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CONFIG_MAX_BYTES,
  HEADER_MAX_BYTES,
  type FetchTextOptions,
  type FetchTextResult,
  type ModelFileProvider,
} from '../memory/modelFileProvider';

/** The real file system, environment and network, for the CLI and the server. */
export function nodeModelFileProvider(env: NodeJS.ProcessEnv = process.env): ModelFileProvider {
  return {
    readFile(filePath, maxBytes = CONFIG_MAX_BYTES) {
      try {
        const st = fs.statSync(filePath);
        if (!st.isFile() || st.size > maxBytes) return undefined;
        return fs.readFileSync(filePath, 'utf8');
      } catch {
        return undefined;
      }
    },
    readBytes(filePath, offset, length) {
      let fd: number | undefined;
      try {
        fd = fs.openSync(filePath, 'r');
        const buf = Buffer.alloc(Math.max(0, Math.min(length, HEADER_MAX_BYTES)));
        const n = fs.readSync(fd, buf, 0, buf.length, offset);
        return new Uint8Array(buf.buffer, buf.byteOffset, n);
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
    exists(filePath) {
      try {
        fs.accessSync(filePath);
        return true;
      } catch {
        return false;
      }
    },
    listDir(dirPath) {
      try {
        return fs.readdirSync(dirPath);
      } catch {
        return undefined;
      }
    },
    env(name) {
      return env[name];
    },
    homeDir() {
      try {
        return os.homedir();
      } catch {
        return undefined;
      }
    },
    fetchText: nodeFetchText,
    writeFile(filePath, text) {
      try {
        fs.mkdirSync(path.dirname(filePath), { recursive: true });
        fs.writeFileSync(filePath, text);
      } catch {
        // a cache that cannot be written is only slower
      }
    },
  };
}

/** GET with a timeout and a body cap; follows up to 5 redirects (the Hub redirects to its CDN). */
export function nodeFetchText(
  url: string,
  opts: FetchTextOptions,
  redirects = 5,
): Promise<FetchTextResult | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: FetchTextResult | undefined) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        resolve(r);
      }
    };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve(undefined);
      return;
    }
    const lib = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!lib) {
      resolve(undefined);
      return;
    }
    const req = lib.get(parsed, { headers: opts.headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && redirects > 0) {
        res.resume();
        const next = new URL(res.headers.location, parsed).toString();
        // The token goes to the same host only.
        const headers = { ...opts.headers };
        if (new URL(next).host !== parsed.host) delete headers.Authorization;
        nodeFetchText(next, { ...opts, headers }, redirects - 1).then(finish, () => finish(undefined));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > opts.maxBytes) {
          req.destroy();
          finish(undefined);
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => finish({ status, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => finish(undefined));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(undefined);
    }, opts.timeoutMs);
    req.on('error', () => finish(undefined));
  });
}
