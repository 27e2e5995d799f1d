// Part `dap` of the fuzz run: the debug adapter (dist/debug.js) gets well-framed requests —
// realistic ones (launch an example, set breakpoints, step, evaluate) with their arguments now
// and then mistyped, left out or swapped for junk — mixed with garbage: random bytes, frames of
// bad JSON or of JSON that is no message, headers without or with a lying Content-Length,
// mutated copies of real frames. The adapter must never exit, must answer every well-framed
// request, and no answer or output may carry a stack trace.
// A garbage frame whose Content-Length claims more than it holds is followed by as many filler
// bytes (a shadow frame reader says how many): otherwise it would swallow the next request,
// which no reader could tell from its body.

import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FrameReader } from '../../server/src/debug/framing';
import { random } from './fuzz-edits';
import { FuzzReport } from './fuzz-report';
import { frame, RawAdapter } from './wire';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
const example = (name: string) => join(EXAMPLES, name);

export interface DapFuzzOptions {
  seed: number;
  /** Frames and pieces of garbage in all. */
  inputs: number;
  timeoutMs?: number;
  memoryBoundMB?: number;
  progress?: (report: FuzzReport) => void;
}

const STACK = /\n\s+at /;
const COMMANDS = [
  'initialize',
  'launch',
  'restart',
  'terminate',
  'configurationDone',
  'setBreakpoints',
  'setExceptionBreakpoints',
  'breakpointLocations',
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'reverseContinue',
  'pause',
  'threads',
  'stackTrace',
  'scopes',
  'variables',
  'setVariable',
  'evaluate',
  'exceptionInfo',
  'gotoTargets',
  'goto',
  'attach',
  'source',
  'completions',
  'setFunctionBreakpoints',
  'fly',
  '',
];

/** A random JSON value of any type, sometimes large. */
function junk(rnd: () => number, depth = 0): unknown {
  const r = rnd();
  if (r < 0.12) return null;
  if (r < 0.24) return [0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, 42][Math.floor(rnd() * 7)];
  if (r < 0.36) return rnd() < 0.5;
  if (r < 0.6)
    return [
      '',
      'x',
      '{_x}',
      '%OSDisk%',
      '../../etc/passwd',
      '\u0000',
      'é\u{1f600}',
      'a'.repeat(Math.floor(rnd() * 100_000)),
    ][Math.floor(rnd() * 8)];
  if (r < 0.8 && depth < 3) return Array.from({ length: Math.floor(rnd() * 4) }, () => junk(rnd, depth + 1));
  if (depth < 3)
    return Object.fromEntries(
      Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [
        ['path', 'line', 'name', 'expression', 'x'][i % 5],
        junk(rnd, depth + 1),
      ]),
    );
  return {};
}

