// What an admin trips over at the edge of tsq, found by walking every command on real and hostile
// inputs (README's commands, the samples, files a colleague sends): each test pins one of those
// places down as the admin sees it, through the `tsq` command.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { tsq, inTempDir } from '../helpers/cli';
import { yaml } from '../helpers/lint';

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** `tsq export FILE --format FORMAT --out OUT`. */
const exportTo = (file: string, format: string, out: string) => tsq('export', file, '--format', format, '--out', out);

const PARENT = yaml(
  'sequence: Deploy',
  'packageId: CM100090',
  'steps:',
  '  - name: Applications',
  '    action: RunTaskSequence',
  '    with: { sequence: ./apps.tsq.yaml }',
);

describe('a child sequence file that is not there', () => {
  test('export and diff say the child file is missing, and where they looked, not that it has no packageId', async () => {
    await inTempDir(async (dir) => {
      // The old version of a file, saved alone (`git show main:deploy.tsq.yaml > old.tsq.yaml`).
      write(dir, { 'old/deploy.tsq.yaml': PARENT });
      const file = path.join(dir, 'old/deploy.tsq.yaml');
      const missing = path.join(dir, 'old/apps.tsq.yaml');
      const exported = await exportTo(file, 'xml', path.join(dir, 'deploy.xml'));
      assert.equal(exported.code, 1);
      assert.match(exported.err, /the child sequence `\.\/apps\.tsq\.yaml` is not there \(no file /);
      assert.ok(exported.err.includes(missing), exported.err);
      assert.doesNotMatch(exported.err, /has no packageId/);
      assert.ok(!fs.existsSync(path.join(dir, 'deploy.xml')));

      const diffed = await tsq('diff', file, file);
      assert.equal(diffed.code, 2);
      assert.match(diffed.err, /is not there \(no file /);
    });
  });

  test('a child that is there but has no packageId is still named for that', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'deploy.tsq.yaml': PARENT,
        'apps.tsq.yaml': yaml('sequence: Apps', 'steps:', '  - name: Tools', '    run: cmd /c exit 0'),
      });
      const exported = await exportTo(path.join(dir, 'deploy.tsq.yaml'), 'xml', path.join(dir, 'deploy.xml'));
      assert.equal(exported.code, 1);
      assert.match(exported.err, /has no packageId/);
    });
  });
});

describe('an export .zip of a sequence and its child, imported and exported again', () => {
  test('comes back byte for byte: the child is named in ReferencesInfo from the first export on', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'deploy.tsq.yaml': PARENT,
        'apps.tsq.yaml': yaml(
          'sequence: Standard applications',
          'packageId: CM100091',
          'steps:',
          '  - name: Tools',
          '    run: cmd /c exit 0',
        ),
      });
      const first = path.join(dir, 'first.zip');
      const second = path.join(dir, 'second.zip');
      assert.equal((await exportTo(path.join(dir, 'deploy.tsq.yaml'), 'zip', first)).code, 0);
      const imported = await tsq('import', first, '--out', path.join(dir, 'imported'));
      assert.equal(imported.code, 0, imported.err);
      const again = await exportTo(path.join(dir, 'imported/deploy.tsq.yaml'), 'zip', second);
      assert.equal(again.code, 0, again.err);
      const references = fs.readFileSync(
        path.join(dir, 'imported/configmgr/SMS_TaskSequencePackage/CM100090/ReferencesInfo.xml'),
        'utf8',
      );
      assert.match(references, /&lt;VALUE&gt;Standard applications&lt;\/VALUE&gt;/);
      assert.ok(fs.readFileSync(first).equals(fs.readFileSync(second)), 'the second export differs from the first');
    });
  });
});

/**
 * An MDT task sequence as MDT keeps it, one ts.xml per task sequence in a folder of the deployment
 * share's Control folder named after its ID (https://learn.microsoft.com/mem/configmgr/mdt/support-files#tsxml):
 * here one Gather step.
 */
