// Benchmark of import and export: a generated ConfigMgr sequence XML of about 10 MB (groups with
// conditions; command lines, variables, packages, restarts, scripts, partitions) is imported to
// YAML and exported back to XML, each in a fresh process, median of several runs, with the peak
// memory of one import + export. Beside it, the raw throughput of the XML parser (saxes, events
// only) on the same file. Target (interop issue): import + export under 1 s and 300 MB.

import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { planImport } from '../server/src/interop/import';
import { sequenceXmlBytes } from '../server/src/interop/export/sequence-xml';
import { newSaxesParser } from '../server/src/interop/xml/read';
import { parseDocument } from '../server/src/model/document';
import { Workspace } from '../server/src/semantics/workspace';
import { median, table } from './util';

const RUNS = 5;
const TARGET_BYTES = 10 * 1000 * 1000;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function stepXml(i: number): string {
  const v = (name: string, property: string, value: string, hidden = false) =>
    `<variable name="${name}" property="${property}"${hidden ? ' hidden="true"' : ''}>${esc(value)}</variable>`;
  const common = (type: string, name: string, runIn: string, codes: string) =>
    `<step type="${type}" name="${name} ${i}" description="" runIn="${runIn}" successCodeList="${codes}" retryCount="0" runFromNet="false">`;
  switch (i % 6) {
    case 0: {
      const cmd = `cmd.exe /c setup.cmd %OSDComputerName% ${i}`;
      return `${common('SMS_TaskSequence_RunCommandLineAction', 'Run script', 'WinPEandFullOS', '0 3010')}<action>smsswd.exe /run:BEN00077 ${esc(cmd)}</action><defaultVarList>${v('CommandLine', 'CommandLine', cmd, true)}${v('SMSTSDisableWow64Redirection', 'DisableWow64Redirection', 'false')}${v('PackageID', 'PackageID', 'BEN00077', true)}${v('_SMSTSRunCommandLineAsUser', 'RunAsUser', 'false')}${v('SuccessCodes', 'SuccessCodes', '0 3010', true)}</defaultVarList></step>`;
    }
    case 1:
      return `${common('SMS_TaskSequence_SetVariableAction', 'Set variable', 'WinPEandFullOS', '0')}<action>tsenv.exe "Var${i}=value ${i}" /hiddenflag:False</action><defaultVarList>${v('DoNotShowVariableValue', 'DoNotShowVariableValue', 'false', true)}${v('VariableName', 'VariableName', `Var${i}`, true)}${v('VariableValue', 'VariableValue', `value ${i}`, true)}</defaultVarList></step>`;
    case 2:
      return `<step type="SMS_TaskSequence_InstallSoftwareAction" name="Install ${i}" description="" runIn="FullOS" successCodeList="0" retryCount="0" runFromNet="false"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">Var${i - 1}</variable><variable name="Operator">exists</variable><variable name="Value"></variable></expression></condition><action>smsswd.exe /pkg:BEN00077 /install /basevar: /continueOnError:False</action><defaultVarList>${v('BaseVariableName', 'BaseVariableName', '', true)}${v('ContinueOnInstallError', 'ContinueOnInstallError', 'false', true)}${v('PackageID', 'PackageID', 'BEN00077')}${v('_SMSSWDProgramName', 'ProgramName', 'Install')}</defaultVarList></step>`;
    case 3:
      return `${common('SMS_TaskSequence_RebootAction', 'Restart', 'WinPEandFullOS', '0')}<action>smsboot.exe /target:HD</action><defaultVarList>${v('SMSRebootMessage', 'Message', 'The computer restarts.')}${v('SMSRebootTimeout', 'MessageTimeout', '60')}${v('SMSRebootTarget', 'Target', 'HD', true)}</defaultVarList></step>`;
    case 4:
      return `${common('SMS_TaskSequence_RunPowerShellScriptAction', 'Configure', 'WinPEandFullOS', '0 3010')}<condition><operator type="and"><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">_SMSTSMake</variable><variable name="Operator">equals</variable><variable name="Value">Dell</variable></expression><expression type="SMS_TaskSequence_WMIConditionExpression"><variable name="Namespace">root\\cimv2</variable><variable name="Query">SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%Latitude ${i}%'</variable></expression></operator></condition><action>OSDRunPowerShellScript.exe</action><defaultVarList>${v('OSDRunPowerShellScriptExecutionPolicy', 'ExecutionPolicy', 'Bypass')}${v('OSDRunPowerShellScriptPackageID', 'PackageID', 'BEN00077')}${v('OSDRunPowerShellScriptParameters', 'Parameters', '-Step %_SMSTSCurrentActionName%')}${v('OSDRunPowerShellScriptScriptName', 'ScriptName', 'Configure.ps1')}${v('OSDRunPowerShellScriptSuccessCodes', 'SuccessCodes', '0 3010', true)}</defaultVarList></step>`;
    default:
      return `${common('SMS_TaskSequence_PartitionDiskAction', 'Partition disk', 'WinPE', '0')}<action>osddiskpart.exe</action><defaultVarList>${v('OSDDiskIndex', 'DiskIndex', '0')}${v('OSDPartitionStyle', 'PartitionStyle', 'GPT')}${v('OSDPartitions', 'Partitions', '2', true)}${v('OSDPartitions0FileSystem', 'Partitions0FileSystem', 'FAT32')}${v('OSDPartitions0Size', 'Partitions0Size', '500')}${v('OSDPartitions0SizeUnits', 'Partitions0SizeUnits', 'MB')}${v('OSDPartitions0Type', 'Partitions0Type', 'EFI')}${v('OSDPartitions1FileSystem', 'Partitions1FileSystem', 'NTFS')}${v('OSDPartitions1Size', 'Partitions1Size', '100')}${v('OSDPartitions1SizeUnits', 'Partitions1SizeUnits', 'PERCENT')}${v('OSDPartitions1Type', 'Partitions1Type', 'PRIMARY')}${v('OSDPartitions1VolumeLetterVariable', 'Partitions1VolumeLetterVariable', 'OSDisk')}</defaultVarList></step>`;
  }
}

