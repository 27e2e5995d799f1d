// Maintenance windows and wall-clock times: parsing the DSL's date-times, every recurrence
// ConfigMgr offers, which windows hold a task sequence back, and the next start after a moment —
// the functions the maintenance-window rule and the simulator's clock rely on.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeLocalDateTime,
  formatLocalDateTime,
  parseLocalDateTime,
  weekdayOf,
  type LocalMinutes,
} from '../../server/src/schedule/local-time';
import {
  describeWindow,
  earliestStart,
  nextWindow,
  occurrencesAfter,
  openWindowAt,
  taskSequenceWindows,
  type WindowSchedule,
} from '../../server/src/schedule/maintenance-windows';

const at = (s: string): LocalMinutes => {
  const m = parseLocalDateTime(s);
  assert.ok(m !== undefined, `${s} should parse`);
  return m;
};

function window(over: Omit<Partial<WindowSchedule>, 'start'> & { start: string }): WindowSchedule {
  const { start, ...rest } = over;
  return {
    durationMinutes: 240,
    recurrence: 'none',
    every: 1,
    appliesTo: 'all',
    enabled: true,
    ...rest,
    start: at(start),
  };
}

function starts(w: WindowSchedule, from: string, count: number): string[] {
  const out: string[] = [];
  for (const o of occurrencesAfter(w, at(from))) {
    out.push(formatLocalDateTime(o.start));
    if (out.length === count) break;
  }
  return out;
}

describe('wall-clock date-times', () => {
  test('a date, a date and time, and the ISO T form read as the same wall clock', () => {
    assert.equal(at('2025-03-01 22:00'), at('2025-03-01T22:00'));
    assert.equal(at('2025-03-01 22:00') - at('2025-03-01'), 22 * 60);
    assert.equal(formatLocalDateTime(at('2025-03-01T22:00:59')), '2025-03-01 22:00');
  });

  test('dates that do not exist and other text are refused, not rolled over', () => {
    for (const bad of [
      '0025-01-01',
      '2025-02-29',
      '2025-13-01',
      '2025-04-31 10:00',
      '2025-03-01 24:00',
      'next Saturday',
      '2025-3-1',
      '',
    ]) {
      assert.equal(parseLocalDateTime(bad), undefined, bad);
    }
    assert.ok(parseLocalDateTime('2024-02-29') !== undefined, 'a leap day exists');
  });

  test('weekdays follow the calendar', () => {
    assert.equal(weekdayOf(at('2025-01-04')), 'saturday');
    assert.equal(describeLocalDateTime(at('2025-01-06 08:30')), 'Monday 2025-01-06 08:30');
  });
});

