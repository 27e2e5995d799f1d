// Threat: a few bytes of YAML that stand for an enormous value, typed into the editor or sent in a
// repository. Two ways got through, both found by `npm run fuzz` (seed 2031526134: an anchored flow
// list, aliases to it, then keys nested in keys):
//  - Keys nested in keys (`{{{{a}}}}`): a loader can only name such a pair by printing its key, and
//    every level of nesting doubled the escapes of the printed key. 64 bytes made the rules that
//    read the plain value (schema, missing-property, invalid-value) fail with "Invalid string
//    length" after seconds and gigabytes, and in a machine file aborted `tsq lint` altogether.
//    Now a list or mapping as a key is a YAML error at the outermost such key, and its pair is
//    left out of the value.
//  - A long text that many aliases name: the expansion budget counted values, not characters, so
//    1 MB named 600 times crashed the schema rule's message and `tsq export` wrote 1.2 GB of XML.
//    Now a long text counts by its length, and export refuses a file whose aliases were cut off.
// Both front ends must give the same clear finding, and the language server must log no failure.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { TestClient } from '../lsp/client';
import {
  finished,
  findings,
  fromEditor,
  fromLint,
  hostileFolder,
  runTsq,
  type Folder,
  type JsonFinding,
} from './helpers';

const clients: TestClient[] = [];
const folders: Folder[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  for (const f of folders) f.dispose();
});

function folder(): Folder {
  const f = hostileFolder();
  folders.push(f);
  return f;
}

const uriOf = (file: string) => pathToFileURL(file).href;

/** 32 levels of mappings as keys, aliases to an anchored list innermost: printed, 2^32 characters. */
const KEYS_IN_KEYS = '{'.repeat(32) + '*list: *list' + '}'.repeat(32);

const SEQUENCE_WITH_KEYS =
  'sequence: Keys in keys\nsteps:\n  - name: Set a variable\n    action: SetTaskSequenceVariable\n    successCodes: &list [0, 3010, 1, 1, 1, 1, 1, 1]\n' +
  `    with: { variable: Answer, value: ${KEYS_IN_KEYS} }\n`;

const MACHINE_WITH_KEYS = `machine: Keys in keys\narchitecture: x64\nlist: &list [x, x, 1, 1, 1, 1, 1, 1]\nkeys: ${KEYS_IN_KEYS}\n`;

/** 1 MB of text, named by 600 aliases: 600 MB once printed. */
const MACHINE_WITH_LONG_TEXT = `machine: Long text\nnote: &big ${'x'.repeat(1 << 20)}\nfirmware: [${Array(600).fill('*big').join(', ')}]\n`;

/** `tsq lint` of `text` saved alone in a folder: it finishes, finds errors, and none of its checks failed. */
function lintFindings(text: string): JsonFinding[] {
  const f = folder();
  f.write('file.tsq.yaml', text);
  const r = finished(runTsq(['lint', '--format', 'json', 'file.tsq.yaml'], { cwd: f.dir }));
  assert.equal(r.code, 1, r.err);
  const found = findings(r);
  assert.deepEqual(
    found.filter((x) => x.code === 'internal-error'),
    [],
  );
  return found;
}

async function serverOn(f: Folder): Promise<TestClient> {
  const client = await TestClient.start({ folder: f.dir, settings: {} });
  clients.push(client);
  return client;
}

/** Opens `text` as `name` in the editor; what the server reports must be what tsq lint reports for it on disk. */
async function sameInEditorAndLint(client: TestClient, f: Folder, name: string, text: string): Promise<void> {
  await client.open(uriOf(f.path(name)), text);
  const editor = fromEditor(await client.diagnosticsFor(uriOf(f.path(name))));
  f.write(name, text);
  assert.deepEqual(editor, fromLint(name, f.dir), name);
}

const KEY_MESSAGE = 'A mapping cannot be a key in a tsq file.';

