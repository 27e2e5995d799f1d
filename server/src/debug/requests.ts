// Which incoming DAP messages are requests the adapter can act on, and whether a request's
// arguments have the types the protocol gives them
// (https://microsoft.github.io/debug-adapter-protocol/specification). A client's mistake is
// answered with an error response that says what is wrong (never a stack trace); a message that
// cannot be answered (no `seq`) is only reported.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { describe, isObject, optional, required, shapeProblem, type Shape } from '../util/shape';

export type Incoming =
  | { kind: 'request'; request: DebugProtocol.Request }
  /** A request that gets an error response: `problem` says what is wrong with it. */
  | { kind: 'refused'; seq: number; command: string; problem: string }
  /** Not a request, or one that cannot be answered: `problem` is for the log. */
  | { kind: 'ignored'; problem: string };

const SOURCE = { fields: { path: optional('string'), name: optional('string'), sourceReference: optional('integer') } };
const THREAD: Shape = { threadId: optional('integer') };

/** What tsq reads from a launch configuration (see LaunchArguments in session.ts). */
const LAUNCH: Shape = {
  program: optional('string'),
  machine: optional('string'),
  deployment: optional('string'),
  media: optional('string'),
  stopOnEntry: optional('boolean'),
  content: optional('string'),
  startTime: optional('string'),
  at: optional('string'),
  showLog: optional('boolean'),
  noDebug: optional('boolean'),
};

/** The arguments of each request the adapter answers (fields it does not read are not checked). */
const ARGUMENTS: Record<string, Shape> = {
  initialize: {
    adapterID: optional('string'),
    clientID: optional('string'),
    linesStartAt1: optional('boolean'),
    columnsStartAt1: optional('boolean'),
    pathFormat: optional('string'),
  },
  launch: LAUNCH,
  restart: { arguments: optional({ fields: LAUNCH }) },
  disconnect: {
    restart: optional('boolean'),
    terminateDebuggee: optional('boolean'),
    suspendDebuggee: optional('boolean'),
  },
  terminate: { restart: optional('boolean') },
  configurationDone: {},
  setBreakpoints: {
    source: required(SOURCE),
    breakpoints: optional({
      each: {
        line: required('integer'),
        column: optional('integer'),
        condition: optional('string'),
        hitCondition: optional('string'),
        logMessage: optional('string'),
      },
    }),
    lines: optional('integer[]'),
    sourceModified: optional('boolean'),
  },
  setExceptionBreakpoints: { filters: required('string[]') },
  breakpointLocations: {
    source: required(SOURCE),
    line: required('integer'),
    column: optional('integer'),
    endLine: optional('integer'),
    endColumn: optional('integer'),
  },
  continue: THREAD,
  next: THREAD,
  stepIn: THREAD,
  stepOut: THREAD,
  stepBack: THREAD,
  reverseContinue: THREAD,
  pause: THREAD,
  threads: {},
  stackTrace: { threadId: optional('integer'), startFrame: optional('integer'), levels: optional('integer') },
  scopes: { frameId: required('integer') },
  variables: {
    variablesReference: required('integer'),
    filter: optional('string'),
    start: optional('integer'),
    count: optional('integer'),
  },
  setVariable: { variablesReference: required('integer'), name: required('string'), value: required('string') },
  evaluate: { expression: required('string'), frameId: optional('integer'), context: optional('string') },
  exceptionInfo: THREAD,
  gotoTargets: { source: required(SOURCE), line: required('integer'), column: optional('integer') },
  goto: { threadId: optional('integer'), targetId: required('integer') },
};

/** Requests tsq answers with an explanation instead of acting on them. */
const NOT_SUPPORTED: Record<string, string> = {
  attach: 'tsq simulates a run that it starts itself: use a `launch` configuration, there is nothing to attach to.',
};

export function notSupported(command: string): string | undefined {
  return Object.hasOwn(NOT_SUPPORTED, command) ? NOT_SUPPORTED[command] : undefined;
}

/** Sorts one parsed frame into a request to act on, a request to refuse, or something to ignore. */
export function classify(value: unknown): Incoming {
  if (!isObject(value))
    return { kind: 'ignored', problem: `a frame holding ${describe(value)}, not a DAP message object` };
  const { seq, type, command } = value;
  if (type === 'response' || type === 'event')
    return {
      kind: 'ignored',
      problem: `a${type === 'event' ? 'n' : ''} ${type} from the client (tsq sends no requests)`,
    };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return {
      kind: 'ignored',
      problem: `a message whose \`seq\` is ${describe(seq)} (a request needs a whole number to be answered)`,
    };
  }
  const name = typeof command === 'string' ? command : '';
  const refuse = (problem: string): Incoming => ({ kind: 'refused', seq, command: name, problem });
  if (type !== 'request') return refuse(`A DAP request needs \`type: "request"\`, not ${describe(type)}.`);
  if (typeof command !== 'string' || command === '')
    return refuse(`A DAP request needs a \`command\` (a name such as "launch"), not ${describe(command)}.`);
  const args = value.arguments;
  if (args !== undefined && args !== null && !isObject(args))
    return refuse(`The arguments of \`${command}\` must be an object, not ${describe(args)}.`);
  const shape = Object.hasOwn(ARGUMENTS, command) ? ARGUMENTS[command] : undefined;
  const problem = shape && shapeProblem(args ?? {}, shape);
  if (problem) return refuse(`\`${command}\`: ${problem}.`);
  // Missing arguments read as none at all, so that handlers can rely on an object.
  return { kind: 'request', request: { seq, type: 'request', command, arguments: args ?? {} } };
}