describe('recurrences', () => {
  test('a window without recurrence happens once', () => {
    const w = window({ start: '2025-03-01 22:00' });
    assert.deepEqual(starts(w, '2025-01-01', 3), ['2025-03-01 22:00']);
    assert.deepEqual(starts(w, '2025-03-02 03:00', 3), [], 'it has ended by then');
  });

  test('daily windows repeat every N days at the start time', () => {
    const w = window({ start: '2025-03-01 01:00', recurrence: 'daily', every: 3, durationMinutes: 60 });
    assert.deepEqual(starts(w, '2025-03-05 12:00', 3), ['2025-03-07 01:00', '2025-03-10 01:00', '2025-03-13 01:00']);
  });

  test('weekly windows fall on the chosen weekday, from the first one on or after the start', () => {
    // 2025-03-03 is a Monday; the first Saturday on or after it is 2025-03-08.
    const w = window({ start: '2025-03-03 22:00', recurrence: 'weekly', weekday: 'saturday' });
    assert.deepEqual(starts(w, '2025-01-01', 2), ['2025-03-08 22:00', '2025-03-15 22:00']);
    const fortnightly = { ...w, every: 2 };
    assert.deepEqual(starts(fortnightly, '2025-03-09 12:00', 2), ['2025-03-22 22:00', '2025-04-05 22:00']);
  });

  test('a weekly window without a weekday uses the weekday of its start', () => {
    const w = window({ start: '2025-01-04 22:00', recurrence: 'weekly' });
    assert.deepEqual(starts(w, '2025-01-05 12:00', 1), ['2025-01-11 22:00']);
  });

  test('monthly by day, including a day some months lack and the last day', () => {
    const w31 = window({ start: '2025-01-31 20:00', recurrence: 'monthlyByDay', monthDay: 31 });
    assert.deepEqual(starts(w31, '2025-02-01', 3), ['2025-02-28 20:00', '2025-03-31 20:00', '2025-04-30 20:00']);
    const last = window({ start: '2024-01-10 20:00', recurrence: 'monthlyByDay', monthDay: 'last', every: 1 });
    assert.deepEqual(starts(last, '2024-02-01', 1), ['2024-02-29 20:00']);
    const quarterly = window({ start: '2025-01-15 20:00', recurrence: 'monthlyByDay', every: 3 });
    assert.deepEqual(starts(quarterly, '2025-01-16', 2), ['2025-04-15 20:00', '2025-07-15 20:00']);
  });

  test('a monthly day earlier in the start month than the start begins the next month', () => {
    const w = window({ start: '2025-01-20 20:00', recurrence: 'monthlyByDay', monthDay: 5 });
    assert.deepEqual(starts(w, '2025-01-01', 1), ['2025-02-05 20:00']);
  });

  test('monthly by weekday: Patch Tuesday and the last Friday', () => {
    // March 2025 starts on a Saturday: its Tuesdays are the 4th, 11th, 18th, 25th.
    const patch = window({
      start: '2025-03-01 22:00',
      recurrence: 'monthlyByWeekday',
      week: 'second',
      weekday: 'tuesday',
    });
    assert.deepEqual(starts(patch, '2025-03-01', 2), ['2025-03-11 22:00', '2025-04-08 22:00']);
    const lastFriday = window({
      start: '2025-02-01 18:00',
      recurrence: 'monthlyByWeekday',
      week: 'last',
      weekday: 'friday',
    });
    assert.deepEqual(starts(lastFriday, '2025-02-01', 2), ['2025-02-28 18:00', '2025-03-28 18:00']);
  });

  test('an occurrence still open at the asked time is returned first', () => {
    const w = window({ start: '2025-01-04 22:00', recurrence: 'weekly', durationMinutes: 240 });
    assert.deepEqual(starts(w, '2025-03-16 01:00', 1), ['2025-03-15 22:00']);
  });

  test('an absurd interval ends the search instead of producing impossible dates', () => {
    const w = window({ start: '2025-01-15 20:00', recurrence: 'monthlyByDay', every: 1e15 });
    assert.deepEqual(starts(w, '2025-01-01', 3), ['2025-01-15 20:00']);
  });

  test('a search far after the start does not walk every occurrence', () => {
    const w = window({ start: '2000-01-01 00:00', recurrence: 'daily', durationMinutes: 60 });
    const began = Date.now();
    assert.deepEqual(starts(w, '2030-06-01 00:30', 1), ['2030-06-01 00:00']);
    assert.ok(Date.now() - began < 50);
  });

  test('descriptions read like the console', () => {
    assert.equal(
      describeWindow(window({ start: '2025-01-04 22:00', recurrence: 'weekly' })),
      'every Saturday at 22:00 for 4 h',
    );
    assert.equal(
      describeWindow(
        window({
          start: '2025-03-01 22:00',
          recurrence: 'monthlyByWeekday',
          week: 'second',
          weekday: 'tuesday',
          durationMinutes: 210,
        }),
      ),
      'on the second Tuesday of every month at 22:00 for 3 h 30 min',
    );
    assert.equal(
      describeWindow(window({ start: '2025-03-01 01:00', recurrence: 'daily', every: 2, durationMinutes: 90 })),
      'every 2 days at 01:00 for 1 h 30 min',
    );
    assert.equal(
      describeWindow(window({ start: '2025-03-01 01:00', recurrence: 'monthlyByDay', monthDay: 'last' })),
      'on the last day of every month at 01:00 for 4 h',
    );
  });
});

describe('which windows hold a task sequence back', () => {
  const all = window({ start: '2025-01-04 22:00', recurrence: 'weekly', appliesTo: 'all', name: 'all' });
  const ts = window({ start: '2025-01-05 02:00', recurrence: 'weekly', appliesTo: 'taskSequences', name: 'ts' });
  const su = window({ start: '2025-01-07 22:00', recurrence: 'weekly', appliesTo: 'softwareUpdates', name: 'su' });

  test('task-sequence windows win over all-deployments windows', () => {
    assert.deepEqual(
      taskSequenceWindows([all, ts, su]).map((w) => w.name),
      ['ts'],
    );
  });

  test('without task-sequence windows, all-deployments windows apply', () => {
    assert.deepEqual(
      taskSequenceWindows([all, su]).map((w) => w.name),
      ['all'],
    );
  });

  test('software-update and disabled windows never hold a task sequence back', () => {
    assert.deepEqual(taskSequenceWindows([su, { ...ts, enabled: false }]), []);
  });
});

describe('the next start', () => {
  const saturday = window({ start: '2025-01-04 22:00', recurrence: 'weekly', name: 'Saturday night' });
  const patch = window({
    start: '2025-01-01 20:00',
    recurrence: 'monthlyByWeekday',
    week: 'second',
    weekday: 'tuesday',
    name: 'Patch Tuesday',
  });

  test('inside a window the start is immediate', () => {
    const t = at('2025-03-15 23:00');
    assert.equal(openWindowAt([saturday, patch], t)?.window.name, 'Saturday night');
    assert.deepEqual(earliestStart([saturday, patch], t)?.at, t);
  });

  test('outside every window the start waits for whichever opens first', () => {
    // From Monday 2025-03-10 noon: Patch Tuesday opens on 2025-03-11 20:00, before Saturday.
    const t = at('2025-03-10 12:00');
    assert.equal(openWindowAt([saturday, patch], t), undefined);
    const next = nextWindow([saturday, patch], t);
    assert.equal(next?.window.name, 'Patch Tuesday');
    assert.equal(earliestStart([saturday, patch], t)?.at, at('2025-03-11 20:00'));
  });

  test('with no window to wait for, the start is not held back', () => {
    const t = at('2025-03-10 12:00');
    assert.deepEqual(earliestStart([], t), { at: t });
  });

  test('a one-off window in the past means it never starts', () => {
    const past = window({ start: '2024-12-31 22:00' });
    assert.equal(earliestStart([past], at('2025-03-10 12:00')), undefined);
  });
});
