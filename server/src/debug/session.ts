// The debug adapter (DAP, `type: tasksequence`): steps through a simulated run. ConfigMgr's own
// Task Sequence Debugger verbs without a device — Step (next), Run (continue), Set Break
// (breakpoints, with conditions in the `when:` language, hit counts and log messages), Set Current
// (goto) — plus step in/out of groups and child sequences, step back and reverse continue,
// exception breakpoints for a failed step and a failed sequence, variables (editable where
// ConfigMgr allows), machine facts, and evaluation of %Var%, names and conditions.

import * as path from 'node:path';
import {
  Event,
  Breakpoint as DapBreakpoint,
  DebugSession,
  ErrorDestination,
  ExitedEvent,
  InitializedEvent,
  OutputEvent,
  Scope,
  Source,
  StackFrame,
  Response,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { SequenceModel, SeqNode } from '../model/sequence';
import { evaluateCondition } from '../conditions';
import { normalisePath } from '../util/paths';
import type { Simulation, Cursor } from '../simulator/engine';
import { CONTENT_MODES, type ContentMode, type NodeRecord, type TickResult } from '../simulator/types';
import { prepareRun, type PreparedRun } from '../simulator/launch';
import { parseAt } from '../simulator/deployment-run';
import { clockOf } from '../simulator/client-events';
import { datedLogLine, scheduleSummary } from '../simulator/run-report';
import { answerText, evaluateExpression, logMessage } from '../simulator/inspect';
import { logLineText } from '../simulator/log';
import { runSummary } from '../simulator/report';
import type { SimulationInput } from '../frontend/simulation-input';
import { readAndCheck } from '../workers/input-check';
import { runReportDocument } from '../report/run-report';
import { renderHtml } from '../report/html';
import { renderMarkdown } from '../report/markdown';
import { RUN_REPORT_EVENT, type RunReportEventBody } from '../frontend/run-report-event';
import { formatDiagnosticLines } from '../frontend/diagnostic-report';
import { makeBreakpoints, NodeLineIndex, type Breakpoint, type BreakpointRequest } from './breakpoints';
import { VariableTree } from './variables';
import { MAX_FILE_MB_CEILING, MAX_FILE_MB_ENV, parseLimitMB, setTsqFileLimitMB } from '../files/read';
import { classify, notSupported } from './requests';
import { failureLine } from '../util/failure';

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The sequence file; default the deployment's or the media's sequence. */
  program?: string;
  /** The machine profile (a `machine:` file). */
  machine?: string;
  /** A deployment file: the run starts as the deployment starts it on a client. */
  deployment?: string;
  /** A media file: the run starts from the media. */
  media?: string;
  stopOnEntry?: boolean;
  content?: ContentMode;
  /** Start of the simulated clock (ISO 8601). */
  startTime?: string;
  /** Start of the simulated clock, wall clock (`2025-03-08 22:30`); with a deployment, when the client gets it. */
  at?: string;
  /** Print the run's log in the debug console (default true). */
  showLog?: boolean;
  /** Largest tsq file read, in MB (VS Code passes the `tsq.files.maxSizeMB` setting); default TSQ_MAX_FILE_MB, else 32. */
  maxFileSizeMB?: number;
}

const THREAD = 1;
/** Visits run between checks for a pause request during continue. */
const CHUNK = 2000;
/** The id @vscode/debugadapter gives the error response when a handler throws (its text is the stack). */
const HANDLER_THREW = 1104;
/** Requests whose failures the user must see: they come from the launch configuration. */
const USER_REQUESTS = new Set(['launch', 'restart']);

type StopReason = 'entry' | 'step' | 'breakpoint' | 'exception' | 'pause' | 'goto';

interface Exception {
  id: 'stepFailed' | 'sequenceFailed';
  record?: NodeRecord;
  description: string;
}

