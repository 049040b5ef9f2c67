// The properties every input must satisfy (issue "Survive anything"): no throw, every range inside
// the document, every fix's edits applicable and re-parsable. Time per input is measured and
// returned; `npm run fuzz` reports the slowest (tests assert no wall-clock figure).
import assert from 'node:assert/strict';
import { analyzeDocument, type ServiceContext } from '../../server/src/service/analyze';
import type { Finding } from '../../server/src/shared/findings';

/** Load lazily built state (compiled JSON schemas, the task index) before anything is timed. */
export function warmUp(ctx: ServiceContext): void {
  for (const [path, text] of [
    ['/w/tasks/t.yaml', 'task: t\ndataset_path: x\noutput_type: multiple_choice\n'],
    ['/w/run.sh', 'lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B --tasks mmlu\n'],
  ])
    analyzeDocument({ path, text }, ctx);
}

function assertRange(r: { start: number; end: number }, length: number, what: string): void {
  assert.ok(Number.isInteger(r.start) && Number.isInteger(r.end), `${what}: integer offsets`);
  assert.ok(r.start >= 0 && r.start <= r.end && r.end <= length, `${what}: [${r.start}, ${r.end}) inside 0..${length}`);
}

/** Check one input; returns how long the analysis took, in ms. */
export function checkDocument(path: string, text: string, ctx: ServiceContext): number {
  const t0 = performance.now();
  const analysis = analyzeDocument({ path, text }, ctx);
  const ms = performance.now() - t0;
  for (const f of analysis.findings) checkFinding(f, path, text, ctx);
  return ms;
}

function checkFinding(f: Finding, path: string, text: string, ctx: ServiceContext): void {
  if (f.file) return;
  assertRange(f.range, text.length, f.code);
  for (const fix of f.fixes ?? []) {
    const edits = fix.edits.filter((e) => !e.file).sort((a, b) => b.range.start - a.range.start);
    for (const e of edits) assertRange(e.range, text.length, `${f.code} fix "${fix.title}"`);
    for (let i = 1; i < edits.length; i++)
      assert.ok(edits[i].range.end <= edits[i - 1].range.start, 'fix edits do not overlap');
    let out = text;
    for (const e of edits) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
    analyzeDocument({ path, text: out }, ctx); // must not throw
  }
}
