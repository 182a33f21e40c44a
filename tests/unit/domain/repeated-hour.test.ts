// A working range that ends inside the repeated hour (clocks go back). The rule in docs/clock.md:
// an instant is working time when its wall-clock time lies inside a range. In New York on Sunday
// 1 November 2026, 01:00-02:00 EDT is followed by 01:00-02:00 EST, so a range ending at 01:30 is
// worked twice up to 01:30 (EDT, then EST), with the half hour from 01:30 EDT to 01:00 EST off.
import {
  type Calendar,
  type CalendarSpec,
  isWorkingTime,
  nextWorkingTime,
  parseCalendar,
} from '../../../functions/domain';

function cal(spec: CalendarSpec): Calendar {
  const r = parseCalendar(spec);
  if (!r.ok) throw new Error(r.error.join('\n'));
  return r.value;
}
const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

// 01:00 EDT = 05:00Z, 01:30 EDT = 05:30Z, 01:00 EST = 06:00Z, 01:30 EST = 06:30Z.
describe('a range ending at 01:30 on the night clocks go back (America/New_York, 1 Nov 2026)', () => {
  const cases: [string, CalendarSpec['hours']][] = [
    ['an overnight range, Saturday 22:00-01:30', { sat: '22:00-01:30' }],
    ['a range of the Sunday itself, 00:00-01:30', { sun: '00:00-01:30' }],
  ];

  describe.each(cases)('%s', (_name, hours) => {
    const c = cal({ timezone: 'America/New_York', hours });

    it('is working time through the first 01:00-01:30 (EDT)', () => {
      expect(isWorkingTime(c, at('2026-11-01T05:00:00Z'))).toBe(true);
      expect(isWorkingTime(c, at('2026-11-01T05:29:00Z'))).toBe(true);
    });

    it('stops at the first 01:30 (EDT): the half hour to 01:00 EST is not working time', () => {
      expect(isWorkingTime(c, at('2026-11-01T05:30:00Z'))).toBe(false);
      expect(isWorkingTime(c, at('2026-11-01T05:59:00Z'))).toBe(false);
      expect(iso(nextWorkingTime(c, at('2026-11-01T05:30:00Z')))).toBe('2026-11-01T06:00:00.000Z');
    });

    it('works the repeated 01:00-01:30 (EST) again and ends at the second 01:30', () => {
      expect(isWorkingTime(c, at('2026-11-01T06:00:00Z'))).toBe(true);
      expect(isWorkingTime(c, at('2026-11-01T06:29:00Z'))).toBe(true);
      expect(isWorkingTime(c, at('2026-11-01T06:30:00Z'))).toBe(false);
    });
  });

  it('a range starting at 01:30 has the mirror hole: 01:30 EDT to 01:00 EST works, 01:00-01:30 EST does not', () => {
    const c = cal({ timezone: 'America/New_York', hours: { sun: '01:30-03:00' } });
    expect(isWorkingTime(c, at('2026-11-01T05:29:00Z'))).toBe(false);
    expect(isWorkingTime(c, at('2026-11-01T05:30:00Z'))).toBe(true);
    expect(isWorkingTime(c, at('2026-11-01T05:59:00Z'))).toBe(true);
    expect(isWorkingTime(c, at('2026-11-01T06:00:00Z'))).toBe(false);
    expect(iso(nextWorkingTime(c, at('2026-11-01T06:00:00Z')))).toBe('2026-11-01T06:30:00.000Z');
    expect(isWorkingTime(c, at('2026-11-01T07:59:00Z'))).toBe(true);
    expect(isWorkingTime(c, at('2026-11-01T08:00:00Z'))).toBe(false);
  });
});
