// Drives the bundled debug adapter (dist/debug.js) as a separate process with the DAP test
// client, and finds lines of fixture files by their text.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT } from '../simulator/helpers';

export const ADAPTER = path.join(ROOT, 'dist', 'debug.js');

export async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient('node', ADAPTER, 'tasksequence');
  // Only a bound on an adapter that never answers: generous, because a correct answer can take
  // many seconds on a loaded 2-core machine (speed is checked by `npm run bench`, not here).
  dc.defaultTimeout = 60_000;
  await dc.start();
  return dc;
}

/** 1-based line of the first line of `file` that contains `text`. */
export function lineOf(file: string, text: string): number {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} not found in ${file}`);
  return i + 1;
}

/** The next event of a kind, however long it takes (no timeout: the test's own timeout applies). */
export function nextEvent<T extends DebugProtocol.Event>(dc: DebugClient, kind: string): Promise<T> {
  return new Promise((resolve) => dc.once(kind, (e: T) => resolve(e)));
}

export interface Launched {
  breakpoints: DebugProtocol.SetBreakpointsResponse[];
  /** The first stop (listened for before launching, so it cannot be missed). */
  stopped: Promise<DebugProtocol.StoppedEvent>;
  terminated: Promise<DebugProtocol.TerminatedEvent>;
}

/** Launches, sets breakpoints and exception filters during configuration, and waits for the launch. */
export async function launch(
  dc: DebugClient,
  args: Record<string, unknown>,
  breakpoints: { file: string; lines: (number | DebugProtocol.SourceBreakpoint)[] }[] = [],
  exceptionFilters?: string[],
): Promise<Launched> {
  const responses: DebugProtocol.SetBreakpointsResponse[] = [];
  const stopped = nextEvent<DebugProtocol.StoppedEvent>(dc, 'stopped');
  const terminated = nextEvent<DebugProtocol.TerminatedEvent>(dc, 'terminated');
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      for (const b of breakpoints) {
        responses.push(
          await dc.setBreakpointsRequest({
            source: { path: b.file },
            breakpoints: b.lines.map((l) => (typeof l === 'number' ? { line: l } : l)),
          }),
        );
      }
      if (exceptionFilters) await dc.setExceptionBreakpointsRequest({ filters: exceptionFilters });
      await dc.configurationDoneRequest();
    }),
    dc.launch(args),
  ]);
  return { breakpoints: responses, stopped, terminated };
}

/** The top frame's line after a stop. */
export async function topLine(dc: DebugClient): Promise<number> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  return st.body.stackFrames[0].line;
}

/** Collects output events until the adapter terminates. */
export function collectOutput(dc: DebugClient): () => string {
  let text = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => (text += e.body.output));
  return () => text;
}
