// A collection's maintenance window as a catalog file writes it (`maintenanceWindows:` entries):
// name, start, duration, recurrence and what it applies to, read leniently into the schedule the
// schedule/ functions compute with. A window whose start or duration cannot be read is left out
// of the model (the schema rule reports it).

import type { YMap } from './yaml/nodes';
import type { ExpansionBudget } from './yaml/expand';
import { MapReader, parseDuration, spanOf, type Located } from './fields';
import type { Span } from './text';
import { isWeekday, parseLocalDateTime } from '../schedule/local-time';
import {
  MAX_WINDOW_MINUTES,
  WEEKS_OF_MONTH,
  WINDOW_APPLIES_TO,
  WINDOW_RECURRENCES,
  type WeekOfMonth,
  type WindowAppliesTo,
  type WindowRecurrence,
  type WindowSchedule,
} from '../schedule/maintenance-windows';

export interface MaintenanceWindow extends WindowSchedule {
  /** The `start:` value as written. */
  startText: Located<string>;
  span: Span;
  node: YMap;
}

/** `4h`, `3h30m`, `90m`, or a number of minutes. */
export const WINDOW_DURATION_PATTERN = '^\\s*\\d+\\s*[hm]\\s*(\\d+\\s*m\\s*)?$';

function oneOf<T extends string>(values: readonly T[], s: Located<string> | undefined): T | undefined {
  return s && (values as readonly string[]).includes(s.value) ? (s.value as T) : undefined;
}

export function buildMaintenanceWindow(item: YMap, budget: ExpansionBudget): MaintenanceWindow | undefined {
  const r = new MapReader(item, budget);
  const startText = r.string('start');
  const start = startText ? parseLocalDateTime(startText.value) : undefined;
  const durationMinutes = readDuration(r);
  if (!startText || start === undefined || durationMinutes === undefined) return undefined;
  const weekday = r.string('weekday')?.value.toLowerCase();
  const monthDay = r.scalar('monthDay');
  return {
    name: r.string('name')?.value,
    start,
    startText,
    durationMinutes,
    recurrence: oneOf<WindowRecurrence>(WINDOW_RECURRENCES, r.string('recurrence')) ?? 'none',
    every: Math.max(1, r.integer('every')?.value ?? 1),
    weekday: weekday && isWeekday(weekday) ? weekday : undefined,
    week: oneOf<WeekOfMonth>(WEEKS_OF_MONTH, r.string('week')),
    monthDay:
      monthDay?.value === 'last'
        ? 'last'
        : typeof monthDay?.value === 'number' &&
            Number.isInteger(monthDay.value) &&
            monthDay.value >= 1 &&
            monthDay.value <= 31
          ? monthDay.value
          : undefined,
    appliesTo: oneOf<WindowAppliesTo>(WINDOW_APPLIES_TO, r.string('appliesTo')) ?? 'all',
    enabled: r.bool('enabled')?.value ?? true,
    span: spanOf(item),
    node: item,
  };
}

function readDuration(r: MapReader): number | undefined {
  const d = r.scalar('duration');
  if (!d) return undefined;
  const minutes = typeof d.value === 'number' ? d.value : (parseDuration(d.text, d.text) ?? NaN) / 60;
  return Number.isFinite(minutes) && minutes > 0 && minutes <= MAX_WINDOW_MINUTES ? Math.round(minutes) : undefined;
}