/** A ConfigMgr-style sequence XML of about `bytes` bytes, one line as ConfigMgr stores it. */
export function generateSequenceXml(bytes: number): { xml: string; steps: number } {
  const parts: string[] = [
    '<sequence version="3.10"><referenceList><reference package="BEN00077"/></referenceList><globalVarList><variable name="OSDAdapterCount" property="NumAdapters">0</variable></globalVarList>',
  ];
  let size = parts[0].length,
    i = 0,
    g = 0;
  while (size < bytes) {
    const group = [
      `<group name="Group ${g}" description=""${g % 2 ? ' continueOnError="true"' : ''}><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">_SMSTSInWinPE</variable><variable name="Operator">equals</variable><variable name="Value">false</variable></expression><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">Ring</variable><variable name="Operator">notEquals</variable><variable name="Value">${g % 7}</variable></expression></condition>`,
    ];
    for (let k = 0; k < 20; k++) group.push(stepXml(i++));
    group.push('</group>');
    const text = group.join('');
    parts.push(text);
    size += text.length;
    g++;
  }
  parts.push('</sequence>');
  return { xml: parts.join(''), steps: i };
}

function rawParse(xml: string): number {
  const t0 = performance.now();
  let elements = 0;
  const p = newSaxesParser({
    opentag: () => {
      elements++;
    },
    closetag: () => undefined,
    text: () => undefined,
  });
  p.write(xml).close();
  if (elements === 0) throw new Error('nothing parsed');
  return performance.now() - t0;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function roundTrip(
  bytes: Buffer,
): Promise<{ importMs: number; exportMs: number; cpuMs: number; yamlBytes: number; outBytes: number }> {
  const c0 = cpuMs();
  const t0 = performance.now();
  const planned = await planImport(bytes, 'bench.xml');
  if (!planned.ok) throw new Error(planned.error.message);
  const yaml = String(planned.value.files[0].data);
  const t1 = performance.now();
  const doc = parseDocument('/bench/bench.tsq.yaml', yaml);
  const ws = new Workspace();
  ws.upsert(doc);
  // What `tsq export --format xml` does, on one line as ConfigMgr stores the sequence.
  const out = sequenceXmlBytes(doc, ws, { indent: '' }).bytes;
  const t2 = performance.now();
  return {
    importMs: t1 - t0,
    exportMs: t2 - t1,
    cpuMs: cpuMs() - c0,
    yamlBytes: Buffer.byteLength(yaml),
    outBytes: out.length,
  };
}

async function measure() {
  const { xml, steps } = generateSequenceXml(TARGET_BYTES);
  const bytes = Buffer.from(xml, 'utf8');
  await roundTrip(Buffer.from(generateSequenceXml(200_000).xml)); // warm up
  rawParse(xml);
  const raw: number[] = [],
    imp: number[] = [],
    exp: number[] = [],
    total: number[] = [],
    cpu: number[] = [];
  let yamlBytes = 0;
  for (let r = 0; r < RUNS; r++) {
    raw.push(rawParse(xml));
    const t = await roundTrip(bytes);
    imp.push(t.importMs);
    exp.push(t.exportMs);
    total.push(t.importMs + t.exportMs);
    cpu.push(t.cpuMs);
    yamlBytes = t.yamlBytes;
  }
  return {
    mb: bytes.length / 1e6,
    steps,
    yamlMB: yamlBytes / 1e6,
    raw: median(raw),
    import: median(imp),
    export: median(exp),
    total: median(total),
    cpu: median(cpu),
  };
}

async function peak() {
  const bytes = Buffer.from(generateSequenceXml(TARGET_BYTES).xml, 'utf8');
  await roundTrip(bytes);
  return { peakMB: process.resourceUsage().maxRSS / 1024 };
}

function child<T>(args: string[]): T {
  const r = spawnSync(process.execPath, [__filename, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

async function mainBench() {
  if (process.argv[2] === '--measure') {
    process.stdout.write(JSON.stringify(await measure()));
    return;
  }
  if (process.argv[2] === '--peak') {
    process.stdout.write(JSON.stringify(await peak()));
    return;
  }
  const m = child<Awaited<ReturnType<typeof measure>>>(['--measure']);
  const p = child<{ peakMB: number }>(['--peak']);
  const rate = (ms: number) => `${(m.mb / (ms / 1000)).toFixed(1)} MB/s`;
  console.log(
    `\nInterop: import + export of a generated ${m.mb.toFixed(1)} MB sequence XML (${m.steps.toLocaleString('en-US')} steps, YAML ${m.yamlMB.toFixed(1)} MB; median of ${RUNS} runs; peak RSS: one import + export in a fresh process)\n`,
  );
  console.log(
    table(
      ['stage', 'time', 'throughput'],
      [
        ['saxes alone (events only)', `${m.raw.toFixed(0)} ms`, rate(m.raw)],
        ['import (XML → YAML)', `${m.import.toFixed(0)} ms`, rate(m.import)],
        ['export (YAML → XML)', `${m.export.toFixed(0)} ms`, rate(m.export)],
        ['import + export', `${m.total.toFixed(0)} ms`, rate(m.total)],
      ],
    ),
  );
  console.log(
    `\nCPU time of import + export (all threads, garbage collection included): ${m.cpu.toFixed(0)} ms; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores.`,
  );
  console.log(
    `Target: < 1 s → ${m.total.toFixed(0)} ms ${m.total < 1000 ? 'met' : 'NOT met'}; < 300 MB → ${p.peakMB.toFixed(0)} MB ${p.peakMB < 300 ? 'met' : 'NOT met'}`,
  );
}

if (require.main === module) {
  mainBench().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
