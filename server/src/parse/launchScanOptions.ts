// What a launch scanner (shell, Python, Markdown) is told about the text it reads. Apart from
// types.ts because it carries the shell scanner's ShellScope, which itself builds on types.ts.
import type { ShellScope } from './shellScope';
import type { EmbeddingKind, Located } from './types';

/** What a launch scanner (shell, Python) is told about the text it reads. */
export interface LaunchScanOptions {
  embedding?: EmbeddingKind;
  /** Environment known before the text runs (a notebook's earlier `%env`, say). */
  env?: Record<string, Located<string>>;
  /**
   * The shell state earlier text left behind (variables, exports, functions): Markdown blocks of one
   * document share one. Created by the scanner when absent.
   */
  shellScope?: ShellScope;
  /** Values for names the text does not set, from `# lm-eval-lens: $NAME=value` directives. */
  assumed?: Record<string, Located<string>>;
}
