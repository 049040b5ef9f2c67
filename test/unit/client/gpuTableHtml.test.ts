// The "Which GPU fits?" page: a row per GPU with its own bar, the GPU in use drawn large with the
// budget and the total marked, what does not fit drawn past the end, no scripts, escaped text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gpuTableHtml, stackedBarSvg } from '../../../client/src/gpuTableHtml';
import { analyzeDocument } from '../../../server/src/service/analyze';
import { gpuFitTable } from '../../../server/src/service/gpuFit';
import type { GpuFitRow } from '../../../server/src/shared/gpuFitTable';
import { testContext } from '../../helpers/context';

const GiB = 2 ** 30;
const table = gpuFitTable(
  analyzeDocument(
    {
      path: '/w/run.sh',
      text: '# lm-eval-lens: gpu=L4\nlm_eval --model vllm --model_args pretrained=Qwen/Qwen1.5-4B,max_model_len=4096 --tasks mmlu\n',
    },
    testContext(),
  ).launches[0],
)!;

const widthsOf = (svg: string) =>
  [...svg.matchAll(/<rect x="[\d.]+" y="0" width="([\d.]+)"/g)].map((m) => Number(m[1]));

describe('gpuTableHtml', () => {
  const html = gpuTableHtml(table, 'vscode-resource:');

  it('has a row and a bar per GPU, plus the large bar for the GPU in use', () => {
    const rows = html.match(/<tr class="[^"]*">/g) ?? [];
    assert.equal(rows.length, table.rows.length);
    assert.equal((html.match(/<svg class="bar"/g) ?? []).length, table.rows.length + 1);
    assert.equal(table.asWritten.gpu, 'L4');
    assert.match(html, /<tr class="current">\s*<td>L4<\/td>/);
    assert.match(html, /As written, on L4/);
  });

  it('runs no script and allows nothing but inline styles and data images', () => {
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /default-src 'none'/);
  });

  it('escapes what comes from the configuration', () => {
    const evil = gpuTableHtml({ ...table, model: '<img src=x onerror=alert(1)>' }, 'x');
    assert.doesNotMatch(evil, /<img src=x/);
    assert.match(evil, /&lt;img src=x/);
  });
});

describe('stackedBarSvg', () => {
  const row = (segments: GpuFitRow['segments'], totalGiB = 20): GpuFitRow => ({
    gpu: 'G',
    totalBytes: totalGiB * GiB,
    budgetBytes: 0.9 * totalGiB * GiB,
    gpuCount: 1,
    tensorParallelSize: 1,
    verdict: 'fits',
    headroomBytes: 0,
    segments,
    oneSequenceKvBytes: 0,
  });

  it('scales segments to the GPU total', () => {
    const svg = stackedBarSvg(
      row([
        { label: 'Weights', bytes: 10 * GiB, where: 'inside' },
        { label: 'KV cache', bytes: 8 * GiB, where: 'inside' },
        { label: 'Headroom', bytes: 2 * GiB, where: 'headroom' },
      ]),
      200,
      10,
    );
    assert.deepEqual(widthsOf(svg), [100, 80, 20]);
    assert.match(svg, /<line x1="180\.00"[^>]*class="budget"/);
    assert.doesNotMatch(svg, /url\(#over\)"/);
  });

  it('outlines the KV cache one sequence needs when it is more than what is left', () => {
    const r = row([
      { label: 'Weights', bytes: 10 * GiB, where: 'inside' },
      { label: 'KV cache', bytes: 2 * GiB, where: 'inside' },
      { label: 'Headroom', bytes: 8 * GiB, where: 'headroom' },
    ]);
    assert.doesNotMatch(stackedBarSvg({ ...r, oneSequenceKvBytes: 1 * GiB }, 200, 10), /class="need"/);
    const svg = stackedBarSvg({ ...r, oneSequenceKvBytes: 30 * GiB }, 400, 10);
    // 10 GiB of weights, then 30 GiB needed: the scale is 40 GiB, the GPU ends at 20.
    assert.match(svg, /<rect x="100\.00" y="1" width="300\.00" height="8" class="need">/);
    assert.match(svg, /<line x1="200\.00"[^>]*class="total"/);
  });

  it('draws what exceeds the GPU past its end, hatched', () => {
    const svg = stackedBarSvg(
      row([
        { label: 'Weights', bytes: 18 * GiB, where: 'inside' },
        { label: 'CUDA context', bytes: 7 * GiB, where: 'outside' },
        { label: 'Headroom', bytes: 0, where: 'headroom' },
      ]),
      250,
      10,
    );
    assert.match(svg, /<line x1="200\.00"[^>]*class="total"/, 'the GPU ends at 20 of 25 GiB');
    assert.match(svg, /<rect x="200\.00" y="0" width="50\.00" height="10" fill="url\(#over\)"/);
  });
});
