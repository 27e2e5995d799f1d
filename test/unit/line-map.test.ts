// Offsets to positions: `tsq lint` (LineMap) and the language server (the editor's text document)
// must place every offset of a file alike, or the same finding shows at different places. Line
// breaks are LF, CRLF or a lone CR; an offset between the CR and the LF of a pair has no place of
// its own and goes before the CR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineMap } from '../../server/src/model/text';

test('every offset of a text with LF, CRLF and lone CR breaks is where the editor puts it', () => {
  const texts = ['media: x\r\ntimeout: 1', 'a\r\n\r\nb\rc\n\nd\r', '\r\n', 'one line', '', 'x\ry\r\n\r\r\nz'];
  for (const text of texts) {
    const map = new LineMap(text);
    const editor = TextDocument.create('file:///x.tsq.yaml', 'tasksequence', 1, text);
    for (let offset = 0; offset <= text.length; offset++) {
      assert.deepEqual(map.positionAt(offset), editor.positionAt(offset), `${JSON.stringify(text)} at ${offset}`);
    }
  }
});

test('the end of a finding that runs to a CRLF line break is the end of the line', () => {
  const text = 'media: x\r\ntimeout: 1';
  assert.deepEqual(new LineMap(text).positionAt(text.indexOf('\n')), { line: 0, character: 'media: x'.length });
});

test('a long text of every kind of line break has its lines where the editor has them', () => {
  // Thousands of lines (the table of line starts grows as it is filled) of LF, CRLF, lone CR and runs of them.
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const pieces = ['a', 'bc', '\n', '\r\n', '\r', '\r\r\n', '\n\r', '\n\n'];
  let text = '';
  for (let i = 0; i < 20_000; i++) text += pieces[next() % pieces.length];
  const map = new LineMap(text);
  const editor = TextDocument.create('file:///x.tsq.yaml', 'tasksequence', 1, text);
  assert.equal(map.lineCount, editor.lineCount);
  for (let line = 0; line < editor.lineCount; line++)
    assert.equal(map.lineStart(line), editor.offsetAt({ line, character: 0 }), `line ${line}`);
});
