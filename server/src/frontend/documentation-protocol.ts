// The shape of the `tsq/documentation` request (lsp/documentation.ts answers it), with no code
// behind it, so that the VS Code client can share it without taking in the server.

export const DOCUMENTATION_REQUEST = 'tsq/documentation';

export interface DocumentationParams {
  textDocument: { uri: string };
}

export type DocumentationResult = { ok: true; title: string; html: string } | { ok: false; message: string };
