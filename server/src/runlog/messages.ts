// The task sequence engine's words in smsts.log: which messages tsq recognises, what each one
// means, and how sure we are of its wording. A wording is `documented` when Microsoft's
// documentation quotes it, `observed` when it appears in logs published by admins or is matched
// by public log parsers, and `inferred` when no source shows it and it is built by analogy. The
// rebuild may use an inferred message to add detail (a reason, a name) but never needs one to
// decide what happened: docs/run-logs.md lists every message with its grade and source.

export type Evidence = 'documented' | 'observed' | 'inferred';

export type EngineEvent =
  /** An instruction (group or step) begins; `pointer` is its place in the instruction table. */
  | { kind: 'instruction-start'; name: string; pointer?: number; type?: string; disabled?: boolean }
  | { kind: 'group-started'; name: string }
  | { kind: 'condition-result'; subject?: 'action' | 'group'; name?: string; value: boolean }
  | { kind: 'action-succeeded'; name: string; exitCode: number }
  /** `detail`: the text after "Failed to run the action: ", name included. */
  | { kind: 'action-failed'; detail: string; errorCode?: number; errorText?: string }
  | { kind: 'process-exit'; exitCode: number }
  | { kind: 'command-line'; text: string }
  | { kind: 'reboot-request'; name: string }
  | { kind: 'skipped'; subject: 'action' | 'group'; name: string; why: 'disabled' | 'condition'; text: string }
  | { kind: 'parent-decides'; name: string }
  | { kind: 'group-failed'; name: string }
  | { kind: 'failure-ignored'; subject: 'action' | 'group'; name: string }
  | { kind: 'run-failed'; name?: string; errorCode?: number; errorText?: string }
  | { kind: 'engine-result'; result: string; code?: number }
  | { kind: 'manager-returned'; code: number }
  | { kind: 'run-completed'; code: number }
  | { kind: 'variable'; name: string; value?: string; scope: 'global' | 'local' }
  | { kind: 'policy-begin' }
  | { kind: 'policy-count'; count: number }
  | { kind: 'policy-node'; node: 'group' | 'step'; name: string }
  | { kind: 'policy-pointer'; pointer: number; group: 'begin' | 'end' | false }
  | { kind: 'process-banner'; program: string }
  | { kind: 'child-start'; text: string }
  | { kind: 'environment-lost' }
  | { kind: 'sequence-name'; name: string };

export interface Classified {
  event: EngineEvent;
  evidence: Evidence;
}

interface Wording {
  /** Short label for docs and tests. */
  id: string;
  evidence: Evidence;
  /** Where the wording was seen: a Microsoft address for `documented`. */
  source?: string;
  /** The shape of the message (for docs/run-logs.md). */
  example: string;
}

const IA = 'https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/troubleshoot-install-application-step';
const ADP =
  'https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/apply-driver-package-task-error-80070057';
const WIKI =
  'https://social.technet.microsoft.com/wiki/contents/articles/472.how-to-properly-set-up-a-task-sequence-to-deploy-windows-7-images-captured-via-a-configuration-manager-2007-capture-cd.aspx';
const RB =
  'https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/in-place-upgrade-task-sequence-not-continue';
const MR = 'https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/task-sequence-fails-multiple-restarts';
const IPU =
  'https://learn.microsoft.com/troubleshoot/mem/configmgr/os-deployment/task-sequence-stops-after-in-place-upgrade';

