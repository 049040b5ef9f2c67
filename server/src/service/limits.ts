// Inputs no editor server should chew on: binary files and documents too large to analyse on
// every keystroke. They get one explanatory finding instead of silence or a hang.
import type { Finding } from '../shared/findings';
import { MiB } from '../shared/units';

/** Larger documents are not analysed for launches (lm-eval scripts and configs are kilobytes). */
export const MAX_DOCUMENT_CHARS = 4 * MiB;

export function checkInputLimits(text: string): Finding | undefined {
  if (text.length > MAX_DOCUMENT_CHARS) {
    return {
      code: 'input-limit',
      severity: 'info',
      message: `lm-eval-lens skipped this file: ${(text.length / MiB).toFixed(1)} MiB is over the ${MAX_DOCUMENT_CHARS / MiB} MiB limit for analysis.`,
      range: { start: 0, end: 0 },
    };
  }
  const probe = text.slice(0, 8192);
  if (probe.includes('\u0000')) {
    return {
      code: 'input-limit',
      severity: 'info',
      message: 'lm-eval-lens skipped this file: it looks binary (it contains NUL characters).',
      range: { start: 0, end: 0 },
    };
  }
  return undefined;
}
