// The GPU table as a static page: the memory of the GPU in use drawn as a stacked bar against its
// total (budget marked), then one row per catalog GPU with its own small bar. Pure (no vscode
// import), so it is unit-tested; colours come from the theme's chart palette.
import type { GpuFitRow, GpuFitTable, MemorySegment } from '../../server/src/shared/gpuFitTable';

const GiB = 2 ** 30;
const gib = (bytes: number, digits = 1) => `${(bytes / GiB).toFixed(digits)} GiB`;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Segment colour by what it is (theme chart colours, with fallbacks outside VS Code). */
function colorOf(s: MemorySegment): string {
  if (s.where === 'headroom') return 'var(--vscode-editorWidget-border, #8884)';
  const l = s.label.toLowerCase();
  if (l.startsWith('weights')) return 'var(--vscode-charts-blue, #3794ff)';
  if (l.startsWith('activation')) return 'var(--vscode-charts-purple, #b180d7)';
  if (l.startsWith('non-torch')) return 'var(--vscode-charts-yellow, #cca700)';
  if (l.startsWith('cuda graphs')) return 'var(--vscode-charts-orange, #d18616)';
  if (l.startsWith('kv cache')) return 'var(--vscode-charts-green, #89d185)';
  if (l.startsWith('cuda context')) return 'var(--vscode-charts-foreground, #ccc)';
  return 'var(--vscode-charts-red, #f14c4c)';
}

const VERDICT: Record<GpuFitRow['verdict'], { icon: string; text: string; cls: string }> = {
  fits: { icon: '✔', text: 'fits', cls: 'fits' },
  'at-risk': { icon: '⚠', text: 'at risk', cls: 'risk' },
  'will-fail': { icon: '✘', text: 'will fail', cls: 'fail' },
};

/**
 * A horizontal stacked bar, `width` px for the GPU's total: the segments in order, a dashed line at
 * the budget (gpu_memory_utilization × total), and whatever does not fit drawn past the end in red.
 */
export function stackedBarSvg(row: GpuFitRow, width: number, height: number, labels = false): string {
  // When one max_model_len sequence needs more KV cache than is left (vLLM refuses to start), that
  // need is drawn as a dashed outline from where the KV cache starts.
  let before = 0;
  for (const s of row.segments) {
    if (s.label.startsWith('KV cache')) break;
    before += s.bytes;
  }
  const kv = row.segments.find((s) => s.label.startsWith('KV cache'))?.bytes ?? 0;
  const kvShort = row.oneSequenceKvBytes > kv * 1.001;
  const scaleMax = Math.max(
    row.totalBytes,
    row.segments.reduce((a, s) => a + (s.where === 'headroom' ? 0 : s.bytes), 0),
    kvShort ? before + row.oneSequenceKvBytes : 0,
  );
  const px = (bytes: number) => (bytes / scaleMax) * width;
  let x = 0;
  const parts: string[] = [];
  for (const s of row.segments) {
    const w = px(s.bytes);
    if (w <= 0) continue;
    parts.push(
      `<rect x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="${height}" fill="${colorOf(s)}"><title>${esc(`${s.label}: ${gib(s.bytes, 2)} (${s.where === 'inside' ? 'in the budget' : s.where === 'outside' ? 'outside the budget' : 'free'})`)}</title></rect>`,
    );
    if (labels && w > 70)
      parts.push(
        `<text x="${(x + 4).toFixed(2)}" y="${height / 2 + 4}" class="seg">${esc(shortLabel(s.label))} ${(s.bytes / GiB).toFixed(1)}</text>`,
      );
    x += w;
  }
  const total = px(row.totalBytes);
  const budget = px(row.budgetBytes);
  const overflow = x > total + 0.5;
  if (overflow)
    parts.push(
      `<rect x="${total.toFixed(2)}" y="0" width="${(x - total).toFixed(2)}" height="${height}" fill="url(#over)"><title>beyond the GPU's ${gib(row.totalBytes, 2)}</title></rect>`,
    );
  if (kvShort)
    parts.push(
      `<rect x="${px(before).toFixed(2)}" y="1" width="${px(row.oneSequenceKvBytes).toFixed(2)}" height="${height - 2}" class="need"><title>${esc(`one max_model_len sequence needs ${gib(row.oneSequenceKvBytes, 2)} of KV cache; ${gib(kv, 2)} is left`)}</title></rect>`,
    );
  parts.push(
    `<line x1="${budget.toFixed(2)}" x2="${budget.toFixed(2)}" y1="-3" y2="${height + 3}" class="budget"><title>budget ${gib(row.budgetBytes, 2)}</title></line>`,
    `<line x1="${total.toFixed(2)}" x2="${total.toFixed(2)}" y1="-3" y2="${height + 3}" class="total"><title>GPU total ${gib(row.totalBytes, 2)}</title></line>`,
  );
  return `<svg class="bar" width="${width + 2}" height="${height + 6}" viewBox="-1 -3 ${width + 2} ${height + 6}" role="img" aria-label="${esc(`${row.gpu}: memory per GPU against ${gib(row.totalBytes)}`)}"><defs><pattern id="over" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" fill="var(--vscode-charts-red, #f14c4c)"/></pattern></defs>${parts.join('')}</svg>`;
}

