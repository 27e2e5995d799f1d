// Events that happen before a simulated run starts — a deployment reaching the client, content
// lookups and their retries, maintenance windows, a computer starting from media — written like
// the run's own log (a time, the client component that speaks, a message), so front ends can print
// them ahead of the run's log and in the same formats.

import { LogEvent, logHead, type LogSeverity } from './log';
import type { LocalMinutes } from '../schedule/local-time';

/** Components of the ConfigMgr client whose logs these events imitate. */
export const EXECMGR = 'execmgr';
export const LOCATION_SERVICES = 'LocationServices';
export const SERVICE_WINDOW_MANAGER = 'ServiceWindowManager';
export const TS_BOOTSTRAP = 'TSMBootstrap';

/** Wall-clock minutes as the simulated clock's milliseconds (the simulator reads wall clock as UTC). */
export function clockOf(minutes: LocalMinutes): number {
  return minutes * 60_000;
}

/** The wall-clock minute a simulated clock time falls in. */
export function minutesOf(clock: number): LocalMinutes {
  return Math.floor(clock / 60_000);
}

export function clientEvent(at: LocalMinutes, severity: LogSeverity, component: string, message: string): LogEvent {
  return new LogEvent(clockOf(at), logHead(severity, component, message));
}