/** Arguments a real client would send for `command` (valid types, sometimes odd values). */
function realisticArguments(command: string, rnd: () => number): Record<string, unknown> | undefined {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const sequence = pick([
    example('deploy-windows-11.tsq.yaml'),
    example('install-apps.tsq.yaml'),
    example('refresh-desktop.tsq.yaml'),
    example('kiosk-apps.tsq.yaml'),
    example('broken/deploy.tsq.yaml'),
  ]);
  const line = 1 + Math.floor(rnd() * 80);
  const source = { path: pick([sequence, example('deploy-windows-11.tsq.yaml'), '/nowhere/x.tsq.yaml', EXAMPLES, '']) };
  const expression = pick([
    'OSDComputerName',
    '%OSDisk%',
    '_SMSTSInWinPE == "true"',
    'exists(OSDisk) and not (A == "1")',
    '((((',
    '{_x}',
    '%',
    '',
    'a'.repeat(5000),
    'x == "é\u{1f600}"',
  ]);
  switch (command) {
    case 'initialize':
      return {
        adapterID: 'tasksequence',
        linesStartAt1: rnd() < 0.8,
        columnsStartAt1: rnd() < 0.8,
        pathFormat: pick(['path', 'path', 'uri']),
      };
    case 'launch':
    case 'restart': {
      const launch: Record<string, unknown> = pick([
        {
          program: sequence,
          machine: pick([
            example('lab-vm.tsq.yaml'),
            example('pilot-laptop.tsq.yaml'),
            example('lab-vm-troubled.tsq.yaml'),
          ]),
        },
        { program: sequence },
        { deployment: example('pilot-deployment.tsq.yaml'), machine: example('pilot-laptop.tsq.yaml') },
        { media: pick([example('offline-media.tsq.yaml'), example('pxe-rescue-media.tsq.yaml')]) },
        { program: '/nowhere/missing.tsq.yaml' },
        { program: EXAMPLES },
        {},
      ]);
      launch.stopOnEntry = rnd() < 0.7;
      if (rnd() < 0.2)
        launch.content = pick(['downloadAll', 'downloadWhenNeeded', 'runFromDistributionPoint', 'sideways']);
      if (rnd() < 0.1) launch.at = pick(['2025-03-08 22:30', 'tomorrow', '9999-99-99 99:99']);
      if (rnd() < 0.1) launch.startTime = pick(['2025-01-06T08:00:00Z', 'never']);
      return command === 'restart' ? (rnd() < 0.5 ? { arguments: launch } : {}) : launch;
    }
    case 'setBreakpoints':
      return {
        source,
        breakpoints: Array.from({ length: Math.floor(rnd() * 5) }, () => ({
          line: pick([line, 0, -3, 1e9]),
          condition: rnd() < 0.3 ? expression : undefined,
          hitCondition: rnd() < 0.2 ? pick(['3', '>= 2', '% 0', 'often', ` ${' '.repeat(5000)}x`]) : undefined,
          logMessage: rnd() < 0.2 ? 'at {OSDisk} %OSDisk% {((}' : undefined,
        })),
      };
    case 'setExceptionBreakpoints':
      return { filters: pick([[], ['stepFailed'], ['sequenceFailed', 'stepFailed'], ['nonsense']]) };
    case 'breakpointLocations':
      return { source, line, endLine: rnd() < 0.5 ? line + Math.floor(rnd() * 40) : undefined };
    case 'stackTrace':
      return { threadId: 1, startFrame: rnd() < 0.2 ? 5 : undefined, levels: rnd() < 0.2 ? 1 : undefined };
    case 'scopes':
      return { frameId: Math.floor(rnd() * 4) };
    case 'variables':
      return { variablesReference: pick([1, 2, 3, 100, 101, 999, 0]) };
    case 'setVariable':
      return {
        variablesReference: pick([1, 2, 3, 7]),
        name: pick(['OSDComputerName', '_SMSTSInWinPE', '_{_x}', 'New Var', '']),
        value: pick(['"x"', 'y', '', 'é']),
      };
    case 'evaluate':
      return { expression, frameId: 0, context: pick(['repl', 'hover', 'watch', 'clipboard']) };
    case 'gotoTargets':
      return { source, line };
    case 'goto':
      return { threadId: 1, targetId: Math.floor(rnd() * 6) };
    case 'configurationDone':
    case 'threads':
      return undefined;
    default:
      return { threadId: 1 };
  }
}

/** Realistic arguments with a field now and then mistyped, left out or added. */
function mutatedArguments(args: Record<string, unknown> | undefined, rnd: () => number): unknown {
  if (rnd() < 0.1) return junk(rnd);
  const out: Record<string, unknown> = { ...(args ?? {}) };
  const keys = Object.keys(out);
  const r = rnd();
  if (r < 0.4 && keys.length) out[keys[Math.floor(rnd() * keys.length)]] = junk(rnd);
  else if (r < 0.7 && keys.length) delete out[keys[Math.floor(rnd() * keys.length)]];
  else out[['source', 'line', 'expression', 'program', 'breakpoints', 'arguments'][Math.floor(rnd() * 6)]] = junk(rnd);
  return out;
}

