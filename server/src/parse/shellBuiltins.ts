// Commands that change the script's variables and run nothing: assignments (`A=b`, `A+=b`,
// `A=( … )`), export / declare / typeset / local / readonly, unset, `set -a` / `set -o allexport`,
// and read / mapfile / readarray (whose values we cannot know).
import type { SourceMappedText } from './mappedText';
import { assignmentOf, type ArgWord, type Command } from './shellCommand';
import type { ShellScope } from './shellScope';

const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

/**
 * Apply `rest` (a simple command without its leading keywords, which start at `offset` in
 * `cmd.words`) to the scope when it is one of these; true when it was.
 */
export function runScopeCommand(scope: ShellScope, rest: ArgWord[], offset: number, cmd: Command): boolean {
  const head = rest[0]?.value.text ?? '';
  const arrayAt = (k: number) => cmd.arrays.get(k + offset);
  if (DECLARATIONS.has(head)) {
    declare(scope, rest, offset, cmd);
    return true;
  }
  if (head === 'unset') {
    for (const w of rest.slice(1)) if (!w.value.text.startsWith('-')) scope.unset(w.value.text);
    return true;
  }
  if (head === 'set') {
    setOptions(scope, rest);
    return true;
  }
  if (head === 'read' || head === 'mapfile' || head === 'readarray') {
    for (let n = 1; n < rest.length; n++) {
      const x = rest[n].value.text;
      if (/^-[pdtnNuia]$/.test(x) && x !== '-a') n++;
      else if (!x.startsWith('-')) scope.markUnknown(x);
    }
    return true;
  }
  if (rest.length && rest.every((w, n) => assignmentOf(w) || arrayAt(n))) {
    for (let n = 0; n < rest.length; n++) assignWord(scope, rest[n], arrayAt(n));
    return true;
  }
  return false;
}

/** `set -a` / `set +a` / `set -o allexport`: whether every assignment is exported. */
function setOptions(scope: ShellScope, rest: ArgWord[]): void {
  for (const w of rest.slice(1)) {
    const x = w.value.text;
    if (/^-[a-zA-Z]*a/.test(x)) scope.allExport = true;
    else if (/^\+[a-zA-Z]*a/.test(x)) scope.allExport = false;
  }
  if (rest.some((w, n) => w.value.text === 'allexport' && rest[n - 1]?.value.text === '-o')) scope.allExport = true;
}

function assignWord(scope: ShellScope, w: ArgWord, array?: { items: SourceMappedText[] }): void {
  const a = assignmentOf(w);
  if (!a) return;
  if (array) {
    if (a.append) scope.append(a.name, array.items);
    else scope.assignArray(a.name, array.items);
  } else if (a.append) scope.append(a.name, a.value);
  else scope.assign(a.name, a.value);
}

/** export / declare / typeset / local / readonly. */
function declare(scope: ShellScope, rest: ArgWord[], offset: number, cmd: Command): void {
  const head = rest[0].value.text;
  let exported = head === 'export';
  const local = head === 'local' || ((head === 'declare' || head === 'typeset') && scope.positional() !== undefined);
  for (let n = 1; n < rest.length; n++) {
    const w = rest[n];
    const x = w.value.text;
    if (/^[-+][a-zA-Z]+$/.test(x)) {
      if (x.startsWith('-') && x.includes('x')) exported = true;
      if (x === '-n' && head === 'export') exported = false;
      continue;
    }
    const a = assignmentOf(w);
    const name = a ? a.name : x;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    if (local) scope.declareLocal(name);
    if (a) assignWord(scope, w, cmd.arrays.get(n + offset));
    if (exported) scope.export(name);
  }
}
