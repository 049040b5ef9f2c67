// The outside world as the model resolver sees it: files, the environment and the network, behind
// one injected interface. Tests pass fixtures; the CLI and server pass `nodeModelFileProvider()`
// (node/modelFiles.ts).
import { MiB } from '../shared/units';

export interface FetchTextOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
}

export interface FetchTextResult {
  status: number;
  text: string;
}

/** The outside world as the resolver sees it; tests pass fixtures, the CLI and server pass `nodeModelFileProvider()`. */
export interface ModelFileProvider {
  /** UTF-8 text of a file, undefined when missing or larger than `maxBytes`. */
  readFile(filePath: string, maxBytes?: number): string | undefined;
  /** `length` bytes at `offset` (safetensors headers), undefined when unreadable. */
  readBytes?(filePath: string, offset: number, length: number): Uint8Array | undefined;
  exists(filePath: string): boolean;
  /** Entry names of a directory, undefined when it is not one. */
  listDir(dirPath: string): string[] | undefined;
  env(name: string): string | undefined;
  homeDir(): string | undefined;
  /** GET a URL; undefined on network error, timeout or a body over maxBytes. */
  fetchText?(url: string, opts: FetchTextOptions): Promise<FetchTextResult | undefined>;
  /** Write a text file, creating folders (the Hub cache); errors are swallowed. */
  writeFile?(filePath: string, text: string): void;
}

/** Largest config.json read (bytes); the node provider's default cap. */
export const CONFIG_MAX_BYTES = 4 * MiB;
/** Largest safetensors header read (bytes). */
export const HEADER_MAX_BYTES = 64 * MiB;
