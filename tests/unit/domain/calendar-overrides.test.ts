/**
 * A calendar's per-date overrides (`overrides: { "2026-12-24": "09:00-13:00", "2026-12-31": "" }`):
 * validation with paths, and the clock on a short day, a closed day, an overridden holiday and an
 * override on a DST change, each hand-checked and against the minute-by-minute reference.
 */
import { type CalendarSpec, compileCalendar, dayOfIsoDate, parseCalendar } from '../../../functions/domain/calendar';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import { addWorkingTime, isWorkingTime, workingTimeBetween } from '../../../functions/domain/working-time';
import { OracleCalendar, oracleAdd, oracleBetween } from '../../support/oracle-clock';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

const WEEKDAYS_9_17 = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
};

const NEW_YORK: CalendarSpec = {
  timezone: 'America/New_York',
  hours: WEEKDAYS_9_17,
  holidays: { country: 'US', dates: ['2026-12-28'] },
  overrides: {
    '2026-12-24': '09:00-13:00', // Thursday: a short day
    '2026-12-31': '', // Thursday: closed
    '2026-12-28': '10:00-12:00', // Monday, listed as a holiday too: the override wins
    '2026-12-26': '10:00-14:00', // Saturday: an extra working day
  },
};

/** Both clocks agree on `minutes` of working time from `start`; returns the due instant. */
function due(spec: CalendarSpec, start: string, minutes: number): string {
  const fast = iso(addWorkingTime(compileCalendar(spec), at(start), minutes * MINUTE_MS));
  expect(fast).toBe(iso(oracleAdd(new OracleCalendar(spec), at(start), minutes)));
  return fast;
}

describe('calendar overrides: validation', () => {
  const errorsOf = (overrides: unknown): string[] => {
    const r = parseCalendar({ timezone: 'UTC', hours: WEEKDAYS_9_17, overrides });
    if (r.ok) throw new Error('expected the calendar to be rejected');
    return r.error;
  };

  it('accepts dates with ranges, several ranges, overnight ones, and closed days ("" or null)', () => {
    const r = parseCalendar({
      ...NEW_YORK,
      overrides: { '2026-12-24': '09:00-12:00, 13:00-15:00', '2026-12-30': '22:00-06:00', '2026-12-31': null },
    });
    expect(r.ok).toBe(true);
  });

  it.each<[string, unknown, string]>([
    [
      'a date that is not a date',
      { '24.12.2026': '09:00-13:00' },
      'calendar.overrides.24.12.2026: "24.12.2026" is not a date; write YYYY-MM-DD, e.g. "2026-12-24"',
    ],
    ['a date that does not exist', { '2026-02-30': '' }, 'calendar.overrides.2026-02-30: "2026-02-30" is not a date'],
    [
      'a malformed range',
      { '2026-12-24': '9-13' },
      'calendar.overrides.2026-12-24: "9-13" is not a time range; write HH:MM-HH:MM',
    ],
    [
      'a range ending where it starts',
      { '2026-12-24': '09:00-09:00' },
      'calendar.overrides.2026-12-24: "09:00-09:00" is reversed',
    ],
    [
      'ranges that overlap',
      { '2026-12-24': '09:00-13:00,12:00-14:00' },
      'calendar.overrides.2026-12-24: "12:00-14:00" overlaps "09:00-13:00"',
    ],
    ['hours that are not text', { '2026-12-24': 9 }, 'calendar.overrides.2026-12-24: must be text like "09:00-17:00"'],
    ['not a mapping', ['2026-12-24'], 'calendar.overrides: must map dates to hours'],
  ])('refuses %s, naming the path', (_name, overrides, message) => {
    const errors = errorsOf(overrides);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });
});

describe('calendar overrides: the clock', () => {
  it('a short day ends at its own close: 2h left at 12:00 on 24 Dec runs on to Friday', () => {
    // Thu 24 Dec 12:00-13:00 (1h), Fri 25 Dec is Christmas, Sat 26 Dec 10:00-11:00 (extra day).
    expect(due(NEW_YORK, '2026-12-24T12:00:00-05:00', 120)).toBe('2026-12-26T16:00:00.000Z');
    expect(isWorkingTime(compileCalendar(NEW_YORK), at('2026-12-24T13:30:00-05:00'))).toBe(false);
  });

  it('a closed day counts nothing: 2h from 16:00 on 30 Dec is due on Monday 4 Jan', () => {
    // Wed 30 Dec 16:00-17:00 (1h); Thu 31 Dec closed; Fri 1 Jan New Year's Day; weekend; Mon 4 Jan 09:00-10:00.
    expect(due(NEW_YORK, '2026-12-30T16:00:00-05:00', 120)).toBe('2027-01-04T15:00:00.000Z');
  });

  it('an override on a holiday wins: 28 Dec is worked 10:00-12:00', () => {
    const cal = compileCalendar(NEW_YORK);
    expect(cal.isHoliday(dayOfIsoDate('2026-12-28'))).toBe(true);
    expect(workingTimeBetween(cal, at('2026-12-28T00:00:00-05:00'), at('2026-12-29T00:00:00-05:00'))).toBe(2 * HOUR_MS);
    expect(due(NEW_YORK, '2026-12-28T08:00:00-05:00', 150)).toBe('2026-12-29T14:30:00.000Z');
  });

  it('an override across a DST change: 8 March 2026 in New York, 01:00-05:00 is three real hours', () => {
    const spec: CalendarSpec = {
      timezone: 'America/New_York',
      hours: WEEKDAYS_9_17,
      overrides: { '2026-03-08': '01:00-05:00', '2026-11-01': '00:30-02:30' },
    };
    const cal = compileCalendar(spec);
    // Spring forward: 02:00-03:00 never happens.
    expect(workingTimeBetween(cal, at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(3 * HOUR_MS);
    expect(due(spec, '2026-03-07T12:00:00-05:00', 180)).toBe('2026-03-08T09:00:00.000Z');
    // Fall back: 01:00-02:00 happens twice, so 00:30-02:30 is three real hours.
    expect(workingTimeBetween(cal, at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(3 * HOUR_MS);
    const oracle = new OracleCalendar(spec);
    for (const [a, b] of [
      ['2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z'],
      ['2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z'],
    ] as const) {
      expect(workingTimeBetween(cal, at(a), at(b))).toBe(oracleBetween(oracle, at(a), at(b)) * MINUTE_MS);
    }
  });

  it('an overnight range from the day before still runs into an overridden day', () => {
    const spec: CalendarSpec = {
      timezone: 'Europe/London',
      hours: { mon: '22:00-06:00', tue: '22:00-06:00', wed: '22:00-06:00' },
      overrides: { '2026-12-22': '' }, // Tuesday closed: Monday night's shift still ends at 06:00 Tuesday
    };
    const cal = compileCalendar(spec);
    // Mon 22:00-Tue 06:00 (8h), nothing on Tuesday night, Wed 22:00-24:00 (2h).
    expect(workingTimeBetween(cal, at('2026-12-21T00:00:00Z'), at('2026-12-24T00:00:00Z'))).toBe(10 * HOUR_MS);
    expect(due(spec, '2026-12-22T05:00:00Z', 120)).toBe('2026-12-23T23:00:00.000Z');
  });

  it('overrides make a 24x7 calendar count days, not elapsed time', () => {
    const spec: CalendarSpec = { timezone: 'UTC', overrides: { '2026-12-25': '' } };
    const cal = compileCalendar(spec);
    expect(cal.alwaysOpen).toBe(false);
    expect(due(spec, '2026-12-24T23:00:00Z', 120)).toBe('2026-12-26T01:00:00.000Z');
  });
});
