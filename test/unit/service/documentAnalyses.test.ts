// Analyses of open documents under load: shared by the requests that need them, stopped when the
// last of those is cancelled, dropped when the document changes, bounded in time, and parsed in a
// worker for large files with the same result as in place. Events and injected clocks, no sleeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument, type LensDocument } from '../../../server/src/service/analyze';
import {
  AnalysisCancelled,
  AnalysisSuperseded,
  DocumentAnalyses,
  type CancellationSignal,
} from '../../../server/src/service/documentAnalyses';
import { LaunchParser } from '../../../server/src/node/launchParser';
import type { ParseStopped } from '../../../server/src/service/launchParsing';
import { testContext } from '../../helpers/context';

/** `n` vLLM launches, one per line. */
function script(n: number): LensDocument {
  const lines = ['#!/bin/bash'];
  for (let i = 0; i < n; i++)
    lines.push(
      `lm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,dtype=float32,max_model_len=${1024 + i} --tasks gsm8k`,
    );
  return { path: '/proj/run.sh', text: `${lines.join('\n')}\n` };
}

function token(): CancellationSignal & { cancel(): void } {
  const listeners: (() => void)[] = [];
  let cancelled = false;
  return {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(l) {
      listeners.push(l);
      return { dispose: () => listeners.splice(listeners.indexOf(l), 1) };
    },
    cancel() {
      cancelled = true;
      for (const l of [...listeners]) l();
    },
  };
}

/** A context that counts the launches whose facts were built (one model lookup per vLLM launch). */
function countingContext() {
  const ctx = testContext({ gpu: 'A100-80GB' });
  const counter = { launches: 0 };
  const resolve = ctx.providers.resolveArchitecture.bind(ctx.providers);
  ctx.providers = {
    ...ctx.providers,
    resolveArchitecture: (p) => {
      counter.launches++;
      return resolve(p);
    },
  };
  return { ctx, counter };
}