/** Bytes that are no well-framed request. */
function garbage(rnd: () => number, cleanFrame: () => Buffer): Buffer {
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  const r = rnd();
  if (r < 0.1) return bytes(Math.floor(rnd() * 2000));
  if (r < 0.2) return frame(bytes(Math.floor(rnd() * 500)));
  if (r < 0.3) {
    const json = JSON.stringify({ seq: 5, type: 'request', command: 'evaluate', arguments: { expression: 'x' } });
    const cut = Math.floor(rnd() * json.length);
    return frame(
      rnd() < 0.5 ? json.slice(0, cut) : json.slice(0, cut) + '{[,'[Math.floor(rnd() * 3)] + json.slice(cut),
    );
  }
  if (r < 0.4)
    return frame(
      [
        'null',
        '0',
        '-1',
        '[]',
        '[1,2,3]',
        '"request"',
        'true',
        '{}',
        '{"seq":"1","type":"request","command":"threads"}',
        '{"seq":-1,"type":"request","command":"threads"}',
        '{"seq":1.5,"type":"request","command":"threads"}',
        '{"type":"event","event":"output"}',
        '{"seq":3,"type":"response","request_seq":1}',
      ][Math.floor(rnd() * 13)],
    );
  if (r < 0.5)
    return Buffer.from(
      [
        '{"seq":1,"type":"request","command":"threads"}',
        'Content-Type: x\r\n\r\n{}',
        'Content-Length: abc\r\n\r\n',
        'Content-Length: -5\r\n\r\n{}',
        'Content-Length: 99999999999\r\n\r\n{}',
        `Content-Length: ${2 ** 40}\r\n\r\n`,
        'Content-Length: 2\n\n{}',
        'content-length: 2\r\n\r\n{}',
        'Content-Length 2\r\n\r\n{}',
        '\r\n\r\n\r\n',
        'Content-Length: 2\r\nX: \u00ff\r\n\r\n{}',
      ][Math.floor(rnd() * 11)],
      'latin1',
    );
  if (r < 0.6) {
    // A Content-Length that says more or less than the body holds.
    const body = Buffer.from(JSON.stringify({ seq: 7, type: 'request', command: 'threads' }));
    const claim = rnd() < 0.5 ? body.length + 1 + Math.floor(rnd() * 300) : Math.floor(rnd() * body.length);
    return Buffer.concat([Buffer.from(`Content-Length: ${claim}\r\n\r\n`), body]);
  }
  if (r < 0.7)
    return frame(
      Buffer.from(
        `{"seq":9,"type":"request","command":"evaluate","arguments":{"expression":"${'['.repeat(Math.floor(rnd() * 100_000))}"}}`,
      ),
    );
  // A real frame with bytes flipped, dropped or added anywhere (header included).
  const b = [...cleanFrame()];
  for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--) {
    const at = Math.floor(rnd() * (b.length + 1));
    const op = rnd();
    if (op < 0.4) b[at] = Math.floor(rnd() * 256);
    else if (op < 0.7) b.splice(at, 1);
    else b.splice(at, 0, Math.floor(rnd() * 256));
  }
  return Buffer.from(b.filter((x) => x !== undefined));
}

