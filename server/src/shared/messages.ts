// The custom LSP messages between the VS Code client and the server, typed once for both sides
// (vscode-eslint's `$shared/customMessages.ts`). Method names are part of the wire protocol: other
// clients (Neovim configs, scripts) may send them, so never rename one.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/** What the client's language status item shows for the active document. */
export interface DocumentStatus {
  gpu: string;
  gpuSource: string;
  gpuCount?: number;
  vllmVersion: string;
  vllmSource: string;
  launches: number;
  verdict?: string;
}

export interface DocumentStatusParams {
  /** The active document; absent or unknown: the status from settings alone. */
  uri?: string;
}

export interface TrustParams {
  trusted?: boolean;
}

/** `lmEvalLens/documentStatus`: the GPU, vLLM version and verdict in effect for a document. */
export const DocumentStatusRequest = new RequestType<DocumentStatusParams, DocumentStatus | null, void>(
  'lmEvalLens/documentStatus',
);

/** `lmEvalLens/gpuCatalog`: the catalog GPU names, for the "Select GPU" picker. */
export const GpuCatalogRequest = new RequestType0<string[], void>('lmEvalLens/gpuCatalog');

/** `lmEvalLens/trust`: the workspace became trusted (the server may now run nvidia-smi). */
export const TrustNotification = new NotificationType<TrustParams>('lmEvalLens/trust');
