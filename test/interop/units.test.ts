// Smaller pieces of interop: the action template language, command-line comparison, the
// semantic diff's equivalences and differences, all-or-nothing folder writes, and the
// missing-secret reminder.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderActionTemplate } from '../../server/src/interop/steps/template';
import { readActionArguments } from '../../server/src/interop/steps/reverse-template';
import { sameCommandLine } from '../../server/src/interop/steps/action-text';
import { diffSequences } from '../../server/src/interop/diff/diff';
import { readXml } from '../../server/src/interop/xml/read';
import { writeFileSafely, writeFolderSafely } from '../../server/src/files/write';
import { parseDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { listTree, tempDir } from './helpers';

const xml = (s: string) => readXml(Buffer.from(s), { source: 'x' }).root;

describe('action templates', () => {
  const args = (values: Record<number, string>) => (n: number) => values[n];
  test('fills %N, keeps %%VAR%% as a variable, writes \\\\" as a quote', () => {
    assert.equal(
      renderActionTemplate('tsenv.exe \\\\"%1=%2\\\\" /hiddenflag:%3', args({ 1: 'A', 2: 'b c', 3: 'False' })),
      'tsenv.exe "A=b c" /hiddenflag:False',
    );
    assert.equal(
      renderActionTemplate('osdjoin.exe /type:%%OSDJoinType%%', args({})),
      'osdjoin.exe /type:%OSDJoinType%',
    );
  });
  test('writes a \\<?N: ...> part only when N has a value', () => {
    const t = 'OSDApplyOS.exe\\<?1: /image:%1,%%OSDImageIndex%%>\\<?9: /target:%%%9%%>';
    assert.equal(renderActionTemplate(t, args({ 1: 'PS100001' })), 'OSDApplyOS.exe /image:PS100001,%OSDImageIndex%');
    assert.equal(renderActionTemplate(t, args({ 9: 'OSDisk' })), 'OSDApplyOS.exe /target:%OSDisk%');
  });
  test('reads the arguments back out of a command line, only when the template gives it back', () => {
    const t = 'OSDBitLocker.exe /enable \\<?1: /drive:%1>\\<?2: /wait:%2>\\<?3: /mode:%3>';
    assert.deepEqual(
      [...readActionArguments(t, 'OSDBitLocker.exe /enable  /drive:C: /mode:TPM')!],
      [
        [1, 'C:'],
        [3, 'TPM'],
      ],
    );
    assert.equal(readActionArguments(t, 'OSDBitLocker.exe /disable'), undefined);
    assert.equal(readActionArguments('osdprepareos.exe /install:%1', 'osdprepareos.exe /remove:PS100001'), undefined);
  });

  test('command lines compare by arguments: blank runs count once, except inside quotes', () => {
    assert.ok(sameCommandLine('a.exe  /x ', 'a.exe /x'));
    assert.ok(!sameCommandLine('a.exe "x  y"', 'a.exe "x y"'));
  });
});

describe('semantic diff', () => {
  const base =
    '<sequence version="3.10"><group name="G" description=""><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">A</variable><variable name="Operator">equals</variable><variable name="Value">1</variable></expression></condition><step type="SMS_TaskSequence_PartitionDiskAction" name="P" runIn="WinPE" successCodeList="0"><action>osddiskpart.exe</action><defaultVarList><variable name="OSDDiskIndex" property="DiskIndex">0</variable><variable name="OSDPartitions0Bootable" property="Partitions0Bootable">true</variable><variable name="OSDPartitions0SizeUnits" property="Partitions0SizeUnits">PERCENT</variable></defaultVarList></step><step type="SMS_TaskSequence_RebootAction" name="R"><action>smsboot.exe /target:HD</action></step></group></sequence>';

  test('ignores formatting, order of attributes and settings, false flags and ConfigMgr spellings', () => {
    const same =
      '<sequence version="3.10">\n  <group description="" name="G" disable="false">\n  <step name="P" type="SMS_TaskSequence_PartitionDiskAction" successCodeList="0" runIn="WinPE" continueOnError="False" retryCount="0"><defaultVarList><variable name="OSDPartitions0SizeUnits" property="Partitions0SizeUnits">%</variable><variable name="OSDPartitions0Bootable" property="Partitions0Bootable">True</variable><variable name="OSDDiskIndex" property="DiskIndex">0</variable></defaultVarList><action> osddiskpart.exe </action></step><step type="SMS_TaskSequence_RebootAction" name="R"><action>smsboot.exe  /target:HD</action><defaultVarList/></step>\n<action/><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">Equals</variable><variable name="Value">1</variable><variable name="Variable">A</variable></expression></condition></group></sequence>';
    assert.deepEqual(diffSequences(xml(base), xml(same)), []);
  });

  test('reports changed values, conditions, attributes, and added or removed steps by name', () => {
    const changed = base
      .replace('>0</variable>', '>1</variable>')
      .replace('<variable name="Value">1</variable>', '<variable name="Value">2</variable>')
      .replace('runIn="WinPE"', 'runIn="FullOS"')
      .replace(
        /<step type="SMS_TaskSequence_RebootAction".*?<\/step>/,
        '<step type="SMS_TaskSequence_RebootAction" name="R2"><action>smsboot.exe /target:HD</action></step>',
      );
    const messages = diffSequences(xml(base), xml(changed)).map((d) => `${d.path}: ${d.message}`);
    assert.ok(
      messages.some((m) => m.startsWith('G: condition:')),
      messages.join('\n'),
    );
    assert.ok(messages.includes('G › P: attribute runIn: "WinPE" → "FullOS"'));
    assert.ok(messages.includes('G › P: setting OSDDiskIndex: "0" → "1"'));
    assert.ok(
      messages.some((m) => /R \/ R2|"R".*only in the first/.test(m)),
      messages.join('\n'),
    );
  });

  test('a step moved to another place is a difference (order is execution order)', () => {
    const swapped =
      '<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="B"/><step type="SMS_TaskSequence_RebootAction" name="A"/></sequence>';
    const original =
      '<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="A"/><step type="SMS_TaskSequence_RebootAction" name="B"/></sequence>';
    assert.ok(diffSequences(xml(original), xml(swapped)).length > 0);
  });

  test('secret values are not compared; the referenceList is a set', () => {
    const a =
      '<sequence version="3.10"><referenceList><reference package="A"/><reference package="B"/></referenceList><step type="SMS_TaskSequence_ConnectNetworkFolderAction" name="N"><defaultVarList><variable name="SMSConnectNetworkFolderPassword" property="Password">hunter2</variable></defaultVarList></step></sequence>';
    const b =
      '<sequence version="3.10"><referenceList><reference package="B"/><reference package="a"/></referenceList><step type="SMS_TaskSequence_ConnectNetworkFolderAction" name="N"><defaultVarList><variable name="SMSConnectNetworkFolderPassword" property="Password"/></defaultVarList></step></sequence>';
    assert.deepEqual(diffSequences(xml(a), xml(b)), []);
  });
});

describe('all-or-nothing writes', () => {
  test('a file where the import needs a folder is refused before anything is written or replaced', () => {
    const dir = tempDir();
    const out = path.join(dir, 'ws');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'a.tsq.yaml'), 'old a');
    fs.writeFileSync(path.join(out, 'blocker'), 'a file where a folder is needed');
    assert.throws(
      () =>
        writeFolderSafely(
          out,
          [
            { path: 'a.tsq.yaml', data: 'new a' },
            { path: 'blocker/b.tsq.yaml', data: 'new b' },
          ],
          { overwrite: true },
        ),
      /blocker \(inside .*\) is a file where the import needs a folder/,
    );
    assert.equal(fs.readFileSync(path.join(out, 'a.tsq.yaml'), 'utf8'), 'old a');
    assert.deepEqual(fs.readdirSync(dir), ['ws']);
    assert.deepEqual(listTree(out), ['a.tsq.yaml', 'blocker']);
  });

  test('a new folder appears whole', () => {
    const dir = tempDir();
    writeFolderSafely(path.join(dir, 'new'), [
      { path: 'x.tsq.yaml', data: 'x' },
      { path: 'configmgr/Manifest.xml', data: '<m/>' },
    ]);
    assert.deepEqual(listTree(path.join(dir, 'new')), ['configmgr/Manifest.xml', 'x.tsq.yaml']);
    assert.deepEqual(fs.readdirSync(dir), ['new']);
  });

  test('paths that leave the folder are refused before anything is written', () => {
    const dir = tempDir();
    assert.throws(
      () =>
        writeFolderSafely(path.join(dir, 'o'), [
          { path: 'ok.txt', data: '' },
          { path: '../evil.txt', data: '' },
        ]),
      /climbs out/,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('a file write replaces the target only when complete', () => {
    const dir = tempDir();
    const f = path.join(dir, 'out.xml');
    writeFileSafely(f, 'one');
    writeFileSafely(f, 'two');
    assert.equal(fs.readFileSync(f, 'utf8'), 'two');
    assert.throws(() => writeFileSafely(path.join(dir, 'missing-folder', 'x.xml'), 'x'));
    assert.deepEqual(fs.readdirSync(dir), ['out.xml']);
  });
});

describe('missing-secret', () => {
  function findings(yaml: string) {
    const doc = parseDocument('/w/s.tsq.yaml', yaml);
    const ws = new Workspace();
    ws.upsert(doc);
    return analyzeDocument(ws, doc).filter((d) => d.code === 'missing-secret');
  }
  test('reminds of a password the step uses', () => {
    const f = findings(
      'sequence: S\nsteps:\n  - name: Map drive\n    action: ConnectToNetworkFolder\n    with: { path: \\\\srv\\s, driveLetter: "Z:", username: d\\u, password: { missing: true } }\n',
    );
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'information');
    assert.match(f[0].message, /`password` of Connect To Network Folder is not set/);
  });
  test('says nothing of a run-as password when the step does not run as a user, nor of secrets given by env', () => {
    assert.deepEqual(
      findings(
        'sequence: S\nsteps:\n  - name: Cmd\n    run: cmd /c x\n    with: { runAsUser: false, userPassword: { missing: true } }\n',
      ),
      [],
    );
    assert.deepEqual(
      findings(
        'sequence: S\nsteps:\n  - name: Cmd\n    run: cmd /c x\n    with: { runAsUser: true, userName: a\\b, userPassword: { env: RUNAS_PW } }\n',
      ),
      [],
    );
  });
});