export async function fuzzDebugAdapter(options: DapFuzzOptions): Promise<FuzzReport> {
  const report = new FuzzReport('dap', options.seed);
  const rnd = random(options.seed);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const memoryBoundMB = options.memoryBoundMB ?? 1000;
  let adapter = RawAdapter.start();
  // What the adapter's reader makes of the bytes so far, to complete a frame that lies about its length.
  let shadow = new FrameReader({ message: () => undefined, problem: () => undefined });
  const sent: Buffer[] = [];
  const pending = new Map<number, string>();
  let eventsChecked = 0;

  const write = (bytes: Buffer) => {
    adapter.write(bytes);
    shadow.push(bytes);
    sent.push(bytes);
    if (sent.length > 50) sent.shift();
  };
  const reproducer = () => ({
    lastInputs: sent.map((b) => b.toString('base64')),
    note: 'lastInputs: the last bytes written to a fresh dist/debug.js, base64, in order',
  });

  /** Waits for the pending requests; checks every answer and event since the last check. */
  const settle = async (): Promise<void> => {
    for (const [seq, command] of pending) {
      const r: DebugProtocol.Response | undefined = await adapter.until(() => adapter.responses.get(seq), timeoutMs);
      pending.delete(seq);
      if (!r) {
        if (adapter.alive)
          report.fail('hang', `no answer to ${command} (seq ${seq}) within ${timeoutMs} ms`, reproducer());
        break;
      }
      report.answered++;
      if (typeof r.success !== 'boolean' || (!r.success && typeof r.message !== 'string'))
        report.fail('crash', `a malformed answer to ${command}: ${JSON.stringify(r).slice(0, 200)}`, reproducer());
      if (STACK.test(r.message ?? '') || STACK.test(JSON.stringify(r.body ?? '')))
        report.fail('crash', `a stack trace in the answer to ${command}: ${r.message?.slice(0, 200)}`, reproducer());
    }
    for (const e of adapter.events.slice(eventsChecked)) {
      const text = (e.body as { output?: string } | undefined)?.output ?? '';
      if (STACK.test(text))
        report.fail('crash', `a stack trace in an ${e.event} event: ${text.slice(0, 200)}`, reproducer());
    }
    eventsChecked = adapter.events.length;
    adapter.responses.clear();
    if (adapter.unreadable.length)
      report.fail('crash', `the adapter wrote frames that cannot be read: ${adapter.unreadable[0]}`, reproducer());
    adapter.unreadable.length = 0;
  };

  let seq = 1_000_000;
  const request = (command: string, args: unknown) => {
    const s = seq++;
    pending.set(s, command || '(empty command)');
    write(frame(JSON.stringify({ seq: s, type: 'request', command, arguments: args })));
  };

  try {
    request('initialize', {
      adapterID: 'tasksequence',
      pathFormat: 'path',
      linesStartAt1: true,
      columnsStartAt1: true,
    });
    while (report.inputs < options.inputs) {
      const r = rnd();
      if (r < 0.35) {
        // A client's session: launch, configure, then a few debugger requests.
        request('launch', realisticArguments('launch', rnd));
        if (rnd() < 0.8) request('setBreakpoints', realisticArguments('setBreakpoints', rnd));
        if (rnd() < 0.9) request('configurationDone', undefined);
        report.inputs += 3;
      } else if (r < 0.65) {
        const command = COMMANDS[Math.floor(rnd() * COMMANDS.length)];
        const args = realisticArguments(command, rnd);
        request(command, rnd() < 0.3 ? mutatedArguments(args, rnd) : args);
        report.inputs++;
      } else {
        write(
          garbage(rnd, () =>
            frame(
              JSON.stringify({
                seq: 500_000 + Math.floor(rnd() * 1000),
                type: 'request',
                command: COMMANDS[Math.floor(rnd() * COMMANDS.length)],
                arguments: realisticArguments('evaluate', rnd),
              }),
            ),
          ),
        );
        const missing = shadow.awaiting;
        if (missing > 0) write(Buffer.alloc(missing, 0x20));
        report.inputs++;
      }
      if (pending.size >= 16 || rnd() < 0.05) await settle();
      if (!adapter.alive) {
        report.fail(
          'crash',
          `the adapter exited (${JSON.stringify(adapter.exit)}); its last log lines: ${adapter.log.slice(-3).join(' | ')}`,
          reproducer(),
        );
        pending.clear();
        adapter = RawAdapter.start();
        shadow = new FrameReader({ message: () => undefined, problem: () => undefined });
        eventsChecked = 0;
        request('initialize', { adapterID: 'tasksequence', pathFormat: 'path' });
      }
      report.noteMemory(adapter.peakMemoryMB());
      if (report.inputs % 200 < 3) options.progress?.(report);
    }
    await settle();
    if (report.peakMemoryMB > memoryBoundMB)
      report.fail('memory', `the adapter reached ${Math.round(report.peakMemoryMB)} MB (bound ${memoryBoundMB} MB)`);
  } finally {
    await adapter.stop();
  }
  return report;
}
