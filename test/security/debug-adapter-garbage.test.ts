// Threat: a debug client (or anything wired to the adapter's stdin) sends garbage — frames that
// are not JSON, JSON that is not a message, requests with missing or mistyped arguments, headers
// without Content-Length, a Content-Length of gigabytes, binary bytes. The adapter must never go
// down on it, must answer every request it can identify (an error that says what is wrong, never
// a stack trace), and must log each piece of garbage in one line.
// DAP base protocol: https://microsoft.github.io/debug-adapter-protocol/overview#base-protocol

import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FrameReader, MAX_FRAME_BYTES, MAX_HEADER_BYTES } from '../../server/src/debug/framing';
import { frame, RawAdapter } from '../reliability/wire';
import { ROOT } from '../simulator/helpers';

const DEPLOY = path.join(ROOT, 'examples', 'deploy-windows-11.tsq.yaml');
const LAB = path.join(ROOT, 'examples', 'lab-vm.tsq.yaml');
const STACK_LINE = /\n\s+at /;

let adapter: RawAdapter | undefined;
afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
});

/** Starts the adapter and lets it say hello. */
async function started(): Promise<RawAdapter> {
  adapter = RawAdapter.start();
  const init = await adapter.request('initialize', {
    adapterID: 'tasksequence',
    pathFormat: 'path',
    linesStartAt1: true,
    columnsStartAt1: true,
  });
  assert.equal(init.success, true);
  return adapter;
}

/** The adapter answers a plain request after whatever came before, and is still running. */
async function stillAnswers(a: RawAdapter): Promise<void> {
  const threads = await a.request('threads');
  assert.equal(threads.success, true, 'a well-formed request after the garbage is answered');
  assert.ok(a.alive, 'the adapter is still running');
}

/**
 * The adapter's log once it holds `count` lines matching `pattern` (stderr is its own pipe: its
 * lines may come after the answers on stdout).
 */
async function logLines(a: RawAdapter, pattern: RegExp, count: number): Promise<string[]> {
  await a.until(() => (a.log.filter((l) => pattern.test(l)).length >= count ? true : undefined), 10_000);
  return a.log;
}

/** A launched run stopped on entry (for requests that need one). */
async function launched(): Promise<RawAdapter> {
  const a = await started();
  const launch = a.send('launch', { program: DEPLOY, machine: LAB, stopOnEntry: true });
  await a.until(() => a.events.find((e) => e.event === 'initialized'), 10_000);
  await a.request('configurationDone');
  assert.equal((await a.response(launch)).success, true);
  await a.until(() => a.events.find((e) => e.event === 'stopped'), 10_000);
  return a;
}

describe('debug adapter: garbage on the wire', () => {
  it('a frame that is not JSON (`{{{{{`) is logged in one line and the adapter goes on', async () => {
    const a = await started();
    a.write(frame('{{{{{'));
    await stillAnswers(a);
    const log = await logLines(a, /not JSON/, 1);
    assert.equal(log.filter((l) => /not JSON/.test(l)).length, 1, log.join('\n'));
  });

  it('JSON that is not a message (`null`, a number, a list) is logged and the adapter goes on', async () => {
    const a = await started();
    for (const body of ['null', '42', '[1,2]', '"text"']) a.write(frame(body));
    await stillAnswers(a);
    const log = await logLines(a, /not a DAP message/, 4);
    assert.equal(log.filter((l) => /not a DAP message/.test(l)).length, 4, log.join('\n'));
  });

  it('a header without Content-Length, a body without header, binary bytes and stray text are skipped up to the next frame', async () => {
    const a = await started();
    a.write('Content-Type: application/json\r\n\r\n{"seq":1}');
    a.write('{"seq":2,"type":"request","command":"threads"}');
    a.write(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x0d, 0x0a, 0x0d, 0x0a]));
    a.write(frame(Buffer.from([0xc3, 0x28, 0xa0, 0xa1])));
    a.write('Content-Length: twelve\r\n\r\n');
    await stillAnswers(a);
    const log = await logLines(a, /skipped/, 3);
    assert.ok(log.length >= 3, log.join('\n'));
    assert.ok(
      log.every((l) => l.startsWith('tsq debugger: ')),
      log.join('\n'),
    );
  });

  it('a Content-Length of gigabytes is refused at once instead of waiting for (and holding) the body', async () => {
    const a = await started();
    a.write('Content-Length: 99999999999\r\n\r\n{"seq":5,"type":"request","command":"threads"}');
    await stillAnswers(a);
    const log = await logLines(a, /above the \d+-byte limit/, 1);
    assert.ok(
      log.some((l) => /above the \d+-byte limit/.test(l)),
      log.join('\n'),
    );
  });

  it('a Content-Length longer than its body swallows the frames after it, and they are read again', async () => {
    const a = await started();
    a.write('Content-Length: 200\r\n\r\n{"seq":');
    const seq = a.send('threads');
    a.write(' '.repeat(200));
    assert.equal((await a.response(seq)).success, true);
  });

  it('stray bytes that run into the next header (no line break between) do not cost the request after them', async () => {
    const a = await started();
    a.write('Content-Length: 10');
    const seq = a.send('threads');
    assert.equal((await a.response(seq)).success, true);
  });

  it('megabytes of garbage without a header keep the adapter within a few kilobytes of buffer', () => {
    const problems: string[] = [];
    const reader = new FrameReader({
      message: () => assert.fail('garbage is not a message'),
      problem: (l) => problems.push(l),
    });
    const junk = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 64; i++) reader.push(junk);
    assert.ok(reader.buffered <= MAX_HEADER_BYTES, `${reader.buffered} bytes held`);
    reader.push(Buffer.from('Content-Length: 99999999\r\n\r\n'));
    reader.push(Buffer.alloc(1024 * 1024, 'y'));
    assert.ok(
      reader.buffered <= MAX_HEADER_BYTES,
      `${reader.buffered} bytes held after an oversized frame (limit ${MAX_FRAME_BYTES})`,
    );
  });

  it('frames split at every byte are read as if they came whole', () => {
    const got: unknown[] = [];
    const reader = new FrameReader({ message: (m) => got.push(m), problem: (l) => assert.fail(l) });
    const bytes = Buffer.concat([
      frame('{"seq":1,"type":"request","command":"threads"}'),
      frame('{"seq":2,"text":"ü ✓ 🙂"}'),
    ]);
    for (const b of bytes) reader.push(Buffer.from([b]));
    assert.deepEqual(got, [
      { seq: 1, type: 'request', command: 'threads' },
      { seq: 2, text: 'ü ✓ 🙂' },
    ]);
  });
});