/** Every message the reader knows, for docs/run-logs.md and the tests that pin them. */
export const WORDINGS: readonly Wording[] = [
  {
    id: 'instruction-start',
    evidence: 'observed',
    example: "Start executing an instruction. Instruction name: 'NAME'.  Pointer: N. Type: 'CLASS'. Disabled: 0|1",
  },
  {
    id: 'instruction-start (older)',
    evidence: 'documented',
    source: IA,
    example: 'Start executing an instruction. Instructionname: NAME. Instruction pointer: N',
  },
  { id: 'group-started', evidence: 'observed', example: 'The group (NAME) has been successfully started' },
  {
    id: 'condition-result',
    evidence: 'observed',
    example: 'The condition for the group (NAME) is evaluated to be true',
  },
  {
    id: 'action-succeeded',
    evidence: 'documented',
    source: IA,
    example: 'Successfully completed the action (NAME) with the exit win32 code N',
  },
  {
    id: 'action-failed',
    evidence: 'documented',
    source: ADP,
    example: 'Failed to run the action: NAME. … ⏎ TEXT (Error: XXXXXXXX; Source: Windows)',
  },
  { id: 'process-exit', evidence: 'documented', source: ADP, example: 'Process completed with exit code N' },
  {
    id: 'command-line',
    evidence: 'documented',
    source: ADP,
    example: 'Set command line: … / Start executing the command line: … / Executing command line: …',
  },
  {
    id: 'variable',
    evidence: 'documented',
    source: IA,
    example: 'Set a global environment variable NAME=VALUE / Set a local default variable NAME',
  },
  { id: 'reboot-request', evidence: 'observed', example: 'The action (NAME) initiated a reboot request' },
  {
    id: 'skipped (disabled step)',
    evidence: 'observed',
    example: 'The action (NAME) has been skipped because it is disabled',
  },
  {
    id: 'skipped (disabled group)',
    evidence: 'inferred',
    example: 'The group (NAME) has been skipped because it is disabled',
  },
  {
    id: 'skipped (condition)',
    evidence: 'inferred',
    example: 'The action (NAME) has been skipped because the condition is evaluated to be false',
  },
  {
    id: 'parent-decides',
    evidence: 'inferred',
    example: 'Let the parent group (NAME) decides whether to continue execution',
  },
  {
    id: 'group-failed',
    evidence: 'documented',
    source: WIKI,
    example:
      'The execution of the group (NAME) has failed and the execution has been aborted. An action failed. ⏎ Operation aborted (Error: 80004004; Source: Windows)',
  },
  {
    id: 'failure-ignored',
    evidence: 'inferred',
    example: 'The group (NAME) ignored the failure … / The execution engine ignored the failure of the action (NAME) …',
  },
  {
    id: 'run-failed (last action)',
    evidence: 'documented',
    source: WIKI,
    example:
      'Failed to run the last action: NAME. Execution of task sequence failed. ⏎ TEXT (Error: XXXXXXXX; Source: Windows)',
  },
  {
    id: 'run-failed (error code)',
    evidence: 'documented',
    source: IPU,
    example: 'Task sequence execution failed with error code XXXXXXXX',
  },
  {
    id: 'run-failed (manager)',
    evidence: 'documented',
    source: RB,
    example: 'Error Task Sequence Manager failed to execute task sequence. Code 0xXXXXXXXX',
  },
  { id: 'run-failed (engine)', evidence: 'observed', example: 'Task Sequence Engine failed! Code: enExecutionFail' },
  {
    id: 'engine-result',
    evidence: 'observed',
    example: 'Execution engine result code: Reboot (2) (Success and Fail: inferred)',
  },
  {
    id: 'manager-returned',
    evidence: 'observed',
    example: 'Task Sequence Manager returned code 0x80070BC2 (other codes: inferred)',
  },
  { id: 'run-completed', evidence: 'observed', example: 'Task sequence completed 0x00000000' },
  {
    id: 'run-completed (Windows PE, before 2012 SP1)',
    evidence: 'documented',
    source: MR,
    example: 'Task sequence completed in Windows PE.',
  },
  { id: 'environment-lost', evidence: 'documented', source: MR, example: 'Task Sequence environment not found' },
  {
    id: 'policy',
    evidence: 'documented',
    source: IPU,
    example: 'Start to compile TS policy / End TS policy compilation',
  },
  {
    id: 'policy-node',
    evidence: 'observed',
    example:
      'There are N first level steps or groups / Parsing group node: NAME / Parsing step node: NAME / Adding begin group instruction at N',
  },
  { id: 'policy-pointer (step)', evidence: 'inferred', example: 'Adding instruction at N' },
  {
    id: 'process-banner',
    evidence: 'observed',
    example: '==============================[ TSMBootStrap.exe ]==============================',
  },
  { id: 'child-start', evidence: 'inferred', example: 'Start executing the child task sequence (…)' },
];

const START_INSTRUCTION = 'Start executing an instruction';
const POINTER_TAG = /\.?\s+(?:Instruction\s+)?[Pp]ointer:\s*(-?\d+)/g;

/** The instruction-start line, in the current and the older wording (names may hold quotes and periods). */
function instructionStart(message: string): Classified | undefined {
  let rest = message.slice(START_INSTRUCTION.length).replace(/^\.?\s*/, '');
  const label = /^Instruction\s*name:\s*/i.exec(rest);
  if (!label) return undefined;
  rest = rest.slice(label[0].length);
  let last: RegExpExecArray | undefined;
  POINTER_TAG.lastIndex = 0;
  for (let m = POINTER_TAG.exec(rest); m; m = POINTER_TAG.exec(rest)) last = m;
  let name = (last ? rest.slice(0, last.index) : rest).trim();
  if (!last) name = name.replace(/\.$/, '');
  if (name.length >= 2 && name.startsWith("'") && name.endsWith("'")) name = name.slice(1, -1);
  else if (name.startsWith("'") && name.endsWith("'.")) name = name.slice(1, -2);
  const event: EngineEvent = { kind: 'instruction-start', name };
  let evidence: Evidence = 'documented';
  if (last) {
    event.pointer = Number(last[1]);
    const tail = rest.slice(last.index + last[0].length);
    const type = /Type:\s*'([^']*)'/.exec(tail);
    if (type) {
      event.type = type[1];
      evidence = 'observed';
    }
    const disabled = /Disabled:\s*(\d)/.exec(tail);
    if (disabled) event.disabled = disabled[1] !== '0';
  }
  return { event, evidence };
}

