// "Which GPU fits?": a code lens over each vLLM launch (resolved to "Fits on: …" only when shown),
// and lmEvalLens/gpuTable for a launch of an open document or for a bare model_args string.
import { analyzeDocument } from '../service/analyze';
import { codeLenses, gpuTableAt, resolveCodeLens, syntheticLaunch } from '../service/codeLens';
import { GpuTableRequest } from '../shared/messages';
import type { ServerSession } from './session';

export function registerGpuTable(session: ServerSession): void {
  const { connection } = session;
  const { onAnalysis } = session.sync;
  connection.onCodeLens((p, token) =>
    session.workspace.settings.codeLens ? onAnalysis('codeLens', [], (a, doc) => codeLenses(a, doc))(p, token) : [],
  );
  connection.onCodeLensResolve((lens, token) => {
    const uri = (lens.data as { uri?: string } | undefined)?.uri ?? '';
    return onAnalysis('codeLensResolve', lens, (a) => resolveCodeLens(lens, a))({ textDocument: { uri } }, token);
  });
  connection.onRequest(GpuTableRequest, (p, token) => {
    if ('modelArgs' in p)
      return session.guard('gpuTable', null, () => {
        const file = `${session.workspace.roots[0] ?? process.cwd()}/lm-eval-lens-gpu-table.sh`;
        const text = syntheticLaunch(p.modelArgs, p.tasks);
        return gpuTableAt(analyzeDocument({ path: file, text }, session.context)) ?? null;
      });
    return onAnalysis(
      'gpuTable',
      null,
      (a) => gpuTableAt(a, p.offset) ?? null,
    )({ textDocument: { uri: p.uri } }, token);
  });
}
