// The CMTrace line reader: ConfigMgr's log format ("Log files in Configuration Manager or Client
// Component Manager (CCM) format", https://learn.microsoft.com/mem/configmgr/core/support/cmtrace),
// entries whose message spans lines (Microsoft quotes "Failed to run the action: Apply Driver
// Package. …" followed on the next line by "The parameter is incorrect. (Error: 80070057; Source:
// Windows)", https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/apply-driver-package-task-error-80070057),
// the encodings CMTrace reads ("Plain ASCII or Unicode text files", same CMTrace page), the time
// with its time-zone bias, and the damage real files carry: cut-off and interleaved entries, text
// outside entries, and input made to hurt.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLog, readCmtrace, readCmtraceText, recordTime } from '../../server/src/runlog/cmtrace';
import { entry, sampleInputs } from './helpers';

describe('CMTrace entries', () => {
  it('reads the message and every attribute by its name, whatever their order', () => {
    const text =
      '<![LOG[Hello]LOG]!><time="14:02:12.139+300" date="11-03-2026" component="TSManager" context="" type="2" thread="4312" file="engine.cxx:914">\r\n' +
      '<![LOG[Reordered]LOG]!><date="11-03-2026" thread="7" type="3" component="SMSSWD" time="14:02:13.000+300">\r\n';
    const log = readCmtraceText(text);
    assert.equal(log.records.length, 2);
    assert.deepEqual(
      { ...log.records[0] },
      {
        message: 'Hello',
        time: '14:02:12.139+300',
        date: '11-03-2026',
        component: 'TSManager',
        type: 2,
        thread: '4312',
        line: 1,
        endLine: 1,
      },
    );
    assert.equal(log.records[1].component, 'SMSSWD');
    assert.equal(log.records[1].type, 3);
    assert.equal(log.records[1].line, 2);
  });

  it('keeps a message that spans lines as one entry, with the lines it starts and ends on', () => {
    const text =
      entry('Some line') +
      entry(
        'Failed to run the action: Apply Driver Package. This is usually caused by a problem with the program.\r\nThe parameter is incorrect. (Error: 80070057; Source: Windows)',
      ) +
      entry('After');
    const log = readCmtraceText(text);
    assert.equal(log.records.length, 3);
    assert.equal(
      log.records[1].message,
      'Failed to run the action: Apply Driver Package. This is usually caused by a problem with the program.\nThe parameter is incorrect. (Error: 80070057; Source: Windows)',
    );
    assert.equal(log.records[1].line, 2);
    assert.equal(log.records[1].endLine, 3);
    assert.equal(log.records[2].line, 4);
  });

  it('ends a message only at ]LOG]!> — quotes, brackets, > and XML inside it are text', () => {
    const message =
      'Set command line: cmd.exe /c echo done> C:\\x.txt ] [ "quoted" <ContentLocationReply SchemaVersion="1.00"><Sites/></ContentLocationReply>';
    const log = readCmtraceText(entry(message));
    assert.equal(log.records[0].message, message);
  });

  it('counts text outside any entry and goes on reading', () => {
    // A fragment whose start another process overwrote, as real logs show.
    const text =
      entry('First') +
      '5:33.198-60" date="09-07-2022" component="TSProgressUI" context="" type="1" thread="1" file="">\r\n' +
      entry('Second');
    const log = readCmtraceText(text);
    assert.deepEqual(
      log.records.map((r) => r.message),
      ['First', 'Second'],
    );
    assert.equal(log.strayLines, 1);
    assert.equal(log.records[1].line, 3);
  });

  it('flags an entry cut off by the next one (interleaved writes) and keeps both', () => {
    const text = '<![LOG[Start executing the command line: smsswd.exe /run: x\r\n' + entry('Whole entry');
    const log = readCmtraceText(text);
    assert.equal(log.records.length, 2);
    assert.equal(log.records[0].truncated, true);
    assert.equal(log.records[0].message, 'Start executing the command line: smsswd.exe /run: x');
    assert.equal(log.records[1].message, 'Whole entry');
    assert.equal(log.truncatedEntries, 1);
  });

  it('reads a sample cut at every byte of its last entry without throwing, keeping the entries before it', () => {
    const bytes = sampleInputs('01-simple-success')[0].bytes;
    const whole = readCmtrace(bytes).records.length;
    const lastStart = Buffer.from(bytes).lastIndexOf('<![LOG[');
    for (let cut = lastStart; cut < bytes.length; cut += 7) {
      const log = readCmtrace(bytes.subarray(0, cut));
      assert.ok(log.records.length >= whole - 1, `cut at ${cut}`);
      assert.ok(
        log.records.slice(0, whole - 1).every((r) => !r.truncated),
        `cut at ${cut}`,
      );
    }
  });
});