function hexCode(hex: string): number {
  return parseInt(hex, 16) | 0;
}

/** `TEXT (Error: 80070005; Source: Windows)`: the last such line of a message. */
function errorOf(message: string): { code?: number; text?: string } {
  const lines = message.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /\(Error:\s*([0-9A-Fa-f]{1,8})\s*;\s*Source:[^)]*\)/.exec(lines[i]);
    if (m) return { code: hexCode(m[1]), text: lines[i].trim() };
  }
  return {};
}

const BANNER = /^={5,}\[\s*(.+?)\s*\]={5,}$/;

/** What a message says about the run, or undefined for the many lines that say nothing tsq needs. */
export function classify(message: string): Classified | undefined {
  const c = message.charCodeAt(0);
  let m: RegExpExecArray | null;
  switch (c) {
    case 0x53: // S
      if (message.startsWith(START_INSTRUCTION)) return instructionStart(message);
      if (message.startsWith('Set a global environment variable ')) {
        const rest = message.slice(34);
        const eq = rest.indexOf('=');
        if (eq <= 0) return { event: { kind: 'variable', name: rest.trim(), scope: 'global' }, evidence: 'documented' };
        return {
          event: { kind: 'variable', name: rest.slice(0, eq).trim(), value: rest.slice(eq + 1), scope: 'global' },
          evidence: 'documented',
        };
      }
      if (message.startsWith('Set a local default variable '))
        return { event: { kind: 'variable', name: message.slice(29).trim(), scope: 'local' }, evidence: 'documented' };
      if ((m = /^Successfully completed the action \((.*)\) with the exit win32 code (-?\d+)/s.exec(message))) {
        return { event: { kind: 'action-succeeded', name: m[1], exitCode: Number(m[2]) | 0 }, evidence: 'documented' };
      }
      if (message.startsWith('Set command line: '))
        return { event: { kind: 'command-line', text: message.slice(18) }, evidence: 'documented' };
      if (message.startsWith('Start executing the command line: '))
        return { event: { kind: 'command-line', text: message.slice(34) }, evidence: 'documented' };
      if (message.startsWith('Start to compile TS policy'))
        return { event: { kind: 'policy-begin' }, evidence: 'documented' };
      if (message.startsWith('Start executing the child task sequence'))
        return { event: { kind: 'child-start', text: message }, evidence: 'inferred' };
      return undefined;
    case 0x46: // F
      if (message.startsWith('Failed to run the action: ')) {
        const err = errorOf(message);
        return {
          event: { kind: 'action-failed', detail: message.slice(26), errorCode: err.code, errorText: err.text },
          evidence: 'documented',
        };
      }
      if ((m = /^Failed to run the last action: (.*?)\. Execution of task sequence failed/s.exec(message))) {
        const err = errorOf(message);
        return {
          event: { kind: 'run-failed', name: m[1], errorCode: err.code, errorText: err.text },
          evidence: 'documented',
        };
      }
      return undefined;
    case 0x54: // T
      if ((m = /^The group \((.*)\) has been successfully started/s.exec(message)))
        return { event: { kind: 'group-started', name: m[1] }, evidence: 'observed' };
      if ((m = /^The (action|group) \((.*)\) has been skipped\b(.*)$/s.exec(message))) {
        const disabled = /disabled/i.test(m[3]);
        const subject = m[1] as 'action' | 'group';
        return {
          event: { kind: 'skipped', subject, name: m[2], why: disabled ? 'disabled' : 'condition', text: message },
          evidence: disabled && subject === 'action' ? 'observed' : 'inferred',
        };
      }
      if ((m = /^The condition for the (action|group) \((.*)\) is evaluated to be (true|false)/is.exec(message))) {
        return {
          event: {
            kind: 'condition-result',
            subject: m[1].toLowerCase() as 'action' | 'group',
            name: m[2],
            value: m[3].toLowerCase() === 'true',
          },
          evidence: m[3].toLowerCase() === 'true' ? 'observed' : 'inferred',
        };
      }
      if ((m = /^The .*expression is evaluated to be (TRUE|FALSE)\b/s.exec(message)))
        return { event: { kind: 'condition-result', value: m[1] === 'TRUE' }, evidence: 'observed' };
      if ((m = /^The execution of the group \((.*)\) has failed\b/s.exec(message)))
        return { event: { kind: 'group-failed', name: m[1] }, evidence: 'documented' };
      if ((m = /^The group \((.*)\) ignored\b/s.exec(message)))
        return { event: { kind: 'failure-ignored', subject: 'group', name: m[1] }, evidence: 'inferred' };
      if ((m = /^The execution engine ignored\b.*?\((.*)\)/s.exec(message)))
        return { event: { kind: 'failure-ignored', subject: 'action', name: m[1] }, evidence: 'inferred' };
      if ((m = /^The action \((.*)\) initiated a reboot request/s.exec(message)))
        return { event: { kind: 'reboot-request', name: m[1] }, evidence: 'observed' };
      if (message.startsWith('Task Sequence Engine failed!'))
        return { event: { kind: 'run-failed' }, evidence: 'observed' };
      if ((m = /^Task sequence execution failed with error code ([0-9A-Fa-f]{1,8})\b/.exec(message)))
        return { event: { kind: 'run-failed', errorCode: hexCode(m[1]) }, evidence: 'documented' };
      if ((m = /^Task Sequence Manager returned code 0x([0-9A-Fa-f]{1,8})\b/.exec(message)))
        return {
          event: { kind: 'manager-returned', code: hexCode(m[1]) },
          evidence: m[1] === '80070BC2' ? 'observed' : 'inferred',
        };
      if ((m = /^Task sequence completed 0x([0-9A-Fa-f]{1,8})\b/.exec(message)))
        return { event: { kind: 'run-completed', code: hexCode(m[1]) }, evidence: 'observed' };
      if (message.startsWith('Task sequence completed in Windows PE'))
        return { event: { kind: 'run-completed', code: 0 }, evidence: 'documented' };
      if ((m = /^There are (\d+) first level steps or groups/.exec(message)))
        return { event: { kind: 'policy-count', count: Number(m[1]) }, evidence: 'observed' };
      if (/^Task Sequence environment not found/i.test(message))
        return { event: { kind: 'environment-lost' }, evidence: 'documented' };
      if ((m = /^TSManager initialized environment for task sequence: (.+)$/.exec(message)))
        return {
          event: { kind: 'sequence-name', name: m[1].replace(/\s*\([A-Z0-9]{3}[0-9A-F]{5}\)\s*$/, '') },
          evidence: 'observed',
        };
      return undefined;
    case 0x50: // P
      if ((m = /^Process completed with exit code (-?\d+)/.exec(message)))
        return { event: { kind: 'process-exit', exitCode: Number(m[1]) | 0 }, evidence: 'documented' };
      if ((m = /^Parsing (group|step) node: (.*)$/s.exec(message)))
        return { event: { kind: 'policy-node', node: m[1] as 'group' | 'step', name: m[2] }, evidence: 'observed' };
      return undefined;
    case 0x41: // A
      if ((m = /^Adding (begin group |end group )?instruction at (\d+)/.exec(message))) {
        const group = m[1] ? (m[1].startsWith('begin') ? 'begin' : 'end') : false;
        return {
          event: { kind: 'policy-pointer', pointer: Number(m[2]), group },
          evidence: group === 'begin' ? 'observed' : 'inferred',
        };
      }
      return undefined;
    case 0x4c: // L
      if ((m = /^Let the parent group \((.*)\) decide/s.exec(message)))
        return { event: { kind: 'parent-decides', name: m[1] }, evidence: 'inferred' };
      return undefined;
    case 0x45: // E
      if ((m = /^Execution engine result code: (\w+)\s*(?:\((-?\d+)\))?/.exec(message))) {
        return {
          event: {
            kind: 'engine-result',
            result: m[1].toLowerCase(),
            code: m[2] !== undefined ? Number(m[2]) : undefined,
          },
          evidence: m[1].toLowerCase() === 'reboot' ? 'observed' : 'inferred',
        };
      }
      if (message.startsWith('Executing command line: '))
        return { event: { kind: 'command-line', text: message.slice(24) }, evidence: 'documented' };
      if ((m = /^Error Task Sequence Man\w* failed to execute task sequence\. Code 0x([0-9A-Fa-f]{1,8})/.exec(message)))
        return { event: { kind: 'run-failed', errorCode: hexCode(m[1]) }, evidence: 'documented' };
      if (message.startsWith('End TS policy compilation')) return undefined;
      return undefined;
    case 0x3d: // =
      if ((m = BANNER.exec(message))) return { event: { kind: 'process-banner', program: m[1] }, evidence: 'observed' };
      return undefined;
    default:
      return undefined;
  }
}

/** A program's banner that starts a new engine session (the bootstrap, or Windows PE's shell). */
export function startsSession(program: string): boolean {
  return /^(TSMBootStrap|TSBootShell)\.exe$/i.test(program);
}

/** ERROR_SUCCESS_REBOOT_REQUIRED as an HRESULT: the engine stopped for a restart, not for good. */
export const REBOOT_PENDING = 0x80070bc2 | 0;
