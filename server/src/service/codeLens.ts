// The code lens "Fits on: …" above each vLLM launch, and the GPU table it opens. A lens is cheap to
// list and resolved only when the editor shows it: the table estimates the launch on every catalog
// GPU (a few hundred estimates, ~100 ms), which a long script must not pay for every launch.
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LaunchFacts } from '../facts/launch';
import type { AnalyzedDocument } from './analyzedDocument';
import type { GpuFitTable } from '../shared/gpuFitTable';
import { fitsOnSummary, gpuFitTable } from './gpuFit';

/** The command the lens runs: the VS Code client opens the table (other clients show the title). */
export const SHOW_GPU_TABLE_COMMAND = 'lmEvalLens.showGpuTable';

/** At most this many lenses per document (a generated script can hold thousands of launches). */
const MAX_LENSES = 200;

export interface GpuTableTarget {
  uri: string;
  /** Offset of the launch in the document. */
  offset: number;
}

interface LensData {
  uri: string;
  version: number;
  offset: number;
}

export function codeLenses(analysis: AnalyzedDocument, doc: TextDocument): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const launch of analysis.launches) {
    if (lenses.length >= MAX_LENSES) break;
    if (!launch.isVllm || !launch.estimate) continue;
    const at = doc.positionAt(launch.invocation.range.start);
    const data: LensData = { uri: doc.uri, version: doc.version, offset: launch.invocation.range.start };
    lenses.push({ range: { start: at, end: at }, data });
  }
  return lenses;
}

export function resolveCodeLens(lens: CodeLens, analysis: AnalyzedDocument): CodeLens {
  const data = lens.data as LensData | undefined;
  if (!data) return lens;
  const launch = launchAt(analysis, data.offset);
  const table = launch && gpuFitTable(launch);
  if (!table) return { ...lens, command: { title: 'Which GPU fits? (no estimate)', command: '' } };
  const target: GpuTableTarget = { uri: data.uri, offset: data.offset };
  return { ...lens, command: { title: fitsOnSummary(table), command: SHOW_GPU_TABLE_COMMAND, arguments: [target] } };
}

/** The vLLM launch containing `offset`, else the first one that has an estimate. */
export function launchAt(analysis: AnalyzedDocument, offset?: number): LaunchFacts | undefined {
  const withEstimate = analysis.launches.filter((l) => l.isVllm && l.estimate);
  if (offset !== undefined) {
    const hit = withEstimate.find((l) => l.invocation.range.start <= offset && offset <= l.invocation.range.end);
    if (hit) return hit;
  }
  return withEstimate[0];
}

export function gpuTableAt(analysis: AnalyzedDocument, offset?: number): GpuFitTable | undefined {
  const launch = launchAt(analysis, offset);
  return launch && gpuFitTable(launch);
}

/** A one-line shell launch for a bare model_args string (the table asked for without a file). */
export function syntheticLaunch(modelArgs: string, tasks?: string): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `lm_eval --model vllm --model_args ${quote(modelArgs)}${tasks ? ` --tasks ${quote(tasks)}` : ''}\n`;
}
