import { CalendarSpec, parseCalendar } from '../../../functions/domain/calendar';

const errorsOf = (input: unknown): string[] => {
  const r = parseCalendar(input);
  if (r.ok) throw new Error('expected the calendar to be rejected');
  return r.error;
};

describe('calendar validation', () => {
  it('accepts the documented shape', () => {
    const r = parseCalendar({
      timezone: 'America/New_York',
      hours: { mon: '09:00-17:00', tue: '09:00-12:00,13:00-17:00', fri: '22:00-06:00', sat: '', sun: null },
      holidays: { country: 'US', region: 'NY', dates: ['2026-12-24'] },
    });
    expect(r.ok).toBe(true);
  });

  it('treats missing or empty hours as 24x7', () => {
    const a = parseCalendar({ timezone: 'UTC' });
    const b = parseCalendar({ timezone: 'UTC', hours: {} });
    expect(a.ok && a.value.is24x7).toBe(true);
    expect(b.ok && b.value.is24x7).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['unknown zone', { timezone: 'Mars/Olympus' }, 'calendar.timezone: "Mars/Olympus" is not a known IANA timezone'],
    ['missing zone', {}, 'calendar.timezone: timezone is required'],
    [
      'bad range',
      { timezone: 'UTC', hours: { mon: '25:00-26:00' } },
      'calendar.hours.mon: "25:00-26:00" is not a time range',
    ],
    [
      '24:00 as a start',
      { timezone: 'UTC', hours: { mon: '24:00-06:00' } },
      'calendar.hours.mon: "24:00-06:00" starts at 24:00, which is allowed only as an end',
    ],
    [
      'empty (reversed onto itself) range',
      { timezone: 'UTC', hours: { mon: '09:00-09:00' } },
      'calendar.hours.mon: "09:00-09:00" is reversed',
    ],
    [
      'overlap in a day',
      { timezone: 'UTC', hours: { mon: '09:00-12:00,11:00-13:00' } },
      'calendar.hours.mon: "11:00-13:00" overlaps "09:00-12:00"',
    ],
    [
      'overlap past midnight',
      { timezone: 'UTC', hours: { mon: '22:00-06:00', tue: '05:00-09:00' } },
      `calendar.hours.tue: "05:00-09:00" overlaps mon's range "22:00-06:00"`,
    ],
    [
      'overlap past the week end',
      { timezone: 'UTC', hours: { sun: '22:00-06:00', mon: '05:00-09:00' } },
      `calendar.hours.mon: "05:00-09:00" overlaps sun's range "22:00-06:00"`,
    ],
    [
      'no working hours',
      { timezone: 'UTC', hours: { mon: '', tue: null } },
      'calendar.hours: no working hours on any day',
    ],
    [
      'unknown weekday',
      { timezone: 'UTC', hours: { monday: '09:00-17:00' } },
      'calendar.hours: "monday" is not a weekday; use mon, tue, wed, thu, fri, sat, sun',
    ],
    [
      'unknown country',
      { timezone: 'UTC', holidays: { country: 'XX' } },
      'calendar.holidays.country: "XX" is not a country we know public holidays for',
    ],
    [
      'unknown region',
      { timezone: 'UTC', holidays: { country: 'US', region: 'QQ' } },
      'calendar.holidays.region: "QQ" is not a region of US',
    ],
    [
      'region without country',
      { timezone: 'UTC', holidays: { region: 'NY' } },
      'calendar.holidays.region: a region needs a country',
    ],
    [
      'impossible date',
      { timezone: 'UTC', holidays: { dates: ['2026-02-30'] } },
      'calendar.holidays.dates[0]: "2026-02-30" is not a date; write YYYY-MM-DD',
    ],
    ['unknown field', { timezone: 'UTC', hourz: {} }, 'calendar: "hourz" is not a calendar field'],
  ])('rejects %s with a specific message and path', (_name, input, message) => {
    expect(errorsOf(input).join('\n')).toContain(message);
  });

  it('allows touching ranges and 24:00 as an end', () => {
    expect(parseCalendar({ timezone: 'UTC', hours: { mon: '00:00-12:00,12:00-24:00', tue: '22:00-24:00' } }).ok).toBe(
      true,
    );
  });

  it('exposes the zod schema for other modules', () => {
    expect(CalendarSpec.safeParse({ timezone: 'Europe/Berlin', hours: { mon: '09:00-17:00' } }).success).toBe(true);
  });
});