export class TsqDebugSession extends DebugSession {
  private args?: LaunchArguments;
  private input?: SimulationInput;
  private sim?: Simulation;
  private prepared?: PreparedRun;
  private readonly indexes = new Map<string, NodeLineIndex>();
  /** Breakpoints by file, as the client last set them (the file's requests, for restarts). */
  private readonly requests = new Map<string, BreakpointRequest[]>();
  private breakpointsByNode = new Map<SeqNode, Breakpoint[]>();
  private breakpointsByFile = new Map<string, Breakpoint[]>();
  private exceptionFilters = new Set<string>(['sequenceFailed']);
  private exception?: Exception;
  private configured?: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));
  private pauseRequested = false;
  private running = false;
  private logShown = 0;
  private terminated = false;
  private variables = new VariableTree();
  private gotoTargets = new Map<number, { docId: string; node: SeqNode }>();

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
  }

  /** One line in the adapter's log (stderr): never more, whatever the input was. */
  log(line: string): void {
    process.stderr.write(`tsq debugger: ${line.replace(/[\r\n]+/g, ' ')}\n`);
  }

  /**
   * Takes one parsed frame: a request is acted on, a malformed request is answered with an error
   * that says what is wrong, anything else is logged and left.
   */
  receive(value: unknown): void {
    const incoming = classify(value);
    if (incoming.kind === 'ignored') return this.log(`ignored ${incoming.problem}`);
    if (incoming.kind === 'refused') {
      this.log(`refused request ${incoming.seq} (${incoming.command || 'no command'}): ${incoming.problem}`);
      const response = new Response({ seq: incoming.seq, type: 'request', command: incoming.command });
      return this.sendErrorResponse(response, {
        id: 1010,
        format: incoming.problem,
        showUser: USER_REQUESTS.has(incoming.command),
      });
    }
    this.handleMessage(incoming.request);
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const refusal = notSupported(request.command);
    if (refusal) return this.sendErrorResponse(new Response(request), { id: 1011, format: refusal, showUser: true });
    // DAP's default path format is `path`; the library refuses an initialize that leaves it out.
    if (request.command === 'initialize')
      request.arguments = { pathFormat: 'path', ...(request.arguments as object | undefined) };
    try {
      // The library answers a handler that throws with the error (see sendErrorResponse).
      super.dispatchRequest(request);
    } catch (e) {
      this.sendErrorResponse(new Response(request), this.internalError(request.command, e));
    }
  }

  protected override customRequest(command: string, response: DebugProtocol.Response): void {
    this.sendErrorResponse(response, {
      id: 1012,
      format: `The tsq debugger does not know the request ${JSON.stringify(command.slice(0, 60))}.`,
      showUser: false,
    });
  }

  /**
   * Every error response passes here: the library's answer to a handler that threw (its stack
   * as the text) becomes one line, and texts go out as written (the library would look up
   * `{_name}` in them, and throw when a user's input holds such braces).
   */
  protected override sendErrorResponse(
    response: DebugProtocol.Response,
    codeOrMessage: number | DebugProtocol.Message,
    format?: string,
    variables?: { _exception?: string },
    dest?: ErrorDestination,
  ): void {
    let message: DebugProtocol.Message =
      typeof codeOrMessage === 'number'
        ? {
            id: codeOrMessage,
            format: format ?? '',
            showUser: dest === undefined || (dest & ErrorDestination.User) !== 0,
          }
        : codeOrMessage;
    if (message.id === HANDLER_THREW)
      message = this.internalError(response.command, variables?._exception ?? 'unknown error');
    super.sendErrorResponse(response, { ...message, variables: {} });
  }

  /** A failure inside the adapter: one line in the log and, for the user, what failed (no stack). */
  private internalError(command: string, e: unknown): DebugProtocol.Message {
    const what = e instanceof Error ? e.message : String(e);
    this.log(`${command} failed: ${failureLine(e)}`);
    return {
      id: HANDLER_THREW,
      format: `The tsq debugger could not complete \`${command}\`: ${what}`,
      showUser: USER_REQUESTS.has(command),
    };
  }

  /** Runs an asynchronous handler; a failure answers the request (or, once answered, is shown). */
  private settle(response: DebugProtocol.Response, work: Promise<void>): void {
    work.catch((e: unknown) => {
      const message = this.internalError(response.command, e);
      if (response.seq > 0) this.sendEvent(new OutputEvent(`${message.format}\n`, 'stderr'));
      else this.sendErrorResponse(response, message);
    });
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsStepBack: true,
      supportsRestartRequest: true,
      supportsGotoTargetsRequest: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateRequest: true,
      supportsBreakpointLocationsRequest: true,
      exceptionBreakpointFilters: [
        {
          filter: 'stepFailed',
          label: 'Step failed',
          description: 'Stop after any step fails, also when continue on error lets the run go on.',
          default: false,
        },
        {
          filter: 'sequenceFailed',
          label: 'Sequence failed',
          description: 'Stop when the task sequence fails, before the run ends.',
          default: true,
        },
      ],
    };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured?.();
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    this.settle(response, this.launch(response, args));
  }

  private async launch(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    this.args = args;
    const problem = await this.load();
    if (problem) {
      this.sendEvent(new OutputEvent(problem + '\n', 'stderr'));
      this.sendErrorResponse(response, { id: 1001, format: problem.split('\n')[0], showUser: true });
      return;
    }
    this.sendEvent(new InitializedEvent());
    // Breakpoints arrive between `initialized` and `configurationDone`; do not wait forever for clients that skip it.
    await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, 2000))]);
    this.sendResponse(response);
    this.begin();
  }

  /** Reads the files and makes a fresh simulation; a problem (in words) when the input is refused. */
  private async load(): Promise<string | undefined> {
    const args = this.args ?? {};
    if (!args.program && !args.deployment && !args.media) {
      return 'The launch configuration names nothing to run: add `"program": "${file}"` (the task sequence file to simulate), or `deployment` or `media` (a deployment or media file).';
    }
    if (args.content !== undefined && !CONTENT_MODES.includes(args.content))
      return `\`content\` must be one of ${CONTENT_MODES.join(', ')}.`;
    const atMinutes = args.at ? parseAt(args.at) : undefined;
    if (args.at && atMinutes === undefined)
      return `\`at\` takes a date and time such as 2025-03-08 22:30, not \`${args.at}\`.`;
    if (args.startTime && !Number.isFinite(Date.parse(args.startTime)))
      return `\`startTime\` takes a date and time such as 2025-01-06T08:00:00Z, not \`${args.startTime}\`.`;
    const maxMB = args.maxFileSizeMB;
    if (maxMB !== undefined && parseLimitMB(String(maxMB)) === undefined)
      return `\`maxFileSizeMB\` takes a size in MB from 1 to ${MAX_FILE_MB_CEILING}, not \`${maxMB}\`.`;
    setTsqFileLimitMB(maxMB ?? parseLimitMB(process.env[MAX_FILE_MB_ENV] ?? ''));
    const files = {
      sequence: args.program || undefined,
      machine: args.machine || undefined,
      deployment: args.deployment || undefined,
      media: args.media || undefined,
    };
    // A large input is checked in a worker while this thread reads it and prepares the first stop,
    // which is shown only once the check has cleared (workers/input-check.ts).
    let read: ReturnType<typeof readAndCheck>;
    try {
      read = readAndCheck(files);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    const { input, check } = read;
    const at = atMinutes !== undefined ? clockOf(atMinutes) : args.startTime ? Date.parse(args.startTime) : undefined;
    const prepare = () => prepareRun({ ...input, at, content: args.content, history: true });
    // What preparing threw on an input not yet checked is kept until the check has cleared it.
    let ahead: (() => PreparedRun) | undefined;
    if (check.aside) {
      try {
        const run = prepare();
        ahead = () => run;
      } catch (e) {
        ahead = () => {
          throw e;
        };
      }
    }
    const { errors, warnings } = await check.result(input);
    if (warnings.length)
      this.sendEvent(new OutputEvent(formatDiagnosticLines(input.ws, warnings, false).join('\n') + '\n', 'console'));
    if (errors.length) {
      return `tsq cannot simulate ${path.basename(input.sequence.id)}: the input has ${errors.length} error${errors.length === 1 ? '' : 's'}.\n${formatDiagnosticLines(input.ws, errors, false).join('\n')}`;
    }
    this.input = input;
    this.prepared = (ahead ?? prepare)();
    this.sim = this.prepared.sim;
    this.indexes.clear();
    this.logShown = 0;
    this.exception = undefined;
    this.terminated = false;
    this.rebuildBreakpoints();
    return undefined;
  }

  private begin(): void {
    const before = this.prepared?.before ?? [];
    if (before.length && this.args?.showLog !== false)
      this.sendEvent(new OutputEvent(before.map(datedLogLine).join('\n') + '\n', 'stdout'));
    const sim = this.sim;
    if (!sim) return this.neverStarted();
    if (sim.ended) return this.afterRun();
    if (this.args?.stopOnEntry) return this.stopAt('entry');
    const bp = this.breakpointHere();
    if (bp) return this.stopAt('breakpoint', bp);
    this.continueRun();
  }

  // ---------------------------------------------------------------------------------------------
  // Breakpoints

  private index(docId: string): NodeLineIndex | undefined {
    let index = this.indexes.get(docId);
    if (!index) {
      const doc = this.input?.ws.get(docId);
      if (!doc || doc.kind !== 'sequence') return undefined;
      this.indexes.set(docId, (index = new NodeLineIndex(doc)));
    }
    return index;
  }

  private docIdOf(source: DebugProtocol.Source): string | undefined {
    if (!source.path || !this.input) return undefined;
    return this.input.ws.findFile(normalisePath(source.path)).doc?.id;
  }

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    const key = args.source.path ? normalisePath(args.source.path) : '';
    const requests = (args.breakpoints ?? []).map((b) => ({
      line: this.convertClientLineToDebugger(b.line),
      condition: b.condition,
      hitCondition: b.hitCondition,
      logMessage: b.logMessage,
    }));
    this.requests.set(key, requests);
    const made = this.makeFor(key, requests);
    response.body = { breakpoints: made.map((b) => this.toDap(b)) };
    this.sendResponse(response);
  }

  private makeFor(key: string, requests: BreakpointRequest[], ids?: number[]): Breakpoint[] {
    const docId = this.docIdOf({ path: key }) ?? key;
    for (const old of this.breakpointsByFile.get(docId) ?? []) {
      if (!old.node) continue;
      const list = (this.breakpointsByNode.get(old.node) ?? []).filter((b) => b !== old);
      if (list.length) this.breakpointsByNode.set(old.node, list);
      else this.breakpointsByNode.delete(old.node);
    }
    const made = makeBreakpoints(docId, this.index(docId), requests, ids);
    this.breakpointsByFile.set(docId, made);
    for (const b of made)
      if (b.node && !b.problem) this.breakpointsByNode.set(b.node, [...(this.breakpointsByNode.get(b.node) ?? []), b]);
    return made;
  }

  /** After a restart the files are read again: the same requests land on the new nodes. */
  private rebuildBreakpoints(): void {
    const ids = new Map([...this.breakpointsByFile].map(([docId, list]) => [docId, list.map((b) => b.id)]));
    this.breakpointsByNode = new Map();
    this.breakpointsByFile = new Map();
    for (const [key, requests] of this.requests)
      this.makeFor(key, requests, ids.get(this.docIdOf({ path: key }) ?? key));
  }

  private toDap(b: Breakpoint): DebugProtocol.Breakpoint {
    const index = this.index(b.docId);
    const line = b.node && index ? index.lineOf(b.node) : b.line;
    const out: DebugProtocol.Breakpoint = new DapBreakpoint(!b.problem, this.convertDebuggerLineToClient(line));
    out.id = b.id;
    if (b.problem) out.message = b.problem;
    return out;
  }

  protected override breakpointLocationsRequest(
    response: DebugProtocol.BreakpointLocationsResponse,
    args: DebugProtocol.BreakpointLocationsArguments,
  ): void {
    const docId = this.docIdOf(args.source);
    const index = docId ? this.index(docId) : undefined;
    const from = this.convertClientLineToDebugger(args.line);
    const to = this.convertClientLineToDebugger(args.endLine ?? args.line);
    response.body = {
      breakpoints: (index?.linesBetween(from, to) ?? []).map((l) => ({ line: this.convertDebuggerLineToClient(l) })),
    };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.exceptionFilters = new Set(args.filters);
    this.sendResponse(response);
  }

  /** The breakpoint that stops at the cursor's node now (logpoints write their message and do not stop). */
  private breakpointHere(reverse = false): Breakpoint | undefined {
    const sim = this.sim!;
    const node = sim.currentNode;
    const list = node && this.breakpointsByNode.get(node);
    if (!list) return undefined;
    for (const b of list) {
      if (b.condition && !evaluateCondition(b.condition, sim.conditionEnv).value) continue;
      if (reverse) {
        if (b.logMessage === undefined) return b;
        continue;
      }
      b.hits++;
      if (b.hit && !b.hit(b.hits)) continue;
      if (b.logMessage !== undefined) {
        this.flushLog();
        this.sendEvent(new OutputEvent(logMessage(sim, b.logMessage) + '\n', 'console'));
        continue;
      }
      return b;
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Running

  private depth(cursor: Cursor | null): number {
    return cursor ? cursor.frame.depth : -1;
  }

  /** One visit; returns why to stop right after it, if anything says so. */
  private visit(): { reason: StopReason; bp?: Breakpoint } | 'ended' | undefined {
    const sim = this.sim!;
    const t: TickResult | undefined = sim.tick();
    if (!t) return 'ended';
    if (t.ended === 'failed' && this.exceptionFilters.has('sequenceFailed')) {
      this.exception = {
        id: 'sequenceFailed',
        record: sim.failure?.record,
        description: `The task sequence failed: ${sim.failure?.reason ?? 'a step failed'}`,
      };
      return { reason: 'exception' };
    }
    if (t.stepFailed && this.exceptionFilters.has('stepFailed') && t.record) {
      this.exception = {
        id: 'stepFailed',
        record: t.record,
        description: `"${t.record.node.name}" failed: ${t.record.reason ?? ''}${t.record.status === 'failed-continued' ? ' (continue on error: the run goes on)' : ''}`,
      };
      return { reason: 'exception' };
    }
    if (t.ended) return 'ended';
    const bp = this.breakpointHere();
    return bp ? { reason: 'breakpoint', bp } : undefined;
  }

  /** Visits until `done` says the step is over, something stops the run, or it ends. */
  private stepUntil(done: (cursor: Cursor | null) => boolean): void {
    const sim = this.sim!;
    this.exception = undefined;
    for (;;) {
      const why = this.visit();
      if (why === 'ended') return this.afterRun();
      if (why) return this.stopAt(why.reason, why.bp);
      if (sim.ended) return this.afterRun();
      if (done(sim.cursor)) return this.stopAt('step');
    }
  }

  private continueRun(): void {
    this.exception = undefined;
    this.running = true;
    this.pauseRequested = false;
    const chunk = () => {
      if (!this.sim || this.terminated) return;
      for (let i = 0; i < CHUNK; i++) {
        const why = this.visit();
        if (why === 'ended') return this.afterRun();
        if (why) return this.stopAt(why.reason, why.bp);
      }
      if (this.pauseRequested) return this.stopAt('pause');
      setImmediate(guarded);
    };
    // Later slices run outside any request: a failure ends the run with a message instead of the adapter.
    const guarded = () => {
      try {
        chunk();
      } catch (e) {
        const message = this.internalError('continue', e);
        this.running = false;
        this.terminated = true;
        this.sendEvent(new OutputEvent(`${message.format}\n`, 'stderr'));
        this.sendEvent(new TerminatedEvent());
      }
    };
    chunk();
  }

  private stopAt(reason: StopReason, bp?: Breakpoint): void {
    this.running = false;
    this.pauseRequested = false;
    this.variables = new VariableTree();
    this.flushLog();
    const event: DebugProtocol.StoppedEvent = new StoppedEvent(reason, THREAD);
    if (bp) event.body.hitBreakpointIds = [bp.id];
    if (reason === 'exception' && this.exception) {
      event.body.description = this.exception.id === 'stepFailed' ? 'Step failed' : 'Sequence failed';
      event.body.text = this.exception.description;
    }
    this.sendEvent(event);
  }

  /** The deployment or media never started the run: say why and finish. */
  private neverStarted(): void {
    this.terminated = true;
    this.sendEvent(
      new OutputEvent(`\n✘ Nothing ran: ${this.prepared?.notStarted ?? 'the run did not start'}.\n`, 'console'),
    );
    this.sendRunReport();
    this.sendEvent(new ExitedEvent(1));
    this.sendEvent(new TerminatedEvent());
  }

  /** The run has ended (or was already over): show the rest of the log, the summary, and finish. */
  private afterRun(): void {
    this.running = false;
    const sim = this.sim!;
    this.flushLog();
    const schedule = this.prepared ? scheduleSummary(this.prepared) : undefined;
    this.sendEvent(
      new OutputEvent(
        `\n${sim.ended === 'succeeded' ? '✔' : '✘'} ${runSummary(sim)}${schedule ? `\n${schedule}` : ''}\n`,
        'console',
      ),
    );
    this.terminated = true;
    this.sendRunReport();
    this.sendEvent(new ExitedEvent(sim.ended === 'succeeded' ? 0 : 1));
    this.sendEvent(new TerminatedEvent());
  }

  /** The run report (what `tsq simulate --report` writes), for the client's "Open Run Report". */
  private sendRunReport(): void {
    if (!this.prepared) return;
    try {
      const doc = runReportDocument(this.prepared, {
        fileLabel: this.input ? path.basename(this.input.sequence.id) : undefined,
      });
      const body: RunReportEventBody = {
        title: doc.title,
        html: renderHtml(doc),
        markdown: renderMarkdown(doc),
        result: this.sim?.ended === 'succeeded' ? 'succeeded' : this.sim ? 'failed' : 'not-started',
      };
      this.sendEvent(new Event(RUN_REPORT_EVENT, body));
    } catch (e) {
      this.sendEvent(
        new OutputEvent(
          `tsq could not write the run report: ${e instanceof Error ? e.message : String(e)}\n`,
          'stderr',
        ),
      );
    }
  }

  private flushLog(): void {
    const sim = this.sim;
    if (!sim) return;
    if (this.logShown > sim.log.length) this.logShown = sim.log.length;
    if (this.args?.showLog === false) {
      this.logShown = sim.log.length;
      return;
    }
    if (sim.log.length === this.logShown) return;
    const lines = sim.log
      .slice(this.logShown)
      .map(this.prepared?.deployment || this.prepared?.media ? datedLogLine : logLineText);
    this.logShown = sim.log.length;
    this.sendEvent(new OutputEvent(lines.join('\n') + '\n', 'stdout'));
  }

  private guard(response: DebugProtocol.Response): boolean {
    if (!this.sim || this.terminated) {
      this.sendErrorResponse(response, { id: 1002, format: 'The simulated run is not active.', showUser: false });
      return false;
    }
    return true;
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    if (!this.guard(response)) return;
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    if (this.sim!.ended) return this.afterRun();
    this.continueRun();
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    if (!this.guard(response)) return;
    this.sendResponse(response);
    if (this.sim!.ended) return this.afterRun();
    const start = this.depth(this.sim!.cursor);
    this.stepUntil((c) => this.depth(c) <= start);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    if (!this.guard(response)) return;
    this.sendResponse(response);
    if (this.sim!.ended) return this.afterRun();
    this.stepUntil(() => true);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    if (!this.guard(response)) return;
    this.sendResponse(response);
    if (this.sim!.ended) return this.afterRun();
    const start = this.depth(this.sim!.cursor);
    this.stepUntil((c) => this.depth(c) < start);
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    if (!this.guard(response)) return;
    this.sendResponse(response);
    const sim = this.sim!;
    this.exception = undefined;
    // The reverse of "next": back to the previous position at this depth or above.
    const start = sim.ended ? Infinity : this.depth(sim.cursor);
    while (sim.back()) {
      if (this.depth(sim.cursor) <= start) break;
    }
    this.announceBack();
    this.stopAt(sim.canGoBack ? 'step' : 'entry');
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    if (!this.guard(response)) return;
    this.sendResponse(response);
    const sim = this.sim!;
    this.exception = undefined;
    while (sim.back()) {
      const bp = this.breakpointHere(true);
      if (bp) {
        this.announceBack();
        return this.stopAt('breakpoint', bp);
      }
    }
    this.announceBack();
    this.stopAt('entry');
  }

  private announceBack(): void {
    const node = this.sim!.currentNode;
    this.logShown = Math.min(this.logShown, this.sim!.log.length);
    this.sendEvent(
      new OutputEvent(`⟲ Back to ${node ? `"${node.name}"` : 'the start'} (the log continues from there)\n`, 'console'),
    );
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    if (this.running) this.pauseRequested = true;
  }

  protected override restartRequest(
    response: DebugProtocol.RestartResponse,
    args: DebugProtocol.RestartArguments | undefined,
  ): void {
    this.settle(response, this.restart(response, args));
  }

  private async restart(
    response: DebugProtocol.RestartResponse,
    args: DebugProtocol.RestartArguments | undefined,
  ): Promise<void> {
    if (args?.arguments) this.args = { ...this.args, ...(args.arguments as LaunchArguments) };
    const problem = await this.load();
    if (problem) {
      this.sendErrorResponse(response, { id: 1001, format: problem.split('\n')[0], showUser: true });
      return;
    }
    this.sendResponse(response);
    this.sendEvent(new OutputEvent('⟳ Restarted: the files were read again and the run starts over.\n', 'console'));
    this.begin();
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    if (!this.terminated) {
      this.terminated = true;
      this.sendEvent(new TerminatedEvent());
    }
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.terminated = true;
    this.sendResponse(response);
  }

  // ---------------------------------------------------------------------------------------------
  // Where the run is

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = {
      threads: [new Thread(THREAD, this.sim ? `Task sequence "${this.sim.root.name}"` : 'Task sequence')],
    };
    this.sendResponse(response);
  }

  private source(docId: string): Source {
    return new Source(path.basename(docId), this.convertDebuggerPathToClient(docId));
  }

  private frameFor(id: number, name: string, docId: string, node: SeqNode | undefined, fallbackOffset = 0): StackFrame {
    const doc = this.input?.ws.get(docId);
    const line = doc ? doc.lineMap.positionAt(node ? node.span.start : fallbackOffset).line : 0;
    const column = doc ? doc.lineMap.positionAt(node ? node.span.start : fallbackOffset).character : 0;
    return new StackFrame(
      id,
      name,
      this.source(docId),
      this.convertDebuggerLineToClient(line),
      this.convertDebuggerColumnToClient(column),
    );
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const sim = this.sim;
    const frames: StackFrame[] = [];
    const push = (name: string, docId: string, node: SeqNode | undefined, offset = 0) =>
      frames.push(this.frameFor(frames.length, name, docId, node, offset));
    if (sim) {
      const failed = this.exception?.record;
      if (failed) {
        // Stopped on a failure: show the failed step and what it sits in.
        for (let r: NodeRecord | null = failed; r; r = r.parent) push(this.frameName(r.node), r.docId, r.node);
        push(sim.root.name, sim.doc.id, undefined, sim.root.nameSpan.start);
      } else if (sim.cursor) {
        const cursor = sim.cursor;
        push(this.frameName(cursor.frame.nodes[cursor.index]), cursor.frame.docId, cursor.frame.nodes[cursor.index]);
        for (let f = cursor.frame; f.parent; f = f.parent)
          push(this.frameName(f.container!, f.kind === 'child' ? f.model : undefined), f.parent.docId, f.container!);
        push(sim.root.name, sim.doc.id, undefined, sim.root.nameSpan.start);
      } else {
        push(`${sim.root.name} (ended: ${sim.ended})`, sim.doc.id, undefined, sim.root.nameSpan.start);
      }
    }
    response.body = { stackFrames: frames, totalFrames: frames.length };
    this.sendResponse(response);
  }

  private frameName(node: SeqNode, child?: SequenceModel): string {
    if (child) return `${node.name} → "${child.name}"`;
    return node.kind === 'group' ? `group ${node.name}` : node.name;
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    const sim = this.sim;
    response.body = { scopes: sim ? this.variables.scopes(sim).map((s) => new Scope(s.name, s.ref, s.expensive)) : [] };
    this.sendResponse(response);
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    response.body = { variables: this.sim ? this.variables.children(this.sim, args.variablesReference) : [] };
    this.sendResponse(response);
  }

  protected override setVariableRequest(
    response: DebugProtocol.SetVariableResponse,
    args: DebugProtocol.SetVariableArguments,
  ): void {
    const sim = this.sim;
    if (!sim) return this.sendErrorResponse(response, { id: 1003, format: 'The run is not active.', showUser: true });
    const problem = this.variables.canSet(args.variablesReference, args.name);
    const value = /^"(.*)"$/s.exec(args.value)?.[1] ?? args.value;
    const refusal = problem ?? sim.setVariable(args.name, value);
    if (refusal) return this.sendErrorResponse(response, { id: 1004, format: refusal, showUser: true });
    response.body = { value: sim.vars.get(args.name) ?? '' };
    this.sendResponse(response);
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    const sim = this.sim;
    if (!sim) return this.sendErrorResponse(response, { id: 1005, format: 'The run is not active.', showUser: false });
    const answer = evaluateExpression(sim, args.expression);
    if (
      args.context === 'hover' &&
      (answer.kind === 'error' || (answer.kind === 'variable' && answer.value === undefined))
    ) {
      // Nothing to show for words that are not variables.
      return this.sendErrorResponse(response, { id: 1006, format: 'not a variable', showUser: false });
    }
    if (answer.kind === 'error')
      return this.sendErrorResponse(response, { id: 1007, format: answer.message, showUser: false });
    response.body = { result: answerText(answer), variablesReference: 0 };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const e = this.exception;
    response.body = e
      ? {
          exceptionId: e.id,
          description: e.description,
          breakMode: 'always',
          details: e.record
            ? { message: e.record.reason, typeName: e.record.node.name, stackTrace: e.record.path }
            : undefined,
        }
      : { exceptionId: 'none', breakMode: 'never' };
    this.sendResponse(response);
  }

  protected override gotoTargetsRequest(
    response: DebugProtocol.GotoTargetsResponse,
    args: DebugProtocol.GotoTargetsArguments,
  ): void {
    const docId = this.docIdOf(args.source);
    const index = docId ? this.index(docId) : undefined;
    const node = index?.nodeAt(this.convertClientLineToDebugger(args.line));
    const targets: DebugProtocol.GotoTarget[] = [];
    if (docId && index && node) {
      const id = this.gotoTargets.size + 1;
      this.gotoTargets.set(id, { docId, node });
      targets.push({
        id,
        label: `${node.kind === 'group' ? 'Group' : 'Step'} "${node.name}"`,
        line: this.convertDebuggerLineToClient(index.lineOf(node)),
      });
    }
    response.body = { targets };
    this.sendResponse(response);
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    const target = this.gotoTargets.get(args.targetId);
    if (!this.sim || !target || !this.sim.jumpTo(target.docId, target.node)) {
      return this.sendErrorResponse(response, {
        id: 1008,
        format: 'That step cannot be reached from the top sequence.',
        showUser: true,
      });
    }
    this.terminated = false;
    this.exception = undefined;
    this.sendResponse(response);
    this.stopAt('goto');
  }
}
