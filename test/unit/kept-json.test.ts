// Kept answers (server/src/lsp/kept-json.ts): a response whose result is kept with its JSON goes
// out as exactly the bytes JSON.stringify makes of the same message, so a client cannot tell a
// kept answer from one serialised afresh; the JSON is made once per kept answer and its bytes are
// sent as they are, never copied into each response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Message } from 'vscode-languageserver/node';
import { KeptJson, keptJsonWriter, messageParts } from '../../server/src/lsp/kept-json';

/** The message's bytes as the writer sends them, joined. */
function encodeMessage(message: object): Buffer {
  return Buffer.concat(messageParts(message as Message));
}

const OUTLINE = [
  {
    name: 'Préparer le disque · 日本語 ✓ "quoted" \\ back',
    detail: 'group · g1',
    kind: 3,
    range: { start: { line: 0, character: 2 }, end: { line: 9, character: 0 } },
    selectionRange: { start: { line: 0, character: 11 }, end: { line: 0, character: 30 } },
    children: [
      {
        name: 'Run \u2028 line separator, emoji 😀, control \u0001',
        detail: 'command line',
        kind: 12,
        range: { start: { line: 2, character: 4 }, end: { line: 3, character: 20 } },
        selectionRange: { start: { line: 2, character: 12 }, end: { line: 2, character: 40 } },
      },
    ],
  },
];

test('a response carrying a kept answer is byte for byte the message JSON.stringify makes', () => {
  for (const id of [7, 0, 2 ** 40, 'request "one" ✓']) {
    const plain = { jsonrpc: '2.0', id, result: OUTLINE };
    const kept = { jsonrpc: '2.0', id, result: new KeptJson(OUTLINE) };
    assert.deepEqual(encodeMessage(kept), Buffer.from(JSON.stringify(plain), 'utf-8'), `id ${JSON.stringify(id)}`);
    assert.deepEqual(JSON.parse(encodeMessage(kept).toString('utf-8')), plain);
  }
});

test('other messages are written as JSON.stringify makes them', () => {
  const messages = [
    { jsonrpc: '2.0', id: 1, result: OUTLINE },
    { jsonrpc: '2.0', id: 2, result: null },
    { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'bad ✗' } },
    { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'tsq: é' } },
  ];
  for (const m of messages) assert.deepEqual(encodeMessage(m), Buffer.from(JSON.stringify(m), 'utf-8'));
});

test('a kept answer is serialised once, and any other serialiser sees the answer itself', () => {
  const kept = new KeptJson(OUTLINE);
  const response = { jsonrpc: '2.0', id: 1, result: kept };
  const first = encodeMessage(response);
  assert.equal(kept.encoded(), kept.encoded(), 'the same bytes every time');
  assert.deepEqual(encodeMessage(response), first);
  assert.equal(JSON.stringify({ result: kept }), JSON.stringify({ result: OUTLINE }));
});

test('each response sends the kept bytes themselves, and the answer reads back the same once they are made', () => {
  const kept = new KeptJson(structuredClone(OUTLINE));
  const bytes = kept.encoded();
  for (const id of [1, 2]) assert.equal(messageParts({ jsonrpc: '2.0', id, result: kept } as Message)[1], bytes);
  assert.deepEqual(kept.toJSON(), OUTLINE);
});

/** Frames written to `stream`, read by their Content-Length as a client reads them. */
function frames(written: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < written.length) {
    const headEnd = written.indexOf('\r\n\r\n', at);
    const head = written.subarray(at, headEnd).toString('ascii');
    const length = Number(/^Content-Length: (\d+)$/.exec(head)?.[1]);
    out.push(written.subarray(headEnd + 4, headEnd + 4 + length).toString('utf-8'));
    at = headEnd + 4 + length;
  }
  return out;
}

test('the writer frames every message by its length in bytes, in the order they were written', async () => {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const writer = keptJsonWriter(stream);
  const messages = [
    { jsonrpc: '2.0', id: 1, result: new KeptJson(OUTLINE) },
    { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'tsq: é 😀' } },
    { jsonrpc: '2.0', id: 2, result: new KeptJson(OUTLINE) },
  ];
  await Promise.all(messages.map((m) => writer.write(m as Message)));
  const plain = messages.map((m) => JSON.stringify({ ...m, ...('result' in m ? { result: OUTLINE } : {}) }));
  assert.deepEqual(frames(Buffer.concat(chunks)), plain);
});

test('a failed write is reported to the connection and rejects the message', async () => {
  const stream = new PassThrough({
    write(_chunk, _encoding, done) {
      done(new Error('pipe closed'));
    },
  });
  stream.on('error', () => undefined);
  const writer = keptJsonWriter(stream);
  const reported: string[] = [];
  writer.onError(([error]) => reported.push(error.message));
  await assert.rejects(writer.write({ jsonrpc: '2.0', id: 1, result: null } as Message), /pipe closed/);
  assert.ok(reported.includes('pipe closed'), `reported: ${reported.join(', ')}`);
});
