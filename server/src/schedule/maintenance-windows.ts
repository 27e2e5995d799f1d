// Maintenance windows as ConfigMgr schedules them: a start, a duration and a recurrence (none,
// every N days, every N weeks on a weekday, every N months on a day or on the first..fourth or
// last weekday). Pure functions answer what the linter and the simulator ask: which windows
// restrict a task sequence, is one open at a given time, and when does the next one open.
// Times are wall-clock minutes (see local-time.ts).

import {
  MINUTES_PER_DAY,
  dayOfMonth,
  dayOfMonthIndex,
  daysInMonth,
  describeLocalDateTime,
  formatDuration,
  formatTimeOfDay,
  monthIndexOf,
  startOfDay,
  timeOfDay,
  weekdayIndex,
  weekdayOf,
  type LocalMinutes,
  type Weekday,
} from './local-time';

export const WINDOW_RECURRENCES = ['none', 'daily', 'weekly', 'monthlyByDay', 'monthlyByWeekday'] as const;
export type WindowRecurrence = (typeof WINDOW_RECURRENCES)[number];

export const WINDOW_APPLIES_TO = ['all', 'taskSequences', 'softwareUpdates'] as const;
export type WindowAppliesTo = (typeof WINDOW_APPLIES_TO)[number];

export const WEEKS_OF_MONTH = ['first', 'second', 'third', 'fourth', 'last'] as const;
export type WeekOfMonth = (typeof WEEKS_OF_MONTH)[number];

/** ConfigMgr's longest maintenance window. */
export const MAX_WINDOW_MINUTES = 24 * 60;

export interface WindowSchedule {
  name?: string;
  /** First possible start; recurrences take their time of day from it. */
  start: LocalMinutes;
  durationMinutes: number;
  recurrence: WindowRecurrence;
  /** Every N days / weeks / months (1 or more). */
  every: number;
  /** weekly and monthlyByWeekday: the day; default the weekday of `start`. */
  weekday?: Weekday;
  /** monthlyByWeekday: which of the month's weekdays; default `first`. */
  week?: WeekOfMonth;
  /** monthlyByDay: the day of the month or `last`; default the day of `start`. */
  monthDay?: number | 'last';
  appliesTo: WindowAppliesTo;
  enabled: boolean;
}

export interface WindowOccurrence<W extends WindowSchedule = WindowSchedule> {
  window: W;
  start: LocalMinutes;
  end: LocalMinutes;
}

/** How far ahead a search for the next window goes before it gives up (a window in the past never reopens). */
const SEARCH_YEARS = 20;
const SEARCH_MINUTES = SEARCH_YEARS * 366 * MINUTES_PER_DAY;

/**
 * The windows that limit when a task sequence may start on a member of a collection. ConfigMgr's
 * client uses the task-sequence windows when the device has any; otherwise the "all deployments"
 * windows; software-update windows never hold a task sequence back. Disabled windows do not count.
 */
export function taskSequenceWindows<W extends WindowSchedule>(windows: readonly W[]): W[] {
  const enabled = windows.filter((w) => w.enabled);
  const specific = enabled.filter((w) => w.appliesTo === 'taskSequences');
  return specific.length ? specific : enabled.filter((w) => w.appliesTo === 'all');
}

/** Occurrences of `w` that have not ended at `t` (the first may be open at `t`), in order. */
export function* occurrencesAfter<W extends WindowSchedule>(w: W, t: LocalMinutes): Generator<WindowOccurrence<W>> {
  const duration = Math.max(0, w.durationMinutes);
  if (duration === 0) return;
  const every = Math.max(1, Math.floor(w.every) || 1);
  const limit = Math.max(t, w.start) + SEARCH_MINUTES;
  for (let k = firstIndexNear(w, t, every, duration); ; k++) {
    const s = rawOccurrence(w, k, every);
    if (s === undefined || !Number.isFinite(s) || s > limit) return;
    if (s < w.start || s + duration <= t) continue;
    yield { window: w, start: s, end: s + duration };
  }
}

/** A window of `windows` open at `t` (the one that started first), if any. */
export function openWindowAt<W extends WindowSchedule>(
  windows: readonly W[],
  t: LocalMinutes,
): WindowOccurrence<W> | undefined {
  let best: WindowOccurrence<W> | undefined;
  for (const w of windows) {
    const first = occurrencesAfter(w, t).next();
    if (!first.done && first.value.start <= t && (!best || first.value.start < best.start)) best = first.value;
  }
  return best;
}

/** The earliest occurrence among `windows` that has not ended at `t`: open now, or the next to open. */
export function nextWindow<W extends WindowSchedule>(
  windows: readonly W[],
  t: LocalMinutes,
): WindowOccurrence<W> | undefined {
  let best: WindowOccurrence<W> | undefined;
  for (const w of windows) {
    const first = occurrencesAfter(w, t).next();
    if (first.done) continue;
    const o = first.value;
    if (!best || Math.max(o.start, t) < Math.max(best.start, t)) best = o;
  }
  return best;
}