function shortLabel(label: string): string {
  return label.replace(/\s*\(.*$/, '');
}

function legend(row: GpuFitRow): string {
  const kv = row.segments.find((s) => s.label.startsWith('KV cache'))?.bytes ?? 0;
  const need =
    row.oneSequenceKvBytes > kv * 1.001
      ? `<span class="key"><i class="need-key"></i>one max_model_len sequence needs ${gib(row.oneSequenceKvBytes, 2)} of KV cache</span>`
      : '';
  return (
    need +
    row.segments
      .map(
        (s) =>
          `<span class="key"><i style="background:${colorOf(s)}"></i>${esc(shortLabel(s.label))} ${gib(s.bytes, 2)}${s.where === 'outside' ? ' (outside budget)' : ''}</span>`,
      )
      .join('')
  );
}

export function gpuTableHtml(table: GpuFitTable, cspSource: string): string {
  const current = table.asWritten;
  const rows = table.rows
    .map((r) => {
      const v = VERDICT[r.verdict];
      const fits = r.tensorParallelSize !== undefined;
      return `<tr class="${r.gpu === table.currentGpu ? 'current' : ''}">
<td>${esc(r.gpu)}</td><td class="num">${gib(r.totalBytes)}</td>
<td class="num">${fits ? r.tensorParallelSize : '–'}</td><td class="num">${fits ? r.gpuCount : '–'}</td>
<td class="${v.cls}">${v.icon} ${v.text}</td>
<td class="num">${fits ? gib(r.headroomBytes) : '–'}</td>
<td class="num">${r.maxModelLenThatFits ?? '–'}</td>
<td>${stackedBarSvg(r, 220, 12)}</td></tr>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline'; img-src data:;">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Which GPU fits?</title>
<style>
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 8px 16px; }
h1 { font-size: 1.3em; margin: 0.3em 0; } h2 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
.sub { color: var(--vscode-descriptionForeground); margin: 0 0 0.6em; }
table { border-collapse: collapse; } th, td { padding: 3px 10px 3px 0; text-align: left; white-space: nowrap; }
th { border-bottom: 1px solid var(--vscode-editorWidget-border, #8886); font-weight: 600; }
td.num, th.num { text-align: right; }
tr.current td { font-weight: 600; background: var(--vscode-list-inactiveSelectionBackground, #8882); }
.fits { color: var(--vscode-testing-iconPassed, #73c991); } .risk { color: var(--vscode-editorWarning-foreground, #cca700); }
.fail { color: var(--vscode-editorError-foreground, #f14c4c); }
svg.bar { vertical-align: middle; max-width: 100%; height: auto; } .budget { stroke: var(--vscode-foreground, #333); stroke-dasharray: 3 2; stroke-width: 1.5; }
.total { stroke: var(--vscode-foreground, #333); stroke-width: 2; } .seg { font-size: 11px; fill: #000; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0; }
.reasons { color: var(--vscode-descriptionForeground); max-width: 900px; }
.need { fill: none; stroke: var(--vscode-charts-red, #f14c4c); stroke-dasharray: 5 3; stroke-width: 2; }
.key i.need-key { border: 2px dashed var(--vscode-charts-red, #f14c4c); width: 8px; height: 8px; background: none; }
.key i { display: inline-block; width: 10px; height: 10px; margin-right: 5px; vertical-align: middle; }
</style></head>
<body>
<h1>Which GPU fits? ${esc(table.model)}</h1>
<p class="sub">vLLM ${esc(table.vllmVersion)} · as written: tensor_parallel_size=${table.tensorParallelSize}, max_model_len=${table.maxModelLen} · each GPU at the smallest tensor_parallel_size (up to 8) that fits</p>
${
  current
    ? `<h2>As written, on ${esc(current.gpu)} (GPU from ${esc(table.currentGpuSource)}), ${table.tensorParallelSize > 1 ? `tensor_parallel_size=${table.tensorParallelSize}, ` : ''}per GPU: <span class="${VERDICT[current.verdict].cls}">${VERDICT[current.verdict].icon} ${VERDICT[current.verdict].text}</span></h2>
${stackedBarSvg(current, 900, 26, true)}
<div class="legend">${legend(current)}<span class="key">┆ budget ${gib(current.budgetBytes, 2)}</span><span class="key">│ GPU ${gib(current.totalBytes, 2)}</span></div>
${current.reasons.length ? `<ul class="reasons">${current.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : ''}`
    : ''
}
<h2>Every GPU</h2>
<table>
<thead><tr><th>GPU</th><th class="num">Memory</th><th class="num">TP</th><th class="num">GPUs</th><th>Verdict</th><th class="num">Headroom</th><th class="num">Largest max_model_len</th><th>Per GPU (dashed: budget)</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p class="sub">Same table: <code>lm-eval-lens estimate --model-args … --gpu all</code></p>
</body></html>`;
}
