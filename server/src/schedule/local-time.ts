// Wall-clock date-times as ConfigMgr schedules write them (deadlines, maintenance windows, media
// validity): a date and a time of day with no time zone, meant as the client's local time. They
// are kept as whole minutes since 1970-01-01 00:00 on that wall clock and computed with UTC
// arithmetic, so daylight-saving changes never shift a window: 22:00 stays 22:00.

/** Minutes since 1970-01-01 00:00, wall-clock time. */
export type LocalMinutes = number;

export const MINUTES_PER_DAY = 1440;

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The forms the DSL accepts: `2025-03-01`, `2025-03-01 22:00`, `2025-03-01T22:00` (seconds allowed). */
export const LOCAL_DATE_TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?$';
const LOCAL_DATE_TIME = new RegExp(LOCAL_DATE_TIME_PATTERN);

/** Parses a wall-clock date-time; undefined for anything else, including dates that do not exist (Feb 30). */
export function parseLocalDateTime(text: string): LocalMinutes | undefined {
  const t = text.trim();
  if (!LOCAL_DATE_TIME.test(t)) return undefined;
  const year = Number(t.slice(0, 4));
  const month = Number(t.slice(5, 7));
  const day = Number(t.slice(8, 10));
  const hour = t.length > 10 ? Number(t.slice(11, 13)) : 0;
  const minute = t.length > 10 ? Number(t.slice(14, 16)) : 0;
  const second = t.length > 16 ? Number(t.slice(17, 19)) : 0;
  // Date.UTC reads years below 100 as 19xx; no ConfigMgr schedule predates 1970 anyway.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute) / 60000;
}

/** `2025-03-15 22:00`. */
export function formatLocalDateTime(m: LocalMinutes): string {
  const d = new Date(m * 60000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `Saturday 2025-03-15 22:00`: the weekday helps admins check a recurrence at a glance. */
export function describeLocalDateTime(m: LocalMinutes): string {
  return `${capitalise(weekdayOf(m))} ${formatLocalDateTime(m)}`;
}

/** `22:00`. */
export function formatTimeOfDay(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** `4 h`, `90 min`, `3 h 30 min`. */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h && m ? `${h} h ${m} min` : h ? `${h} h` : `${m} min`;
}

export function weekdayOf(m: LocalMinutes): Weekday {
  return WEEKDAYS[new Date(m * 60000).getUTCDay()];
}

export function weekdayIndex(day: Weekday): number {
  return WEEKDAYS.indexOf(day);
}

export function isWeekday(s: string): s is Weekday {
  return (WEEKDAYS as readonly string[]).includes(s);
}

/** Minutes since midnight of the day `m` falls on. */
export function timeOfDay(m: LocalMinutes): number {
  return ((m % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
}

/** Midnight of the day `m` falls on. */
export function startOfDay(m: LocalMinutes): LocalMinutes {
  return m - timeOfDay(m);
}

/** `month0` is 0-based (January = 0). */
export function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/** Day of the month (1-based) `m` falls on. */
export function dayOfMonth(m: LocalMinutes): number {
  return new Date(m * 60000).getUTCDate();
}

/** Midnight of day `day` (1-based) of the month `monthIndex` months after January 1970. */
export function dayOfMonthIndex(monthIndex: number, day: number): LocalMinutes {
  return Date.UTC(1970, monthIndex, day) / 60000;
}

/** Months since January 1970 of the month `m` falls in. */
export function monthIndexOf(m: LocalMinutes): number {
  const d = new Date(m * 60000);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
