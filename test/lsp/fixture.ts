// Shared set-up of the feature tests: a running server on a scratch copy of examples/, helpers
// to open files and ask for things at the first occurrence of a piece of text.

import { join } from 'node:path';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestClient, positionOf, read, repoRoot, workspaceFolder } from './client';

export interface Fixture {
  client: TestClient;
  uri(relative: string): string;
  path(relative: string): string;
  text(relative: string): string;
  /** Opens a file of the workspace (or `text` as that file) and waits for its first diagnostics. */
  open(relative: string, text?: string): Promise<string>;
  at(
    relative: string,
    needle: string,
    delta?: number,
  ): { textDocument: { uri: string }; position: { line: number; character: number } };
  stop(): Promise<void>;
}

export async function examplesFixture(settings?: unknown): Promise<Fixture> {
  const ws = workspaceFolder({}, join(repoRoot, 'examples'));
  const client = await TestClient.start({ folder: ws.folder, settings });
  const texts = new Map<string, string>();
  return {
    client,
    uri: ws.uri,
    path: ws.path,
    text: (relative) => texts.get(relative) ?? read(ws.path(relative)),
    async open(relative, text) {
      const content = text ?? read(ws.path(relative));
      texts.set(relative, content);
      const before = client.published(ws.uri(relative));
      await client.open(ws.uri(relative), content);
      await client.diagnosticsFor(ws.uri(relative), { after: before });
      return content;
    },
    at(relative, needle, delta = needle.length) {
      return {
        textDocument: { uri: ws.uri(relative) },
        position: positionOf(texts.get(relative) ?? read(ws.path(relative)), needle, delta),
      };
    },
    async stop() {
      await client.stop();
      ws.dispose();
    },
  };
}

/**
 * A fixture for a whole test file: started before its tests (opening `files`), checked for
 * logged failures and stopped after them.
 */
export function useExamples(files: string[] = []): Fixture {
  let current: Fixture | undefined;
  const get = () => {
    if (!current) throw new Error('the fixture starts before the first test');
    return current;
  };
  before(async () => {
    current = await examplesFixture();
    for (const file of files) await current.open(file);
  });
  after(async () => {
    // Stopped before the check: a failed check must not leave the server running (and the run waiting).
    const failures = get().client.failures();
    await get().stop();
    assert.deepEqual(failures, []);
  });
  return {
    get client() {
      return get().client;
    },
    uri: (relative) => get().uri(relative),
    path: (relative) => get().path(relative),
    text: (relative) => get().text(relative),
    open: (relative, text) => get().open(relative, text),
    at: (relative, needle, delta) => get().at(relative, needle, delta),
    stop: () => get().stop(),
  };
}
