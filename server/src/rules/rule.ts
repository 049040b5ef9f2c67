// A rule turns the facts about one launch into findings with stable codes and computed fixes.
// Rules know nothing of LSP or of how the facts were parsed.
import type { LaunchFacts } from '../facts/launch';
import type { DiagnosticCode } from '../shared/codes';
import type { Finding } from '../shared/findings';

export interface LaunchRule {
  code: DiagnosticCode;
  check(facts: LaunchFacts): Finding[];
}