/**
 * When something held back by `windows` can start, asked at `t`: at `t` itself when no window
 * restricts it or one is open, else when the next window opens; undefined when none ever opens.
 */
export function earliestStart<W extends WindowSchedule>(
  windows: readonly W[],
  t: LocalMinutes,
): { at: LocalMinutes; occurrence?: WindowOccurrence<W> } | undefined {
  if (windows.length === 0) return { at: t };
  const o = nextWindow(windows, t);
  return o ? { at: Math.max(o.start, t), occurrence: o } : undefined;
}

/** `every Saturday at 22:00 for 4 h`, `on the second Tuesday of every month at 22:00 for 3 h`, ... */
export function describeWindow(w: WindowSchedule): string {
  const every = Math.max(1, Math.floor(w.every) || 1);
  const at = `at ${formatTimeOfDay(timeOfDay(w.start))} for ${formatDuration(w.durationMinutes)}`;
  const months = every === 1 ? 'every month' : `every ${every} months`;
  switch (w.recurrence) {
    case 'none':
      return `once, ${describeLocalDateTime(w.start)} for ${formatDuration(w.durationMinutes)}`;
    case 'daily':
      return `${every === 1 ? 'every day' : `every ${every} days`} ${at}`;
    case 'weekly': {
      const day = capitalise(w.weekday ?? weekdayOf(w.start));
      return `${every === 1 ? `every ${day}` : `every ${every} weeks on ${day}`} ${at}`;
    }
    case 'monthlyByDay': {
      const d = monthDayOf(w);
      return `${d === 'last' ? 'on the last day' : `on day ${d}`} of ${months} ${at}`;
    }
    case 'monthlyByWeekday':
      return `on the ${w.week ?? 'first'} ${capitalise(w.weekday ?? weekdayOf(w.start))} of ${months} ${at}`;
  }
}

function monthDayOf(w: WindowSchedule): number | 'last' {
  return w.monthDay ?? dayOfMonth(w.start);
}

/** An index from which iterating forward cannot miss an occurrence that is still open at `t`. */
function firstIndexNear(w: WindowSchedule, t: LocalMinutes, every: number, duration: number): number {
  switch (w.recurrence) {
    case 'none':
      return 0;
    case 'daily':
    case 'weekly': {
      const period = every * (w.recurrence === 'daily' ? 1 : 7) * MINUTES_PER_DAY;
      return Math.max(0, Math.floor((t - w.start - duration) / period) - 1);
    }
    case 'monthlyByDay':
    case 'monthlyByWeekday':
      return Math.max(0, Math.floor((monthIndexOf(t) - monthIndexOf(w.start)) / every) - 1);
  }
}

/** The k-th candidate start (it may fall before `w.start`, for the first month or week). */
function rawOccurrence(w: WindowSchedule, k: number, every: number): LocalMinutes | undefined {
  const tod = timeOfDay(w.start);
  switch (w.recurrence) {
    case 'none':
      return k === 0 ? w.start : undefined;
    case 'daily':
      return w.start + k * every * MINUTES_PER_DAY;
    case 'weekly': {
      const shift = (weekdayIndex(w.weekday ?? weekdayOf(w.start)) - weekdayIndex(weekdayOf(w.start)) + 7) % 7;
      return startOfDay(w.start) + (shift + k * every * 7) * MINUTES_PER_DAY + tod;
    }
    case 'monthlyByDay': {
      const month = monthIndexOf(w.start) + k * every;
      const length = monthLength(month);
      const wanted = monthDayOf(w);
      // A day the month does not have (31 in April) falls on its last day; ConfigMgr does not
      // document this case, and running on the last day is what admins who pick 31 mean.
      const day = wanted === 'last' ? length : Math.min(wanted, length);
      return dayOfMonthIndex(month, day) + tod;
    }
    case 'monthlyByWeekday': {
      const month = monthIndexOf(w.start) + k * every;
      const target = weekdayIndex(w.weekday ?? weekdayOf(w.start));
      const week = w.week ?? 'first';
      if (week === 'last') {
        const lastDay = dayOfMonthIndex(month, monthLength(month));
        const back = (weekdayIndex(weekdayOf(lastDay)) - target + 7) % 7;
        return lastDay - back * MINUTES_PER_DAY + tod;
      }
      const firstDay = dayOfMonthIndex(month, 1);
      const ahead = (target - weekdayIndex(weekdayOf(firstDay)) + 7) % 7;
      const n = ['first', 'second', 'third', 'fourth'].indexOf(week);
      return firstDay + (ahead + 7 * n) * MINUTES_PER_DAY + tod;
    }
  }
}

function monthLength(monthIndex: number): number {
  return daysInMonth(1970 + Math.floor(monthIndex / 12), ((monthIndex % 12) + 12) % 12);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
