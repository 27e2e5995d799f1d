// The workspace's health summary (lsp/workspace-health.ts): what is counted, which problem is a
// file's first, the order of the files and the cap on how many are listed; the protocol tests
// (test/lsp/workspace-health.test.ts) show when it is sent.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceHealthTracker } from '../../server/src/lsp/workspace-health';
import { FILES_LISTED } from '../../server/src/frontend/workspace-health-protocol';
import type { Diagnostic, Severity } from '../../server/src/analysis/diagnostic';
import { LineMap } from '../../server/src/model/text';

const TEXT = 'line one\nline two\nline three\n';
const lines = new LineMap(TEXT);
const at = (line: number) => TEXT.split('\n').slice(0, line).join('\n').length + (line ? 1 : 0);

function finding(severity: Severity, line: number, message = `${severity} on line ${line + 1}`): Diagnostic {
  return { docId: 'x', start: at(line), end: at(line) + 4, severity, code: `${severity}-rule`, message };
}

function tracker() {
  const t = new WorkspaceHealthTracker(
    () => {},
    () => ({ enabled: true, checking: false, scope: 'openFiles' as const }),
  );
  return t;
}

test('errors, warnings and notes are counted; hints are not; files with only notes are not listed', () => {
  const t = tracker();
  t.record('/a', 'file:///a', [finding('warning', 0), finding('error', 2), finding('hint', 1)], lines);
  t.record('/b', 'file:///b', [finding('information', 0), finding('hint', 1)], lines);
  t.record('/c', 'file:///c', [], lines);
  const s = t.summary();
  assert.deepEqual([s.errors, s.warnings, s.information, s.checked, s.filesWithProblems], [1, 1, 1, 3, 1]);
  assert.deepEqual(s.files[0].first, {
    line: 2,
    character: 0,
    severity: 'error',
    code: 'error-rule',
    message: 'error on line 3',
  });
  t.dispose();
});

test("a file's first problem is its first error, else its first warning, and only the message's first line", () => {
  const t = tracker();
  t.record('/a', 'file:///a', [finding('warning', 2), finding('warning', 1, 'Broken.\nThe hint.')], lines);
  assert.deepEqual(t.summary().files[0].first, {
    line: 1,
    character: 0,
    severity: 'warning',
    code: 'warning-rule',
    message: 'Broken.',
  });
  t.dispose();
});

test('files are listed most errors first, then most warnings, then by name; a forgotten file no longer counts', () => {
  const t = tracker();
  t.record('/w', 'file:///w', [finding('warning', 0), finding('warning', 1)], lines);
  t.record('/e1', 'file:///e1', [finding('error', 0)], lines);
  t.record('/e2', 'file:///e2', [finding('error', 0), finding('error', 1)], lines);
  t.record('/d', 'file:///d', [finding('error', 0)], lines);
  assert.deepEqual(
    t.summary().files.map((f) => f.uri),
    ['file:///e2', 'file:///d', 'file:///e1', 'file:///w'],
  );
  t.forget('/e2');
  assert.deepEqual([t.summary().errors, t.summary().filesWithProblems], [2, 3]);
  t.dispose();
});

test(`a huge broken workspace lists ${FILES_LISTED} files and says how many there are`, () => {
  const t = tracker();
  for (let i = 0; i < FILES_LISTED + 50; i++) t.record(`/f${i}`, `file:///f${i}`, [finding('error', 0)], lines);
  const s = t.summary();
  assert.equal(s.files.length, FILES_LISTED);
  assert.equal(s.filesWithProblems, FILES_LISTED + 50);
  assert.equal(s.errors, FILES_LISTED + 50);
  t.dispose();
});