describe('keys nested in keys: one YAML error at the outermost key, no rule fails', () => {
  test('in a step option of a sequence, tsq lint reports the key once, where it starts', () => {
    const keys = lintFindings(SEQUENCE_WITH_KEYS).filter((x) => x.message === KEY_MESSAGE);
    assert.deepEqual(
      keys.map((x) => [x.code, x.line, x.column]),
      [['yaml-syntax', 6, SEQUENCE_WITH_KEYS.split('\n')[5].indexOf('{{') + 2]],
    );
  });

  test('in a machine file, whose model reads the whole value, tsq lint finishes and reports it', () => {
    assert.deepEqual(
      lintFindings(MACHINE_WITH_KEYS)
        .filter((x) => x.message === KEY_MESSAGE)
        .map((x) => [x.line, x.column]),
      [[4, 'keys: {'.length + 1]],
    );
  });

  test('opened in the editor, or typed into an open file, the server gives what tsq lint gives and logs no failure', async () => {
    const f = folder();
    const client = await serverOn(f);
    await sameInEditorAndLint(client, f, 'opened.tsq.yaml', SEQUENCE_WITH_KEYS);
    await sameInEditorAndLint(client, f, 'machine.tsq.yaml', MACHINE_WITH_KEYS);

    // Typed: the keys arrive in one edit of a step that was fine, as the fuzz's edit did.
    const before = SEQUENCE_WITH_KEYS.replace(KEYS_IN_KEYS, 'forty-two');
    const uri = uriOf(f.path('typed.tsq.yaml'));
    await client.open(uri, before);
    await client.diagnosticsFor(uri, { version: 1 });
    const line = 5;
    const character = before.split('\n')[line].indexOf('forty-two');
    await client.change(uri, 2, [
      {
        range: { start: { line, character }, end: { line, character: character + 'forty-two'.length } },
        text: KEYS_IN_KEYS,
      },
    ]);
    const typed = fromEditor(await client.diagnosticsFor(uri, { version: 2 }));
    f.write('typed.tsq.yaml', SEQUENCE_WITH_KEYS);
    assert.deepEqual(typed, fromLint('typed.tsq.yaml', f.dir));
    assert.ok(typed.some((d) => d.message === KEY_MESSAGE));
    assert.deepEqual(client.failures(), []);
  });
});

describe('a long text named by many aliases: the expansion budget counts its length', () => {
  test('tsq lint stops expanding at an alias, and the message about the list does not print it', () => {
    const found = lintFindings(MACHINE_WITH_LONG_TEXT);
    const cut = found.filter((x) => /expand to more than 200,000 values/.test(x.message));
    assert.equal(cut.length, 1);
    assert.equal(cut[0].line, 3);
    assert.equal(MACHINE_WITH_LONG_TEXT.split('\n')[2].slice(cut[0].column - 1, cut[0].column + 3), '*big');
    for (const x of found) assert.ok(x.message.length < 300, `a short message: ${x.message.slice(0, 80)}…`);
  });

  test('the language server gives the same findings and logs no failure', async () => {
    const f = folder();
    const client = await serverOn(f);
    await sameInEditorAndLint(client, f, 'long.tsq.yaml', MACHINE_WITH_LONG_TEXT);
    assert.deepEqual(client.failures(), []);
  });

  test('tsq export refuses a sequence whose aliases were cut off, and writes nothing', () => {
    const f = folder();
    let text = `sequence: Long text\npackageId: LAB00010\nsteps:\n  - name: First\n    run: &big ${'x'.repeat(64 * 1024)}\n`;
    for (let i = 0; i < 300; i++) text += `  - { name: Again ${i}, run: *big }\n`;
    assert.ok(lintFindings(text).some((x) => /expand to more than 200,000 values/.test(x.message)));
    f.write('long.tsq.yaml', text);
    const r = finished(runTsq(['export', 'long.tsq.yaml', '--format', 'xml', '--out', 'long.xml'], { cwd: f.dir }));
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /has YAML errors; fix them first/);
    assert.equal(fs.existsSync(f.path('long.xml')), false);
  });
});
