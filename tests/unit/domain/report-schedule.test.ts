/** When a weekly report subscription's report is due: Monday at the department's opening, about the week before. */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { weeklyReportDue, weeklyReportMinutes } from '../../../functions/domain/report-schedule';

const NEW_YORK = { timezone: 'America/New_York', hours: { mon: '08:30-12:00,13:00-17:30', tue: '08:30-17:30' } };
const ms = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toMillis();
const LONG_AGO = ms('2026-01-01T00:00');

describe('weeklyReportMinutes', () => {
  it("is the start of the department's Monday hours", () => {
    expect(weeklyReportMinutes(NEW_YORK)).toBe(8 * 60 + 30);
    expect(weeklyReportMinutes({ hours: { mon: '13:00-17:00,07:00-11:00' } })).toBe(7 * 60);
  });

  it('is 09:00 for a department closed on Mondays, and for a 24x7 one', () => {
    expect(weeklyReportMinutes({ hours: { tue: '08:00-16:00' } })).toBe(9 * 60);
    expect(weeklyReportMinutes({ hours: { mon: '', tue: '08:00-16:00' } })).toBe(9 * 60);
    expect(weeklyReportMinutes({})).toBe(9 * 60);
  });
});

describe('weeklyReportDue', () => {
  it('is due from Monday at the opening to the end of that ISO week, about the week before', () => {
    expect(weeklyReportDue(NEW_YORK, ms('2026-11-30T08:29'), LONG_AGO)).toBeNull();
    const due = {
      week: '2026-W49',
      from: '2026-11-23',
      to: '2026-11-29',
      label: 'the week of 23 November 2026',
    };
    expect(weeklyReportDue(NEW_YORK, ms('2026-11-30T08:30'), LONG_AGO)).toEqual(due);
    expect(weeklyReportDue(NEW_YORK, ms('2026-12-06T23:59'), LONG_AGO)).toEqual(due);
    expect(weeklyReportDue(NEW_YORK, ms('2026-12-07T00:00'), LONG_AGO)).toBeNull();
  });

  it("waits for the next week's instant when subscribed after this week's", () => {
    expect(weeklyReportDue(NEW_YORK, ms('2026-12-02T12:00'), ms('2026-11-30T10:00'))).toBeNull();
    expect(weeklyReportDue(NEW_YORK, ms('2026-12-07T08:30'), ms('2026-11-30T10:00'))?.week).toBe('2026-W50');
  });

  it('names the ISO week across the year end (2026 has a week 53)', () => {
    expect(weeklyReportDue(NEW_YORK, ms('2027-01-01T12:00'), LONG_AGO)).toEqual({
      week: '2026-W53',
      from: '2026-12-21',
      to: '2026-12-27',
      label: 'the week of 21 December 2026',
    });
  });

  it('always reports on the seven days before the Monday of the week it is sent in', () => {
    fc.assert(
      fc.property(fc.integer({ min: ms('2026-01-05T00:00'), max: ms('2030-12-31T00:00') }), (now) => {
        const due = weeklyReportDue(NEW_YORK, now, LONG_AGO);
        const local = DateTime.fromMillis(now, { zone: NEW_YORK.timezone });
        const monday = local.startOf('week');
        if (local < monday.plus({ minutes: 8 * 60 + 30 })) return due === null;
        return (
          due !== null &&
          due.to === monday.minus({ days: 1 }).toISODate() &&
          due.from === monday.minus({ days: 7 }).toISODate()
        );
      }),
    );
  });
});
