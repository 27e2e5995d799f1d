// Kept answers (server/src/lsp/kept-json.ts): a response whose result is kept with its JSON goes
// out as exactly the bytes JSON.stringify makes of the same message, so a client cannot tell a
// kept answer from one serialised afresh; the JSON is made once per kept answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeptJson, encodeMessage } from '../../server/src/lsp/kept-json';

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