describe('encodings', () => {
  const text = entry('Größe: 5 MB — «ok»');

  it('reads UTF-16LE with a byte order mark (a file copied or saved again on Windows)', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const log = readCmtrace(bytes);
    assert.equal(log.encoding, 'utf-16le-bom');
    assert.equal(log.records[0].message, 'Größe: 5 MB — «ok»');
  });

  it('reads UTF-16BE with a byte order mark', () => {
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1], le[i]];
    const log = readCmtrace(Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    assert.equal(log.encoding, 'utf-16be-bom');
    assert.equal(log.records[0].message, 'Größe: 5 MB — «ok»');
  });

  it('reads UTF-8 with and without a byte order mark, and UTF-16LE without one', () => {
    assert.equal(
      readCmtrace(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).encoding,
      'utf-8-bom',
    );
    assert.equal(readCmtrace(Buffer.from(text)).records[0].message, 'Größe: 5 MB — «ok»');
    const noBom = readCmtrace(Buffer.from(text, 'utf16le'));
    assert.equal(noBom.encoding, 'utf-16le');
    assert.equal(noBom.records[0].message, 'Größe: 5 MB — «ok»');
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from('<![LOG[Gr'),
      Buffer.from([0xf6, 0xdf, 0x65, 0x20, 0x80]),
      Buffer.from(
        ']LOG]!><time="10:00:00.000+000" date="01-15-2026" component="TSManager" context="" type="1" thread="1" file="">',
      ),
    ]);
    const { text: decoded, encoding } = decodeLog(bytes);
    assert.equal(encoding, 'windows-1252');
    assert.match(decoded, /Größe €/);
  });

  it('reads the rolled-over file of sample 03, written in UTF-16LE with a byte order mark', () => {
    const rolled = sampleInputs('03-restart-rollover').find((i) => i.name.startsWith('smsts-'))!;
    const log = readCmtrace(rolled.bytes);
    assert.equal(log.encoding, 'utf-16le-bom');
    assert.ok(log.records.length > 100);
    assert.equal(log.records[0].component, 'TSMBootstrap');
  });
});

describe('time and the time-zone bias', () => {
  // Windows defines the bias as "the difference, in minutes, between UTC and local time":
  // UTC = local time + bias (https://learn.microsoft.com/office/vba/api/outlook.timezone.bias).
  it('turns +300 into UTC-05:00 and -60 into UTC+01:00', () => {
    const east = recordTime({ time: '14:02:12.139+300', date: '11-03-2026' })!;
    assert.equal(east.iso, '2026-11-03T14:02:12.139-05:00');
    assert.equal(east.utc, Date.parse('2026-11-03T19:02:12.139Z'));
    assert.equal(recordTime({ time: '09:40:05.873-60', date: '11-17-2026' })!.iso, '2026-11-17T09:40:05.873+01:00');
    assert.equal(recordTime({ time: '10:14:06.986+000', date: '12-01-2026' })!.iso, '2026-12-01T10:14:06.986+00:00');
  });

  it('reads one-digit months and days and seven fractional digits, and gives no offset when none is written', () => {
    const t = recordTime({ time: '11:16:37.3093207', date: '3-2-2026' })!;
    assert.equal(t.iso, '2026-03-02T11:16:37.309');
  });

  it('gives no time for what is not one', () => {
    assert.equal(recordTime({ time: '', date: '' }), undefined);
    assert.equal(recordTime({ time: '25:00:00.000+000', date: '01-01-2026' }), undefined);
    assert.equal(recordTime({ time: '10:00:00.000+99999', date: '01-01-2026' }), undefined);
  });
});

describe('hostile input stays bounded', () => {
  it('reads a 20 MB message on one line as one entry', () => {
    const huge = 'x'.repeat(20 * 1024 * 1024);
    const log = readCmtraceText(entry(huge) + entry('next'));
    assert.equal(log.records.length, 2);
    assert.equal(log.records[0].message.length, huge.length);
  });

  it('reads 2 MB of entry starts without an end marker (each search moves forward only)', () => {
    const log = readCmtraceText('<![LOG['.repeat(300_000));
    assert.equal(log.records.length, 300_000);
    assert.ok(log.records.every((r) => r.truncated));
  });

  it('reads 2 MB of end markers without starts as text outside entries', () => {
    const log = readCmtraceText(']LOG]!><time="1">\n'.repeat(100_000));
    assert.equal(log.records.length, 0);
    assert.equal(log.strayLines, 100_000);
  });

  it('keeps an entry whose attribute block is missing or endless, without its time', () => {
    const log = readCmtraceText(`<![LOG[a]LOG]!><time="${'1'.repeat(5000)}">\r\n<![LOG[b]LOG]!>\r\n` + entry('c'));
    assert.deepEqual(
      log.records.map((r) => [r.message, r.time === '']),
      [
        ['a', true],
        ['b', true],
        ['c', false],
      ],
    );
    assert.equal(log.unreadableAttributes, 2);
  });
});
