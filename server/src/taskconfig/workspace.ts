// Cross-file checks over a set of configs: duplicate task/group names (one namespace, the first file in
// sorted POSIX path order wins within a root) and base files that are only used as include templates.
import * as path from 'node:path';
import type { Finding } from '../shared/findings';
import type { TaskConfigContext, TaskFileSystem } from './types';
import { otherHarnessNamed } from './otherHarness';
import { analyzeTaskConfig, validateTaskConfig } from './validate';

/** Files of the set are read from their given text, everything else from ctx.fs. */
function overlay(files: { path: string; text: string }[], base: TaskFileSystem): TaskFileSystem {
  const byPath = new Map(files.map((f) => [path.resolve(f.path), f.text]));
  return {
    readFile: (p) => byPath.get(path.resolve(p)) ?? base.readFile(p),
    exists: (p) => byPath.has(path.resolve(p)) || base.exists(p),
    listDir: (p) => base.listDir(p),
  };
}

export function validateTaskConfigWorkspace(
  files: { path: string; text: string }[],
  ctx: TaskConfigContext,
  /** Called before each file is analysed (the CLI's progress line). */
  onFile?: (path: string) => void,
): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const fs = overlay(files, ctx.fs);
  const inner: TaskConfigContext = { ...ctx, fs, workspaceNames: undefined };
  const sorted = [...files].sort((a, b) =>
    toPosix(a.path) < toPosix(b.path) ? -1 : toPosix(a.path) > toPosix(b.path) ? 1 : 0,
  );
  const firstByName = new Map<string, string>();
  const includedSomewhere = new Set<string>();
  const extra = new Map<string, Finding[]>();
  for (const f of sorted) {
    onFile?.(f.path);
    let a: ReturnType<typeof analyzeTaskConfig>;
    try {
      a = analyzeTaskConfig(f.path, f.text, inner);
    } catch {
      continue;
    }
    for (const p of a.resolved.reachedVia.keys()) includedSomewhere.add(p);
    // Another harness's task names live in its own namespace.
    if (otherHarnessNamed(ctx.taskHarnessFor?.(path.resolve(f.path))?.harness)) continue;
    for (const n of a.names) {
      const first = firstByName.get(n.name);
      if (first === undefined) {
        firstByName.set(n.name, f.path);
        continue;
      }
      if (path.resolve(first) === path.resolve(f.path)) continue;
      const list = extra.get(f.path) ?? [];
      list.push({
        code: 'duplicate-task-name',
        severity: 'warning',
        message: `\`${n.name}\` is already defined in ${first}. Task, group and tag names share one namespace and lm-eval keeps the first file in path order, so this ${n.kind} is skipped. Rename it.`,
        range: n.range,
        ...(n.file !== f.path ? { file: n.file } : {}),
        related: [{ file: first, range: { start: 0, end: 0 }, message: `\`${n.name}\` first defined here` }],
      });
      extra.set(f.path, list);
    }
  }
  for (const f of files) {
    let findings = validateTaskConfig(f.path, f.text, {
      ...inner,
      workspaceNames: undefined,
      builtinNames: ctx.builtinNames,
      // Groups follow their member names to the files of this set (aggregate metrics no task reports).
      memberNames: ctx.memberNames ?? firstByName,
    });
    // A base file that other configs include is a template, not a forgotten task.
    const included = includedSomewhere.has(path.resolve(f.path));
    if (included) findings = findings.filter((x) => x.code !== 'no-task-or-group');
    // lm-eval only indexes `*.yaml`; a template nobody includes is never read (e.g. a generator's
    // `{repo_id}` template), so only its YAML syntax matters.
    else if (!/\.yaml$/i.test(f.path)) findings = findings.filter((x) => SYNTAX_CODES.has(x.code));
    out.set(f.path, [...findings, ...(extra.get(f.path) ?? [])]);
  }
  return out;
}

const SYNTAX_CODES = new Set(['yaml-syntax', 'duplicate-key', 'input-limit', 'other-harness']);

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