describe('debug adapter: malformed requests are answered', () => {
  it('launch without arguments gets an error that says what to add', async () => {
    const a = await started();
    const seq = a.send('launch', undefined);
    const r = await a.response(seq);
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /add `"program": "\$\{file\}"`.*`deployment` or `media`/);
  });

  it('launch with a mistyped field says which field and what it must be', async () => {
    const a = await started();
    const r = await a.request('launch', { program: 5 });
    assert.equal(r.success, false);
    assert.equal(r.message, '`launch`: `program` must be text, not 5.');
  });

  it('a malformed evaluate gets a message, not a stack trace', async () => {
    const a = await launched();
    for (const args of [undefined, { expression: 5 }, { expression: null }, 'evaluate me']) {
      const r = await a.request('evaluate', args);
      assert.equal(r.success, false);
      assert.doesNotMatch(r.message ?? '', STACK_LINE);
      assert.match(r.message ?? '', /expression|arguments/);
    }
    await stillAnswers(a);
  });

  it('user text holding `{_name}` braces comes back as written instead of failing with a stack trace', async () => {
    const a = await launched();
    const r = await a.request('setVariable', { variablesReference: 2, name: '_{_x}', value: '1' });
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /`_\{_x\}` is read-only/);
    assert.doesNotMatch(r.message ?? '', STACK_LINE);
  });

  it('requests with wrong types, no command, a wrong type or an unknown command are each answered', async () => {
    const a = await started();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [
        { type: 'request', command: 'setBreakpoints', arguments: { source: 'a.tsq.yaml' } },
        /`source` must be an object/,
      ],
      [
        { type: 'request', command: 'setBreakpoints', arguments: { source: {}, breakpoints: [{ line: 'one' }] } },
        /`breakpoints\[0\]\.line` must be a whole number/,
      ],
      [{ type: 'request', command: 'scopes', arguments: {} }, /`frameId` is missing/],
      [{ type: 'request', command: 'initialize' }, /./],
      [{ type: 'request', command: 42 }, /needs a `command`/],
      [{ type: 'requests', command: 'threads' }, /needs `type: "request"`/],
      [{ type: 'request', command: 'fly' }, /does not know the request "fly"/],
      [{ type: 'request', command: 'attach', arguments: {} }, /use a `launch` configuration/],
      [{ type: 'request', command: 'restart' }, /names nothing to run/],
    ];
    let seq = 1;
    for (const [message, expected] of cases) {
      a.write(frame(JSON.stringify({ seq, ...message })));
      const r = await a.response(seq);
      if (message.command === 'initialize')
        assert.equal(r.success, true, 'initialize without arguments uses the defaults');
      else {
        assert.equal(r.success, false, JSON.stringify(message));
        assert.match(r.message ?? '', expected);
        assert.doesNotMatch(r.message ?? '', STACK_LINE);
      }
      seq++;
    }
    await stillAnswers(a);
  });

  it('nothing the adapter logged about garbage spans more than one line', async () => {
    const a = await started();
    a.write(frame('{"seq": 1, "type": "request", "command": "evaluate", "arguments": {"expression": ["x"]}}'));
    a.write(frame('{\n"broken\n'));
    await stillAnswers(a);
    const log = await logLines(a, /./, 2);
    assert.ok(log.length >= 2);
    assert.ok(
      log.every((l) => l.startsWith('tsq debugger: ') && !/^\s+at /.test(l)),
      log.join('\n'),
    );
  });
});
