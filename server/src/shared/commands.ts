// Command ids shared by the VS Code client and the server, in a module with no imports so the
// client's activation bundle stays small (messages.ts pulls in the LSP protocol library).

/** Server command behind the quick fix "Fetch config.json for ORG/NAME from the Hugging Face Hub"
 * (`workspace/executeCommand`, arguments `[{ id, revision? }]`). */
export const FETCH_MODEL_CONFIG_COMMAND = 'lmEvalLens.fetchModelConfig';
/** Client command (VS Code): turn on lmEvalLens.allowNetwork for the workspace. A client that has it
 * lists it in `initializationOptions.clientCommands`, and the server then offers it as a quick fix. */
export const ALLOW_NETWORK_COMMAND = 'lmEvalLens.allowNetwork';
