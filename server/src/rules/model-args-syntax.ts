// Problems the model_args parser found (empty pair, bare key, comma inside a value, unbalanced
// quote, bad JSON): lm-eval's CLI parser raises on most of them before anything loads.
//
// The parser reads the command line as lm-eval ≥ 0.4.10 does; what an older release does with the
// same words differs (lm_eval/__main__.py and lm_eval/utils.py at each tag):
//   ≤ 0.4.8        `--model_args` is one string (argparse type=str) split by simple_parse_args_string,
//                  which drops empty items (`[arg for arg in s.split(",") if arg]`) and reads no JSON;
//   0.4.9–0.4.9.2  try_parse_json first (JSON from this release), then the same splitter;
//   ≥ 0.4.10       MergeDictAction (nargs="+"): JSON first, else every value through key_val_to_dict,
//                  whose `item.split("=", 1)` unpacking raises on an empty item.
// `--gen_kwargs` follows the same parsers at the same releases. A release the project does not name
// (or names as a range) may be either side: a finding only one side has is then a warning.
import type { LaunchFacts } from '../facts/launch';
import { atLeast } from '../memory/version';
import type { ModelArgsBlock } from '../parse/types';
import type { Finding, OffsetRange } from '../shared/findings';
import type { LaunchRule } from './rule';

type Side = 'old' | 'new' | 'unknown';

/** Which side of a parser change the launch's lm-eval is on, when the project says which release. */
function side(f: LaunchFacts, major: number, minor: number, patch: number): Side {
  if (f.harness.source === 'default' || f.harness.range) return 'unknown';
  return atLeast(f.harness.version, major, minor, patch) ? 'new' : 'old';
}

export const modelArgsSyntax: LaunchRule = {
  code: 'model-args-syntax',
  check(f) {
    const out: Finding[] = [];
    const blocks: [string, ModelArgsBlock | undefined][] = [
      ['--model_args', f.invocation.modelArgs],
      ['--gen_kwargs', f.invocation.genKwargs],
    ];
    for (const [flag, block] of blocks) {
      if (!block) continue;
      if (!block.commandLine) {
        for (const p of block.problems) out.push(finding(p.severity, p.message, p.range));
        continue;
      }
      out.push(...commandLineFindings(f, flag, block, block.commandLine.laterValues));
    }
    return out;
  },
};

function finding(severity: Finding['severity'], message: string, range: Finding['range']): Finding {
  return { code: 'model-args-syntax', severity, message, range };
}

function commandLineFindings(
  f: LaunchFacts,
  flag: string,
  block: ModelArgsBlock,
  laterValues: OffsetRange[],
): Finding[] {
  const out: Finding[] = [];
  const release = f.harness.text;
  const strictPairs = side(f, 0, 4, 10);
  // Before 0.4.10 one value only: `--model_args a=1, b=2` stops argparse at `b=2`.
  if (laterValues.length && strictPairs !== 'new') {
    const certain = strictPairs === 'old';
    for (const range of laterValues) {
      out.push(
        finding(
          certain ? 'error' : 'warning',
          `${certain ? `lm-eval ${release}` : 'lm-eval before 0.4.10'} takes one ${flag} value: argparse stops with "unrecognized arguments" at this word (a blank inside the value?). ${certain ? '' : 'lm-eval 0.4.10 and later merge several values. '}Join the pairs with commas and no blanks.`,
          range,
        ),
      );
    }
  }
  const keepsBareKeys = side(f, 0, 4, 8) === 'new' && strictPairs === 'old';
  for (const p of block.problems) {
    if (p.kind === 'bare-key' && keepsBareKeys) {
      // 0.4.8–0.4.9.x: `kv[0]: handle_arg_string("=".join(kv[1:]))` passes the key with "".
      const key = /^'([^']*)'/.exec(p.message)?.[1] ?? 'the key';
      out.push(
        finding(
          'warning',
          `'${key}' has no '=': lm-eval ${release} passes it as ${key}="" (an empty string). Write ${key}=True for a flag.`,
          p.range,
        ),
      );
      continue;
    }
    if (p.kind !== 'empty-pair') {
      out.push(finding(p.severity, p.message, p.range));
      continue;
    }
    // Every release fails when older ones also stop at a later value: keep the error.
    if (strictPairs === 'new' || laterValues.length) out.push(finding(p.severity, p.message, p.range));
    else if (strictPairs === 'unknown') {
      const what = /\(([^)]*)\)/.exec(p.message)?.[1] ?? 'an empty item';
      out.push(
        finding(
          'warning',
          `Empty key=value pair (${what}): lm-eval 0.4.10 and later raise "ValueError: not enough values to unpack (expected 2, got 1)" (key_val_to_dict); 0.4.9.x and older drop the empty item. Remove the extra comma. ${versionHint(f)}`,
          p.range,
        ),
      );
    }
    // strictPairs === 'old': simple_parse_args_string drops the empty item; nothing to say.
  }
  if (block.dialect === 'json' && side(f, 0, 4, 9) === 'old') {
    out.push(
      finding(
        'error',
        `lm-eval ${release} reads ${flag} as a key=value string (JSON from 0.4.9): it splits this JSON on commas and fails. Write it as key=value pairs separated by commas.`,
        block.range,
      ),
    );
  }
  return out;
}

function versionHint(f: LaunchFacts): string {
  return f.harness.range
    ? `Judged with ${f.harness.label}.`
    : 'No lm-eval release is named: a pin or `# lm-eval-lens: harness=X` settles it.';
}
