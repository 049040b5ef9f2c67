// Colour for terminal output, decided once per stream: on for a terminal, off for pipes and files;
// NO_COLOR (no-color.org) turns it off, FORCE_COLOR turns it on, --color / --no-color win over both.
import { createColors } from 'picocolors';

export type Style = ReturnType<typeof createColors>;

export function colorEnabled(
  isTTY: boolean,
  env: Record<string, string | undefined>,
  flags: { color?: boolean; noColor?: boolean } = {},
): boolean {
  if (flags.noColor) return false;
  if (flags.color) return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

export function makeStyle(enabled: boolean): Style {
  return createColors(enabled);
}