const MDT_TS_XML =
  '<?xml version="1.0"?>\n<sequence version="3.00"><group name="Initialization" description="">' +
  '<step type="BDD_Gather" name="Gather local only" description="" runIn="WinPEandFullOS" successCodeList="0 3010">' +
  '<defaultVarList><variable name="GatherLocalOnly" property="GatherLocalOnly">true</variable>' +
  '<variable name="RulesFile" property="RulesFile"></variable></defaultVarList>' +
  '<action>cscript.exe "%SCRIPTROOT%\\ZTIGather.wsf"</action></step></group></sequence>\n';

describe('tsq migrate of MDT task sequences named one by one', () => {
  test('each Control\\<ID>\\ts.xml gets its own folder, named after its ID', async () => {
    await inTempDir(async (dir) => {
      write(dir, { 'Control/WIN11/ts.xml': MDT_TS_XML, 'Control/SRV/ts.xml': MDT_TS_XML });
      const out = path.join(dir, 'native');
      const r = await tsq(
        'migrate',
        path.join(dir, 'Control/WIN11/ts.xml'),
        path.join(dir, 'Control/SRV/ts.xml'),
        '--out',
        out,
      );
      assert.equal(r.code, 1, r.err); // Gather is kept: a step left
      assert.ok(fs.existsSync(path.join(out, 'WIN11/ts/ts.tsq.yaml')), r.out);
      assert.ok(fs.existsSync(path.join(out, 'SRV/ts/ts.tsq.yaml')), r.out);
    });
  });

  test('two inputs that would write the same file are both named, and nothing is written', async () => {
    await inTempDir(async (dir) => {
      // A folder migrated into itself once, then again: the earlier copy sits beside its ts.xml.
      write(dir, { 'mdt/ts.xml': MDT_TS_XML, 'mdt/ts/ts.tsq.yaml': yaml('sequence: ts', 'steps: []') });
      const out = path.join(dir, 'native');
      const r = await tsq('migrate', path.join(dir, 'mdt'), '--out', out);
      assert.equal(r.code, 2);
      assert.match(
        r.err,
        /ts\.tsq\.yaml and .*ts\.xml would both be written to .*native.ts.ts\.tsq\.yaml; nothing was written/,
      );
      assert.doesNotMatch(r.err, /listed twice|Usage:/);
      assert.ok(!fs.existsSync(out));
    });
  });
});

describe('tsq migrate run again into the folder it wrote', () => {
  test('refuses to replace the copies without --force, and its hint speaks of migrate, not import', async () => {
    await inTempDir(async (dir) => {
      write(dir, { 'mdt/ts.xml': MDT_TS_XML });
      const out = path.join(dir, 'native');
      assert.equal((await tsq('migrate', path.join(dir, 'mdt'), '--out', out)).code, 1);
      const again = await tsq('migrate', path.join(dir, 'mdt'), '--out', out);
      assert.equal(again.code, 2);
      assert.match(again.err, /already exist in --out .*nothing was written/);
      assert.match(again.err, /Write into an empty folder, or pass --force/);
      assert.doesNotMatch(again.err, /Import into/);
    });
  });
});