describe('document analyses', () => {
  it('one analysis serves every request for a version; a cancelled request leaves the others theirs', async () => {
    const { ctx, counter } = countingContext();
    const analyses = new DocumentAnalyses({ contextFor: () => ctx, sliceMs: 0 });
    const doc = script(20);
    const cancelled = token();
    const a = analyses.analysis('file:///run.sh', 1, () => doc, cancelled);
    const b = analyses.analysis('file:///run.sh', 1, () => doc);
    cancelled.cancel();
    await assert.rejects(a, AnalysisCancelled);
    const result = await b;
    assert.equal(result.launches.length, 20);
    assert.equal(counter.launches, 20, 'analysed once');
    assert.equal(analyses.peek('file:///run.sh', 1), result);
    assert.deepEqual(
      result.findings.map((f) => f.code),
      analyzeDocument(doc, ctx).findings.map((f) => f.code),
      'slicing changes nothing',
    );
  });

  it('stops the work when the last request waiting for it is cancelled', async () => {
    const { ctx, counter } = countingContext();
    const stopped: string[] = [];
    const analyses = new DocumentAnalyses({
      contextFor: () => ctx,
      sliceMs: 0,
      onStopped: (_uri, _v, why) => stopped.push(why),
    });
    const t = token();
    const p = analyses.analysis('file:///run.sh', 1, () => script(200), t);
    t.cancel();
    await assert.rejects(p, AnalysisCancelled);
    await analyses.whenIdle();
    assert.deepEqual(stopped, [new AnalysisCancelled().message]);
    assert.ok(counter.launches < 200, `stopped after ${counter.launches} of 200 launches`);
    assert.equal(analyses.peek('file:///run.sh', 1), undefined, 'nothing half-done is kept');
  });

  it('drops the analysis of a version the editor has replaced', async () => {
    const { ctx } = countingContext();
    const analyses = new DocumentAnalyses({ contextFor: () => ctx, sliceMs: 0 });
    const old = analyses.analysis('file:///run.sh', 1, () => script(50));
    analyses.supersede('file:///run.sh', 2);
    await assert.rejects(old, AnalysisSuperseded);
    const current = await analyses.analysis('file:///run.sh', 2, () => script(3));
    assert.equal(current.launches.length, 3);
    await assert.rejects(
      analyses.analysis('file:///run.sh', 1, () => script(50)),
      AnalysisSuperseded,
    );
  });

  it('says which launches it skipped when a file takes longer than the time limit', async () => {
    const { ctx } = countingContext();
    let clock = 0;
    // Every reading of the clock is 100 ms later: the 1 s limit is reached after a few launches.
    const analyses = new DocumentAnalyses({ contextFor: () => ctx, timeLimitMs: 1000, now: () => (clock += 100) });
    const result = await analyses.analysis('file:///run.sh', 1, () => script(40));
    const skipped = result.findings.find((f) => f.code === 'input-limit');
    assert.ok(skipped, 'an input-limit finding');
    assert.match(skipped.message, /stopped checking this file after \d+ of 40 launches \(time limit 1\.0 s per file\)/);
    assert.ok(result.launches.length > 0 && result.launches.length < 40);
  });

  it('parses large documents in a worker with the same result, and gives up past the time limit', async () => {
    const { ctx } = countingContext();
    const parser = new LaunchParser();
    try {
      const doc = script(30);
      const inWorker = new DocumentAnalyses({ contextFor: () => ctx, parser, workerMinChars: 0 });
      const result = await inWorker.analysis('file:///run.sh', 1, () => doc);
      assert.deepEqual(
        result.findings.map((f) => [f.code, f.range.start, f.message]),
        analyzeDocument(doc, ctx).findings.map((f) => [f.code, f.range.start, f.message]),
      );
      // A fresh worker cannot even start within 1 ms, let alone parse 3,000 launches.
      const big = script(3000);
      const cold = new LaunchParser();
      await assert.rejects(cold.parse(big.text, { path: big.path }, {}, 1).promise, (e: ParseStopped) => {
        assert.equal(e.reason, 'time-limit');
        return true;
      });
      const limited = new DocumentAnalyses({ contextFor: () => ctx, parser: cold, workerMinChars: 0, timeLimitMs: 0 });
      const skipped = await limited.analysis('file:///run.sh', 1, () => big);
      cold.dispose();
      assert.match(skipped.findings[0]?.message ?? '', /finding its launches took longer than 0\.0 s/);
      // The parser still works after a stopped worker.
      assert.equal((await parser.parse(doc.text, { path: doc.path }, {}, 60_000).promise).length, 30);
    } finally {
      parser.dispose();
    }
  });

  it('notes instead of checking a task config too large to parse between keystrokes', async () => {
    const { ctx } = countingContext();
    const analyses = new DocumentAnalyses({ contextFor: () => ctx, maxTaskConfigChars: 4096 });
    let text =
      'task: big\ndataset_path: x\noutput_type: generate_until\ntest_split: test\ndoc_to_text: q\ndoc_to_target: a\nmetric_list:\n';
    const small = await analyses.analysis('file:///t/small.yaml', 1, () => ({ path: '/t/tasks/small.yaml', text }));
    assert.equal(small.role, 'task-config');
    while (text.length <= 4096) text += '  - metric: exact_match\n    aggregation: mean\n';
    const big = await analyses.analysis('file:///t/big.yaml', 1, () => ({ path: '/t/tasks/big.yaml', text }));
    assert.equal(big.role, 'none', 'not parsed: no hover or completion will parse it either');
    assert.equal(big.findings.length, 1);
    assert.match(
      big.findings[0].message,
      /does not check task configs over 4\.0 KiB while you type \(this one is 4\.\d KiB/,
    );
    assert.match(big.findings[0].message, /lm-eval-lens check/);
  });
});
