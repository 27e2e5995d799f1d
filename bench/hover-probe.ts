// Asks the language server for hover again and again while it does other work, and keeps each
// answer's latency: how the benches see whether requests keep being answered during long work.

import { HoverRequest } from 'vscode-languageserver-protocol/node';
import type { TestClient } from '../test/lsp/client';

/** Starts probing hover at `position` of `uri`; `stop()` ends it and gives the latencies in ms. */
export function probeHover(
  client: TestClient,
  uri: string,
  position: { line: number; character: number },
): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let done = false;
  const probing = (async () => {
    while (!done) {
      const t = performance.now();
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
      latencies.push(performance.now() - t);
      // A pause between probes, so that the probes do not become the work they measure.
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    async stop() {
      done = true;
      await probing;
      return latencies;
    },
  };
}
