import { type Calendar, type CalendarSpec, parseCalendar } from '../../../functions/domain/calendar';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import {
  addWorkingTime,
  isWorkingTime,
  nextWorkingTime,
  workingTimeBetween,
} from '../../../functions/domain/working-time';
import { OracleCalendar, oracleAdd } from '../../support/oracle-clock';

const WEEKDAYS_9_17 = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
};
const EVERY_DAY = (range: string) => ({
  mon: range,
  tue: range,
  wed: range,
  thu: range,
  fri: range,
  sat: range,
  sun: range,
});

function cal(spec: CalendarSpec): Calendar {
  const r = parseCalendar(spec);
  if (!r.ok) throw new Error(r.error.join('\n'));
  return r.value;
}
const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

const newYork = cal({
  timezone: 'America/New_York',
  hours: WEEKDAYS_9_17,
  holidays: { country: 'US', dates: ['2026-12-24'] },
});

// Every expected instant below was worked out by hand (comments show the local reasoning).
describe('addWorkingTime: hand-checked instants', () => {
  const cases: [string, Calendar, string, number, string][] = [
    // Sat 10:00 EST is outside hours: counting starts Mon 09:00 EST, + 4h = 13:00 EST.
    ['start outside hours', newYork, '2026-11-21T15:00:00Z', 4 * HOUR_MS, '2026-11-23T18:00:00.000Z'],
    // Wed 09:00 + 8h ends exactly at Wed 17:00 EST: due at that close, not Fri's opening.
    ['end exactly at the close', newYork, '2026-11-25T14:00:00Z', 8 * HOUR_MS, '2026-11-25T22:00:00.000Z'],
    // Wed 13:00-17:00 = 4h, Thu 26 Nov is Thanksgiving (from the US country data), Fri 09:00 + 2h.
    ['country holiday inside the span', newYork, '2026-11-25T18:00:00Z', 6 * HOUR_MS, '2026-11-27T16:00:00.000Z'],
    // Wed 23 Dec 15:00-17:00 = 2h, Thu 24 (explicit) and Fri 25 (Christmas) off, weekend, Mon 28 09:00 + 2h.
    ['explicit holiday inside the span', newYork, '2026-12-23T20:00:00Z', 4 * HOUR_MS, '2026-12-28T16:00:00.000Z'],
    // Fri 6 Mar 16:00 EST: 1h left that day; Mon 9 Mar is already EDT (UTC-4), 09:00 + 1h = 14:00Z.
    ['New York weekend spring-forward', newYork, '2026-03-06T21:00:00Z', 2 * HOUR_MS, '2026-03-09T14:00:00.000Z'],
    // Fri 30 Oct 16:00 EDT: 1h; Mon 2 Nov is EST (UTC-5): 10:00 EST = 15:00Z.
    ['New York weekend fall-back', newYork, '2026-10-30T20:00:00Z', 2 * HOUR_MS, '2026-11-02T15:00:00.000Z'],
    // 30 working days from Mon 5 Jan 09:00 EST; MLK day (19 Jan) and Washington's Birthday (16 Feb) off:
    // day 30 is Tue 17 Feb, due at its 17:00 EST close.
    ['a six-week target', newYork, '2026-01-05T14:00:00Z', 240 * HOUR_MS, '2026-02-17T22:00:00.000Z'],
  ];
  it.each(cases)('%s', (_name, calendar, start, duration, due) => {
    expect(iso(addWorkingTime(calendar, at(start), duration))).toBe(due);
  });

  it('splits around lunch and can end at the start of lunch', () => {
    const berlin = cal({ timezone: 'Europe/Berlin', hours: EVERY_DAY('09:00-12:00,13:00-17:00') });
    // Tue 16 Jun 11:00 CEST: 11-12 = 1h, then 13:00-14:00 CEST = 12:00Z.
    expect(iso(addWorkingTime(berlin, at('2026-06-16T09:00:00Z'), 2 * HOUR_MS))).toBe('2026-06-16T12:00:00.000Z');
    // 10:00 + 2h ends at 12:00 CEST, the morning close (10:00Z), not 13:00.
    expect(iso(addWorkingTime(berlin, at('2026-06-16T08:00:00Z'), 2 * HOUR_MS))).toBe('2026-06-16T10:00:00.000Z');
    expect(isWorkingTime(berlin, at('2026-06-16T10:30:00Z'))).toBe(false);
    expect(iso(nextWorkingTime(berlin, at('2026-06-16T10:30:00Z')))).toBe('2026-06-16T11:00:00.000Z');
  });

  it('handles Europe/London across both changes', () => {
    const london = cal({ timezone: 'Europe/London', hours: WEEKDAYS_9_17 });
    // Fri 27 Mar 16:00 GMT: 1h; Mon 30 Mar is BST: 10:00 BST = 09:00Z.
    expect(iso(addWorkingTime(london, at('2026-03-27T16:00:00Z'), 2 * HOUR_MS))).toBe('2026-03-30T09:00:00.000Z');
    // Fri 23 Oct 16:00 BST (15:00Z): 1h; Mon 26 Oct is GMT: 10:00 GMT = 10:00Z.
    expect(iso(addWorkingTime(london, at('2026-10-23T15:00:00Z'), 2 * HOUR_MS))).toBe('2026-10-26T10:00:00.000Z');
    // A Sunday range on the spring-forward day: 00:00-03:00 local holds only 2 real hours (01:00 GMT jumps to 02:00 BST).
    const sunday = cal({ timezone: 'Europe/London', hours: { sun: '00:00-03:00' } });
    expect(workingTimeBetween(sunday, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(2 * HOUR_MS);
    // ... and 4 real hours on the fall-back day (01:00-02:00 happens twice).
    expect(workingTimeBetween(sunday, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(4 * HOUR_MS);
  });

  it('moves a range starting inside the spring-forward gap to the end of the gap', () => {
    const c = cal({ timezone: 'America/New_York', hours: { sun: '02:30-04:00' } });
    // Sun 8 Mar: 02:00 EST jumps to 03:00 EDT, so the range is 03:00-04:00 EDT = 07:00Z-08:00Z.
    expect(iso(addWorkingTime(c, at('2026-03-08T05:00:00Z'), 30 * MINUTE_MS))).toBe('2026-03-08T07:30:00.000Z');
    expect(workingTimeBetween(c, at('2026-03-08T00:00:00Z'), at('2026-03-09T00:00:00Z'))).toBe(HOUR_MS);
  });

  it('counts both occurrences of a repeated fall-back hour', () => {
    const c = cal({ timezone: 'America/New_York', hours: { sun: '01:00-02:00' } });
    // Sun 1 Nov: 01:00-02:00 EDT (05:00Z-06:00Z) then 01:00-02:00 EST (06:00Z-07:00Z).
    expect(iso(addWorkingTime(c, at('2026-11-01T04:00:00Z'), 90 * MINUTE_MS))).toBe('2026-11-01T06:30:00.000Z');
    expect(iso(addWorkingTime(c, at('2026-11-01T04:00:00Z'), 2 * HOUR_MS))).toBe('2026-11-01T07:00:00.000Z');
  });

  describe('overnight shift 22:00-06:00', () => {
    const monNight = cal({ timezone: 'UTC', hours: { mon: '22:00-06:00' } });
    it('runs across midnight into Tuesday', () => {
      // Mon 15 Jun 21:00: starts at 22:00, + 3h = Tue 01:00.
      expect(iso(addWorkingTime(monNight, at('2026-06-15T21:00:00Z'), 3 * HOUR_MS))).toBe('2026-06-16T01:00:00.000Z');
      // 8h is exactly the shift: due at its Tuesday 06:00 close.
      expect(iso(addWorkingTime(monNight, at('2026-06-15T21:00:00Z'), 8 * HOUR_MS))).toBe('2026-06-16T06:00:00.000Z');
      // 9h: 8h this week, then next Monday 22:00 + 1h.
      expect(iso(addWorkingTime(monNight, at('2026-06-15T21:00:00Z'), 9 * HOUR_MS))).toBe('2026-06-22T23:00:00.000Z');
    });
    it('belongs to the date it starts on when that date is a holiday', () => {
      const mondayOff = cal({ timezone: 'UTC', hours: { mon: '22:00-06:00' }, holidays: { dates: ['2026-06-22'] } });
      // The whole shift of Mon 22 Jun (including Tue 23 00:00-06:00) is off: the 9th hour falls on Mon 29 Jun.
      expect(iso(addWorkingTime(mondayOff, at('2026-06-15T21:00:00Z'), 9 * HOUR_MS))).toBe('2026-06-29T23:00:00.000Z');
      // A holiday on the Tuesday does not touch Monday's shift.
      const tuesdayOff = cal({ timezone: 'UTC', hours: { mon: '22:00-06:00' }, holidays: { dates: ['2026-06-16'] } });
      expect(iso(addWorkingTime(tuesdayOff, at('2026-06-15T21:00:00Z'), 3 * HOUR_MS))).toBe('2026-06-16T01:00:00.000Z');
    });
    it('is one hour shorter on the spring-forward night and one longer on the fall-back night', () => {
      const nights = cal({ timezone: 'America/New_York', hours: EVERY_DAY('22:00-06:00') });
      // Sat 7 Mar 22:00 EST (03:00Z) to Sun 06:00 EDT (10:00Z) is 7 real hours; the 8th is Sun 22:00 EDT + 1h.
      expect(iso(addWorkingTime(nights, at('2026-03-08T03:00:00Z'), 8 * HOUR_MS))).toBe('2026-03-09T03:00:00.000Z');
      // Sat 31 Oct 22:00 EDT (02:00Z) to Sun 06:00 EST (11:00Z) is 9 real hours.
      expect(iso(addWorkingTime(nights, at('2026-11-01T02:00:00Z'), 9 * HOUR_MS))).toBe('2026-11-01T11:00:00.000Z');
      expect(iso(addWorkingTime(nights, at('2026-11-01T02:00:00Z'), 8 * HOUR_MS))).toBe('2026-11-01T10:00:00.000Z');
    });
  });

  describe('24x7', () => {
    const always = cal({ timezone: 'America/New_York' });
    it('is plain elapsed time, also across a DST change', () => {
      // Sun 8 Mar 00:00 EST + 24h = Mon 9 Mar 01:00 EDT (local day was 23h long).
      expect(iso(addWorkingTime(always, at('2026-03-08T05:00:00Z'), 24 * HOUR_MS))).toBe('2026-03-09T05:00:00.000Z');
      expect(workingTimeBetween(always, at('2026-11-01T04:00:00Z'), at('2026-11-02T05:00:00Z'))).toBe(25 * HOUR_MS);
    });
    it('skips holidays when it has some', () => {
      const withHoliday = cal({ timezone: 'America/New_York', holidays: { dates: ['2026-12-25'] } });
      // Thu 24 Dec 23:00 EST: 1h to midnight, all of the 25th is off, 1h into the 26th.
      expect(iso(addWorkingTime(withHoliday, at('2026-12-25T04:00:00Z'), 2 * HOUR_MS))).toBe(
        '2026-12-26T06:00:00.000Z',
      );
    });
  });

  it('agrees with the minute-by-minute reference on a holiday-heavy span', () => {
    const spec: CalendarSpec = {
      timezone: 'America/New_York',
      hours: WEEKDAYS_9_17,
      holidays: { country: 'US', dates: ['2026-12-24'] },
    };
    const oracle = new OracleCalendar(spec);
    const start = at('2026-12-22T15:00:00Z');
    expect(addWorkingTime(newYork, start, 16 * HOUR_MS)).toBe(oracleAdd(oracle, start, 16 * 60));
  });

  it('a zero duration is due at the start itself', () => {
    expect(addWorkingTime(newYork, at('2026-11-21T15:00:00Z'), 0)).toBe(at('2026-11-21T15:00:00Z'));
  });

  it('terminates on long targets', () => {
    const sparse = cal({ timezone: 'Pacific/Chatham', hours: { wed: '10:00-10:30' } });
    // 52 weekly half hours = one year of Wednesdays.
    const due = addWorkingTime(sparse, at('2026-01-01T00:00:00Z'), 26 * HOUR_MS);
    expect(due).toBeGreaterThan(at('2026-12-20T00:00:00Z'));
    expect(due).toBeLessThan(at('2027-01-10T00:00:00Z'));
    expect(() => addWorkingTime(sparse, at('2026-01-01T00:00:00Z'), 100_000 * HOUR_MS)).toThrow(/working time/);
  });
});
