// Benchmark of `tsq log`: a generated smsts.log of about 10 MB (groups of Run Command Line steps,
// each with the lines the engine writes around a step: the instruction line, variables, the
// command, the program's own lines, the exit code and the outcome; every 40th step fails and
// continues on error) is read from bytes to the rebuilt run — decoding, entries, the run — alone
// and matched to its sequence file, in UTF-8 and in UTF-16LE. Median of several runs in a fresh
// process, and its peak memory. Target (issue 16): 10 MB of log read in under 1 s.

import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseDocument } from '../server/src/model/document';
import { Workspace } from '../server/src/semantics/workspace';
import { readRunLogs, type SequenceInput } from '../server/src/runlog/read';
import { median, table } from './util';

const RUNS = 5;
const TARGET_BYTES = 10 * 1000 * 1000;
const STEPS_PER_GROUP = 20;

function line(message: string, clock: number, component = 'TSManager', type = 1): string {
  const s = clock % 60,
    m = Math.floor(clock / 60) % 60,
    h = 8 + (Math.floor(clock / 3600) % 12);
  const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(clock % 1000).padStart(3, '0')}+300`;
  return `<![LOG[${message}]LOG]!><time="${time}" date="03-10-2026" component="${component}" context="" type="${type}" thread="4312" file="engine.cxx:${100 + (clock % 900)}">\r\n`;
}

/** A log of about `bytes` bytes and the sequence that ran. */
export function generateRun(bytes: number): { log: string; yaml: string; steps: number } {
  const out: string[] = [
    line('==============================[ TSMBootStrap.exe ]==============================', 0, 'TSMBootstrap'),
    line('Set a global environment variable _SMSTSInWinPE=false', 1),
  ];
  const yaml: string[] = ['sequence: Generated run', 'steps:'];
  let size = 0,
    clock = 2,
    pointer = 0,
    steps = 0,
    g = 0;
  while (size < bytes) {
    const group = `Group ${g}`;
    yaml.push(`  - group: ${group}`, '    steps:');
    const groupLines = [
      line(
        `Start executing an instruction. Instruction name: '${group}'.  Pointer: ${pointer++}. Type: ''. Disabled: 0`,
        clock++,
      ),
      line(`The group (${group}) has been successfully started`, clock++),
    ];
    out.push(...groupLines);
    for (let k = 0; k < STEPS_PER_GROUP; k++, steps++) {
      const name = `Configure item ${steps}`;
      const fails = steps % 40 === 39;
      yaml.push(
        `      - name: ${name}`,
        `        run: cmd.exe /c configure.cmd ${steps}`,
        '        package: CM100077',
        ...(fails ? ['        continueOnError: true'] : []),
      );
      const cmd = `smsswd.exe /run:CM100077 cmd.exe /c configure.cmd ${steps}`;
      const block = [
        line(
          `Start executing an instruction. Instruction name: '${name}'.  Pointer: ${pointer}. Type: 'SMS_TaskSequence_RunCommandLineAction'. Disabled: 0`,
          clock++,
        ),
        line(`Set a global environment variable _SMSTSCurrentActionName=${name}`, clock++),
        line(`Set a global environment variable _SMSTSNextInstructionPointer=${pointer}`, clock++),
        line(`Set command line: ${cmd}`, clock++),
        line(`Start executing the command line: ${cmd}`, clock++),
        line('!--------------------------------------------------------------------------------------------!', clock++),
        line('Expand a string: WinPEandFullOS', clock++),
        line(`Executing command line: ${cmd}`, clock++),
        line('==============================[ SMSSWD.EXE ]==============================', clock++, 'SMSSWD'),
        line("PackageID = 'CM100077'", clock++, 'SMSSWD'),
        line(`ProgramName = 'cmd.exe /c configure.cmd ${steps}'`, clock++, 'SMSSWD'),
        line(`Command line cmd.exe /c configure.cmd ${steps} returned ${fails ? 1 : 0}`, clock++, 'SMSSWD'),
        line(`Process completed with exit code ${fails ? 1 : 0}`, clock++),
        line('!--------------------------------------------------------------------------------------------!', clock++),
        fails
          ? line(
              `Failed to run the action: ${name}.\r\nIncorrect function. (Error: 00000001; Source: Windows)`,
              clock++,
              'TSManager',
              3,
            )
          : line(`Successfully completed the action (${name}) with the exit win32 code 0`, clock++),
        line(`Set a global environment variable _SMSTSLastActionName=${name}`, clock++),
        line(`Set a global environment variable _SMSTSLastActionRetCode=${fails ? 1 : 0}`, clock++),
        line(`Set a global environment variable _SMSTSLastActionSucceeded=${fails ? 'false' : 'true'}`, clock++),
        line(`Set a global environment variable _SMSTSNextInstructionPointer=${pointer + 1}`, clock++),
        line('Successfully save execution state and environment to local hard disk', clock++),
      ];
      pointer++;
      out.push(...block);
      for (const l of block) size += l.length;
    }
    for (const l of groupLines) size += l.length;
    g++;
  }
  out.push(line('Process completed with exit code 0', clock, 'TSMBootstrap'));
  return { log: out.join(''), yaml: yaml.join('\n') + '\n', steps };
}

function read(bytes: Buffer, sequence?: SequenceInput): number {
  const t0 = performance.now();
  const r = readRunLogs([{ name: 'smsts.log', bytes }], sequence);
  const ms = performance.now() - t0;
  if (!r.ok || r.value.run.result !== 'succeeded')
    throw new Error(`the generated run did not read back: ${r.ok ? r.value.run.result : r.problem.message}`);
  return ms;
}

function measure() {
  const { log, yaml, steps } = generateRun(TARGET_BYTES);
  const utf8 = Buffer.from(log, 'utf8');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(log, 'utf16le')]);
  const ws = new Workspace();
  const doc = parseDocument('/bench/generated.tsq.yaml', yaml);
  ws.upsert(doc);
  const sequence = { ws, doc };
  read(Buffer.from(generateRun(300_000).log)); // warm up
  const plain: number[] = [],
    matched: number[] = [],
    wide: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    plain.push(read(utf8));
    matched.push(read(utf8, sequence));
    wide.push(read(utf16));
  }
  return {
    mb: utf8.length / 1e6,
    utf16mb: utf16.length / 1e6,
    steps,
    plain: median(plain),
    matched: median(matched),
    wide: median(wide),
  };
}

function peak() {
  const { log } = generateRun(TARGET_BYTES);
  read(Buffer.from(log, 'utf8'));
  return { peakMB: process.resourceUsage().maxRSS / 1024 };
}

function child<T>(args: string[]): T {
  const r = spawnSync(process.execPath, [__filename, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

function mainBench() {
  if (process.argv[2] === '--measure') return void process.stdout.write(JSON.stringify(measure()));
  if (process.argv[2] === '--peak') return void process.stdout.write(JSON.stringify(peak()));
  const m = child<ReturnType<typeof measure>>(['--measure']);
  const p = child<{ peakMB: number }>(['--peak']);
  const rate = (mb: number, ms: number) => `${(mb / (ms / 1000)).toFixed(1)} MB/s`;
  console.log(
    `\nRun log: a generated ${m.mb.toFixed(1)} MB smsts.log (${m.steps.toLocaleString('en-US')} steps) read into the run (median of ${RUNS} runs; peak RSS: one read in a fresh process)\n`,
  );
  console.log(
    table(
      ['read', 'time', 'throughput'],
      [
        ['UTF-8, the log alone', `${m.plain.toFixed(0)} ms`, rate(m.mb, m.plain)],
        ['UTF-8, matched to its sequence', `${m.matched.toFixed(0)} ms`, rate(m.mb, m.matched)],
        [`UTF-16LE (${m.utf16mb.toFixed(1)} MB), the log alone`, `${m.wide.toFixed(0)} ms`, rate(m.utf16mb, m.wide)],
      ],
    ),
  );
  console.log(
    `\nLoad average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; peak RSS ${p.peakMB.toFixed(0)} MB.`,
  );
  const worst = Math.max(m.plain, m.matched);
  console.log(`Target: 10 MB of log in < 1 s → ${worst.toFixed(0)} ms ${worst < 1000 ? 'met' : 'NOT met'}`);
}

mainBench();
