// A progress line on stderr for long runs (checking lm-eval's 14,000 task files takes 15–25 s):
// shown only on a terminal, only after the run has taken a moment, redrawn at most 10 times a
// second, and erased before the results are printed.
import type { CliIO } from './command';

const SHOW_AFTER_MS = 500;
const REDRAW_MS = 100;

export interface Progress {
  update(phase: string, done: number, total: number): void;
  clear(): void;
}

export function progressLine(io: CliIO, enabled: boolean, now: () => number = Date.now): Progress {
  const start = now();
  let last = 0;
  let shown = false;
  const columns = Math.max(20, Number(io.env.COLUMNS) || 80) - 1;
  return {
    update(phase, done, total) {
      if (!enabled) return;
      const t = now();
      if (t - start < SHOW_AFTER_MS || t - last < REDRAW_MS) return;
      last = t;
      shown = true;
      const pct = total ? Math.floor((done / total) * 100) : 0;
      io.errRaw(`\r\x1b[2K${`${phase} ${done}/${total} files (${pct} %)`.slice(0, columns)}`);
    },
    clear() {
      if (shown) io.errRaw('\r\x1b[2K');
      shown = false;
    },
  };
}