describe('tsq doc of a sequence without a description', () => {
  test('says how to add one in words Markdown shows as written (no escaped backticks)', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'deploy.tsq.yaml': yaml('sequence: Deploy', 'steps:', '  - name: Tools', '    run: cmd /c exit 0'),
      });
      const r = await tsq('doc', path.join(dir, 'deploy.tsq.yaml'));
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /No description: add a “description:” line/);
      assert.doesNotMatch(r.out, /\\`/);
    });
  });
});

describe('a 0-byte file from a failed download or copy', () => {
  test('import, diff and migrate say it is empty, and migrate does not bury that under its help', async () => {
    await inTempDir(async (dir) => {
      write(dir, { 'export.zip': '', 'ts.xml': '' });
      const imported = await tsq('import', path.join(dir, 'export.zip'), '--out', path.join(dir, 'out'));
      assert.equal(imported.code, 1);
      assert.match(imported.err, /export\.zip is empty\./);
      assert.doesNotMatch(imported.err, /is not XML/);
      const diffed = await tsq('diff', path.join(dir, 'ts.xml'), path.join(dir, 'export.zip'));
      assert.equal(diffed.code, 2);
      assert.match(diffed.err, /ts\.xml is empty\./);
      const migrated = await tsq('migrate', path.join(dir, 'ts.xml'), '--out', path.join(dir, 'native'));
      assert.equal(migrated.code, 2);
      assert.match(migrated.err, /^tsq migrate: \S*ts\.xml is empty\./);
      assert.match(migrated.err, /Nothing was written/);
      assert.doesNotMatch(migrated.err, /Usage:/);
      assert.ok(!fs.existsSync(path.join(dir, 'out')) && !fs.existsSync(path.join(dir, 'native')));
    });
  });
});

describe('a usage problem', () => {
  test('prints the message and the synopsis, not the whole help', async () => {
    const r = await tsq('lint', '--format', 'pdf', 'x.tsq.yaml');
    assert.equal(r.code, 2);
    assert.match(r.err, /Usage: tsq lint /);
    assert.match(r.err, /Run `tsq lint --help` for every option\./);
    assert.doesNotMatch(r.err, /Exit code:/);
  });
});

describe('output piped into a reader that stops early (tsq simulate … | head)', () => {
  test("the rest of the output is dropped: no EPIPE stack trace, and the exit code is the run's", async () => {
    await inTempDir(async (dir) => {
      // Some 200 KB of output: more than a pipe holds.
      const steps = Array.from({ length: 10000 }, (_, i) => `  - name: Step ${i}\n    run: cmd /c exit 0`);
      write(dir, { 'long.tsq.yaml': ['sequence: Long', 'steps:', ...steps, ''].join('\n') });
      const bin = path.join(__dirname, '../../../bin/tsq.js');
      const child = spawn(process.execPath, [bin, 'simulate', path.join(dir, 'long.tsq.yaml')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      // Like head -1: read the first chunk, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.doesNotMatch(stderr, /EPIPE|Unhandled 'error' event/);
      assert.equal(code, 0, stderr);
    });
  });
});

describe('a ConfigMgr task sequence named Catalog (or a sequence XML saved as catalog.xml)', () => {
  test('imports as catalog-sequence.tsq.yaml beside the catalog, instead of being refused as a hostile package', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'catalog.tsq.yaml': yaml(
          'sequence: Catalog',
          'packageId: CM100001',
          'steps:',
          '  - name: Scripts',
          '    run: cmd /c exit 0',
          '    package: CM100077',
        ),
      });
      const zip = path.join(dir, 'catalog.zip');
      assert.equal((await exportTo(path.join(dir, 'catalog.tsq.yaml'), 'zip', zip)).code, 0);
      const xml = path.join(dir, 'catalog.xml');
      assert.equal((await exportTo(path.join(dir, 'catalog.tsq.yaml'), 'xml', xml)).code, 0);
      for (const input of [zip, xml]) {
        const out = path.join(dir, path.basename(input).replace('.', '-'));
        const r = await tsq('import', input, '--out', out);
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(
          fs
            .readdirSync(out)
            .filter((f) => f.endsWith('.tsq.yaml'))
            .sort(),
          ['catalog-sequence.tsq.yaml', 'catalog.tsq.yaml'],
        );
        assert.match(fs.readFileSync(path.join(out, 'catalog-sequence.tsq.yaml'), 'utf8'), /^sequence: [Cc]atalog$/m);
        assert.match(fs.readFileSync(path.join(out, 'catalog.tsq.yaml'), 'utf8'), /^catalog: /m);
      }
    });
  });
});

describe('the change report of a step whose time-out changed', () => {
  test('says so in words under Changed, as the DSL writes a time-out', async () => {
    await inTempDir(async (dir) => {
      const step = (timeout?: string) =>
        yaml(
          'sequence: S',
          'steps:',
          '  - name: Setup',
          '    run: cmd /c setup.cmd',
          ...(timeout ? [`    timeout: ${timeout}`] : []),
        );
      write(dir, { 'a.tsq.yaml': step('15m'), 'b.tsq.yaml': step('2h'), 'c.tsq.yaml': step() });
      const at = (f: string) => path.join(dir, f);
      const longer = await tsq('diff', at('a.tsq.yaml'), at('b.tsq.yaml'), '--format', 'md');
      assert.equal(longer.code, 1);
      assert.match(longer.out, /## Changed \(1\)\n\n- step “Setup” at the top: times out after 2h \(was 15m\)/);
      const gone = await tsq('diff', at('a.tsq.yaml'), at('c.tsq.yaml'), '--format', 'md');
      assert.match(gone.out, /no longer times out \(was after 15m\)/);
      const added = await tsq('diff', at('c.tsq.yaml'), at('a.tsq.yaml'), '--format', 'md');
      assert.match(added.out, /now times out after 15m/);
    });
  });
});

describe('an smsts.log that grew over runs of two task sequences', () => {
  test("the note names the earlier run's task sequence and the one rebuilt", async () => {
    await inTempDir(async (dir) => {
      const fixtures = path.join(__dirname, '../../../test/fixtures/runlog');
      const harden = fs.readFileSync(path.join(fixtures, '02-nested-failure/smsts.log'));
      const configure = fs.readFileSync(path.join(fixtures, '01-simple-success/smsts.log'));
      fs.writeFileSync(path.join(dir, 'smsts.log'), Buffer.concat([harden, configure]));
      const r = await tsq('log', path.join(dir, 'smsts.log'));
      assert.equal(r.code, 0, r.err);
      assert.match(
        r.out,
        /the logs hold 1 earlier run, of “Harden workstation”; this is the last one, of “Configure workstation”/,
      );
      fs.writeFileSync(path.join(dir, 'smsts.log'), Buffer.concat([configure, configure]));
      assert.match((await tsq('log', path.join(dir, 'smsts.log'))).out, /the logs hold 1 earlier run of the sequence;/);
    });
  });
});

describe('tsq migrate of a folder an export .zip was imported into', () => {
  test('copies the kept ConfigMgr parts as they are, so the copy exports the same package; their XML is not reported as skipped', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'src/deploy.tsq.yaml': PARENT,
        'src/apps.tsq.yaml': yaml(
          'sequence: Apps',
          'packageId: CM100091',
          'steps:',
          '  - name: Tools',
          '    run: cmd /c exit 0',
        ),
      });
      const zip = path.join(dir, 'export.zip');
      assert.equal((await exportTo(path.join(dir, 'src/deploy.tsq.yaml'), 'zip', zip)).code, 0);
      const imported = path.join(dir, 'imported');
      assert.equal((await tsq('import', zip, '--out', imported)).code, 0);
      const native = path.join(dir, 'native');
      const migrated = await tsq('migrate', imported, '--out', native);
      assert.equal(migrated.code, 0, migrated.err);
      assert.doesNotMatch(migrated.err, /skipped/);
      const kept = path.join('configmgr', 'SMS_TaskSequencePackage', 'CM100090', 'object.xml');
      assert.ok(fs.readFileSync(path.join(native, kept)).equals(fs.readFileSync(path.join(imported, kept))));
      const before = path.join(dir, 'before.zip');
      const after = path.join(dir, 'after.zip');
      assert.equal((await exportTo(path.join(imported, 'deploy.tsq.yaml'), 'zip', before)).code, 0);
      assert.equal((await exportTo(path.join(native, 'deploy.tsq.yaml'), 'zip', after)).code, 0);
      assert.ok(fs.readFileSync(before).equals(fs.readFileSync(after)), 'the migrated copy exports another package');
    });
  });
});

describe('tsq doc of several sequences with --out naming a file', () => {
  test('is refused with the sequences named, instead of making a folder called all.md', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'seqs/a.tsq.yaml': yaml('sequence: A', 'steps:', '  - name: One', '    run: cmd /c exit 0'),
        'seqs/b.tsq.yaml': yaml('sequence: B', 'steps:', '  - name: Two', '    run: cmd /c exit 0'),
      });
      const r = await tsq('doc', path.join(dir, 'seqs'), '--out', path.join(dir, 'all.md'));
      assert.equal(r.code, 2);
      assert.match(r.err, /all\.md names one file, but 2 sequences were found .*give a folder/);
      assert.ok(!fs.existsSync(path.join(dir, 'all.md')));
      const folder = await tsq('doc', path.join(dir, 'seqs'), '--out', path.join(dir, 'docs'));
      assert.equal(folder.code, 0, folder.err);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'docs')).sort(), ['a.md', 'b.md']);
    });
  });
});

describe('the object.xml of an export .zip, taken out of it by hand', () => {
  test('import says to import the .zip itself', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'deploy.tsq.yaml': PARENT.replace(
          /\n {2}- name: Applications[\s\S]*$/,
          '\n  - name: Tools\n    run: cmd /c exit 0\n',
        ),
      });
      const zip = path.join(dir, 'export.zip');
      assert.equal((await exportTo(path.join(dir, 'deploy.tsq.yaml'), 'zip', zip)).code, 0);
      assert.equal((await tsq('import', zip, '--out', path.join(dir, 'unpacked'))).code, 0);
      const objectXml = path.join(dir, 'unpacked/configmgr/SMS_TaskSequencePackage/CM100090/object.xml');
      const r = await tsq('import', objectXml, '--out', path.join(dir, 'again'));
      assert.equal(r.code, 1);
      assert.match(r.err, /object\.xml of a task sequence from a ConfigMgr export \.zip: import the \.zip itself/);
    });
  });
});

describe('tsq log with --sequence naming another sequence than the one the log ran', () => {
  test('a note names both, ahead of the unmatched steps, and no note ends in "?."', async () => {
    const fixtures = path.join(__dirname, '../../../test/fixtures/runlog');
    const r = await tsq(
      'log',
      path.join(fixtures, '02-nested-failure/smsts.log'),
      '--sequence',
      path.join(fixtures, '01-simple-success/sequence.tsq.yaml'),
    );
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /Note: the log is a run of “Harden workstation”, but the sequence given is “Configure workstation”: is it the one that ran\?/,
    );
    assert.doesNotMatch(r.out, /\?\./);
    const right = await tsq(
      'log',
      path.join(fixtures, '02-nested-failure/smsts.log'),
      '--sequence',
      path.join(fixtures, '02-nested-failure/sequence.tsq.yaml'),
    );
    assert.doesNotMatch(right.out, /is it the one that ran/);
  });
});

describe('tsq export with --out named like a tsq file', () => {
  test('is refused before anything is written, so no XML lands where tsq lint reads YAML', async () => {
    await inTempDir(async (dir) => {
      write(dir, {
        'deploy.tsq.yaml': yaml('sequence: Deploy', 'steps:', '  - name: Tools', '    run: cmd /c exit 0'),
      });
      const out = path.join(dir, 'deploy-export.tsq.yaml');
      const r = await exportTo(path.join(dir, 'deploy.tsq.yaml'), 'xml', out);
      assert.equal(r.code, 2);
      assert.match(r.err, /is named like a tsq file \(\*\.tsq\.yaml\).*give it a \.xml name/);
      assert.ok(!fs.existsSync(out));
      // The sequence itself as --out is still refused as an input, in those words.
      const over = await exportTo(path.join(dir, 'deploy.tsq.yaml'), 'xml', path.join(dir, 'deploy.tsq.yaml'));
      assert.match(over.err, /a file this command reads/);
    });
  });
});

describe('tsq simulate of an empty file', () => {
  test('says it is empty', async () => {
    await inTempDir(async (dir) => {
      write(dir, { 'deploy.tsq.yaml': '' });
      const r = await tsq('simulate', path.join(dir, 'deploy.tsq.yaml'));
      assert.equal(r.code, 2);
      assert.match(r.err, /deploy\.tsq\.yaml is empty, not a sequence\./);
    });
  });
});

describe('tsq export of a file with a YAML mistake', () => {
  test('names the first mistake with its line and column and hint, and writes nothing', async () => {
    await inTempDir(async (dir) => {
      write(dir, { 'deploy.tsq.yaml': yaml('sequence: Deploy', 'steps:', '  - name: Tools', '    run: [unclosed') });
      const out = path.join(dir, 'deploy.xml');
      const r = await exportTo(path.join(dir, 'deploy.tsq.yaml'), 'xml', out);
      assert.equal(r.code, 1);
      assert.match(r.err, /has YAML errors; fix them first/);
      assert.match(r.err, /The first: \S*deploy\.tsq\.yaml:4:10: This `\[` is never closed\.\n {4}hint: /);
      assert.ok(!fs.existsSync(out));
    });
  });
});
