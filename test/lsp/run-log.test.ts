// The `tsq/runLog` request over the protocol, as the VS Code command "Task Sequence: Open Run Log…"
// (and any other LSP client) uses it: the server reads the smsts.log files of a run, matches them
// to the open sequence and its child sequence, and answers with each node's range, ConfigMgr step
// number (the pointer smsts.log shows, https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/troubleshoot-install-application-step
// quotes "Start executing an instruction. Instructionname: … Instruction pointer: …"), status,
// exit code and log lines, and with the failures for a Problems source of their own.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { TestClient, read, workspaceFolder } from './client';
import { RunLogRequest, type RunLogResult } from '../../server/src/lsp/run-log';
import { RUNLOG_FIXTURES } from '../runlog/helpers';

type Ok = Extract<RunLogResult, { ok: true }>;

describe('tsq/runLog', () => {
  const ws = workspaceFolder({}, path.join(RUNLOG_FIXTURES, '04-child-failure'));
  let client: TestClient;
  const parent = ws.uri('sequence.tsq.yaml');
  const child = ws.uri('child.tsq.yaml');

  before(async () => {
    client = await TestClient.start({ folder: ws.folder });
    await client.open(parent, read(ws.path('sequence.tsq.yaml')));
    await client.diagnosticsFor(parent);
  });

  after(async () => {
    await client.stop();
    ws.dispose();
  });

  const ask = (uri: string, logs: string[]) =>
    client.connection.sendRequest(RunLogRequest, { textDocument: { uri }, logs });

  test('answers for the sequence and its child: ranges, step numbers, statuses, exit codes', async () => {
    const r = (await ask(parent, [ws.uri('smsts.log')])) as Ok;
    assert.equal(r.ok, true);
    assert.equal(r.result, 'failed');
    assert.match(r.summary, /failed at "Applications\/Standard applications\/Line-of-business app" \(smsts\.log:104\)/);
    const byUri = new Map(r.documents.map((d) => [d.uri, d]));
    const parentText = read(ws.path('sequence.tsq.yaml'));
    const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
    const p = byUri.get(parent)!;
    assert.deepEqual(
      p.nodes.map((n) => [n.range.start.line, n.pointer, n.status, n.exitCode]),
      [
        [lineOf(parentText, 'group: Prepare'), 0, 'succeeded', null],
        [lineOf(parentText, 'name: Record start time'), 1, 'succeeded', 0],
        [lineOf(parentText, 'name: Check free space'), 2, 'failed-continued', 5],
        [lineOf(parentText, 'name: Applications'), 3, 'failed', 1603],
        [lineOf(parentText, 'name: Write completion marker'), 9, 'not-reached', null],
      ],
    );
    const childText = read(ws.path('child.tsq.yaml'));
    const c = byUri.get(child)!;
    assert.deepEqual(
      c.nodes.map((n) => [n.range.start.line, n.pointer, n.status]),
      [
        [lineOf(childText, 'group: Standard applications'), 4, 'failed'],
        [lineOf(childText, 'name: Microsoft 365 Apps'), 5, 'succeeded'],
        [lineOf(childText, 'name: Line-of-business app'), 6, 'failed'],
        [lineOf(childText, 'name: Tools'), 7, 'not-reached'],
        [lineOf(childText, 'name: Pilot ring extras'), 8, 'not-reached'],
      ],
    );
    const name = c.nodes[2].range;
    assert.equal(
      childText.split('\n')[name.start.line].slice(name.start.character, name.end.character),
      'Line-of-business app',
    );
  });

  test('the hover quotes the log lines that decided, with the exit code and the step number', async () => {
    const r = (await ask(parent, [ws.uri('smsts.log')])) as Ok;
    const lob = r.documents.find((d) => d.uri === child)!.nodes[2];
    assert.match(lob.hover, /\*\*Run log: ✘ failed\*\* · exit code 1603 · ConfigMgr step 6/);
    assert.match(lob.hover, /Fatal error during installation\. \(Error: 00000643; Source: Windows\)/);
    assert.match(
      lob.hover,
      /smsts\.log:89 {2}TSManager: Start executing an instruction\. Instruction name: 'Line-of-business app'/,
    );
    assert.match(lob.hover, /smsts\.log:104 {2}TSManager: Failed to run the action: Line-of-business app\./);
    const tools = r.documents.find((d) => d.uri === child)!.nodes[3];
    assert.match(tools.hover, /not reached\*\* · ConfigMgr step 7/);
  });

  test('gives the machine profile that replays the run, for "Save Replay Machine…"', async () => {
    const r = (await ask(parent, [ws.uri('smsts.log')])) as Ok;
    assert.match(r.machineProfile, /^machine: Replay of Deploy standard apps \(smsts\.log\)$/m);
    assert.match(r.machineProfile, /^ {2}Line-of-business app: \{ exitCode: 1603, duration: 58 \}$/m);
    assert.deepEqual(r.logs, [ws.path('smsts.log')]);
  });

  test('lists the failures as problems: an error where the run failed, a warning where it went on', async () => {
    const r = (await ask(parent, [ws.uri('smsts.log')])) as Ok;
    const all = r.documents.flatMap((d) => d.problems.map((p) => ({ uri: d.uri, ...p })));
    assert.deepEqual(
      all.map((p) => [p.uri === child ? 'child' : 'parent', p.severity]),
      [
        ['parent', DiagnosticSeverity.Warning],
        ['child', DiagnosticSeverity.Error],
      ],
    );
    assert.match(
      all[1].message,
      /^Failed in the run \(smsts\.log:104\): Fatal error during installation\. \(Error: 00000643; Source: Windows\) — exit code 1603$/,
    );
  });

  test('shows what a log says as text: a message cannot make a link or markup in the hover', async () => {
    const entry = (message: string, s: number) =>
      `<![LOG[${message}]LOG]!><time="10:00:0${s}.000+000" date="01-15-2026" component="TSManager" context="" type="1" thread="1" file="">\r\n`;
    fs.writeFileSync(
      ws.path('hostile.log'),
      [
        entry("Start executing an instruction. Instruction name: 'Prepare'.  Pointer: 0. Type: ''. Disabled: 0", 1),
        entry('The group (Prepare) has been successfully started', 2),
        entry(
          "Start executing an instruction. Instruction name: 'Record start time'.  Pointer: 1. Type: 'SMS_TaskSequence_SetVariableAction'. Disabled: 0",
          3,
        ),
        entry(
          'Failed to run the action: Record start time.\r\n[Open me](command:workbench.action.quit) <img src=x> **bold** (Error: 00000001; Source: Windows)',
          4,
        ),
      ].join(''),
    );
    const r = (await ask(parent, [ws.uri('hostile.log')])) as Ok;
    const record = r.documents.find((d) => d.uri === parent)!.nodes[1];
    const prose = record.hover.split('```')[0];
    assert.doesNotMatch(prose, /(^|[^\\])\[Open me\]\(command:/, 'no link');
    assert.doesNotMatch(prose, /(^|[^\\])<img/, 'no HTML');
    assert.match(prose, /\\\[Open me\\\]\\\(command:workbench\.action\.quit\\\)/, 'the words are all there, as text');
  });

  test('refuses what it cannot use, with the file, the line and a hint, and keeps serving', async () => {
    fs.writeFileSync(ws.path('junk.log'), 'not a log at all\n');
    const bad = await ask(parent, [ws.uri('junk.log')]);
    assert.equal(bad.ok, false);
    assert.match(
      (bad as { message: string }).message,
      /junk\.log:1: this file holds no CMTrace log entry.*tsq log reads smsts\.log/,
    );
    assert.equal((await ask(parent, [])).ok, false);
    assert.equal((await ask(ws.uri('nowhere.tsq.yaml'), [ws.uri('smsts.log')])).ok, false);
    // Malformed parameters are answered like every other request's: InvalidParams, naming the field.
    await assert.rejects(
      client.connection.sendRequest(RunLogRequest, { textDocument: { uri: 42 }, logs: 'x' } as never),
      { code: -32602, message: /textDocument\.uri` must be text/ },
    );
    assert.equal(((await ask(parent, [ws.uri('smsts.log')])) as Ok).result, 'failed', 'the server still answers');
    assert.deepEqual(client.failures(), []);
  });
});
