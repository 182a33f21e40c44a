/** The "Why this due time?" view: the calendar in words, and a long list of stretches kept short. */
import { compileCalendar } from '../../../../functions/domain/calendar';
import { explainClock } from '../../../../functions/domain/explain';
import { startClock, unwrapClock } from '../../../../functions/domain/target-clock';
import {
  countingText,
  explainMessage,
  hoursText,
  reasonText,
  STRETCH_LINES_MAX,
  stretchLines,
} from '../../../../functions/slack/views/explain';

const HOUR = 3_600_000;
const SPEC = {
  timezone: 'America/New_York',
  hours: {
    mon: '09:00-17:00',
    tue: '09:00-17:00',
    wed: '09:00-17:00',
    thu: '09:00-17:00',
    fri: '09:00-12:00,13:00-16:00',
  },
  holidays: { country: 'US', dates: ['2026-12-24'] },
};

it('writes the working hours grouped by equal days, with the zone and the holidays', () => {
  expect(hoursText(SPEC)).toBe('Mon–Thu 09:00-17:00; Fri 09:00-12:00, 13:00-16:00');
  expect(countingText(SPEC, 'IT')).toBe(
    "IT's working hours (Mon–Thu 09:00-17:00; Fri 09:00-12:00, 13:00-16:00, America/New_York; US public holidays and 2026-12-24 off)",
  );
  expect(countingText({ timezone: 'UTC' }, 'Ops')).toBe('calendar time, around the clock, every day');
  expect(countingText({ ...SPEC, overrides: { '2026-12-31': '', '2026-12-30': '09:00-13:00' } }, 'IT')).toContain(
    'US public holidays and 2026-12-24 off; own hours on 2026-12-30, 2026-12-31)',
  );
  expect(countingText({ timezone: 'UTC', overrides: { '2026-12-31': '' } }, 'Ops')).toBe(
    'calendar time, around the clock (UTC; own hours on 2026-12-31)',
  );
});

it('names a short day, a day with other hours and a closed day, with what else was skipped', () => {
  expect(
    reasonText({
      kind: 'override',
      days: [
        { date: '2026-12-24', hours: '09:00-13:00', shorter: true },
        { date: '2026-12-26', hours: '12:00-20:00', shorter: false },
      ],
      holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
      weekdays: [6],
    }),
  ).toBe('24 Dec: short day, 09:00–13:00; 26 Dec: own hours, 12:00–20:00 and holiday: Christmas Day and Sunday');
  expect(
    reasonText({
      kind: 'override',
      days: [{ date: '2026-12-31', hours: '', shorter: true }],
      holidays: [],
      weekdays: [],
    }),
  ).toBe('31 Dec: closed');
});

it('keeps a six-week target to at most 12 lines, with its start and its due instant', () => {
  const calendar = compileCalendar(SPEC);
  const start = Date.UTC(2026, 10, 2, 15); // Monday 2 Nov, 10:00 EST
  const clock = unwrapClock(startClock(calendar, { kind: 'resolution', target: 200 * HOUR, at: start }));
  const e = explainClock(calendar, clock, start);
  expect(e.stretches.length).toBeGreaterThan(STRETCH_LINES_MAX);
  const lines = stretchLines(e.stretches, 'America/New_York');
  expect(lines).toHaveLength(STRETCH_LINES_MAX);
  expect(lines[0]).toBe(':large_green_square: Mon 2 Nov, 10:00 → 17:00 EST · counted 7h');
  expect(lines.join('\n')).toMatch(/… \d+ more working stretches \(\d+h( \d+m)? counted\)/);
  const message = explainMessage({
    request: { id: 'IT-7', title: 'Move <the> office', priority: 'P3' },
    explanations: { response: e, resolution: e },
    providerName: 'IT',
    calendar: SPEC,
    zone: 'America/New_York',
  });
  expect(message.text).toMatch(/^IT-7 · Move &lt;the&gt; office: due times counted in IT's working hours/);
  expect(JSON.stringify(message.blocks)).toContain('200h counted → due');
  for (const b of message.blocks) if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
});

it('names the wait of a pause: the requester, or either when the agreement stops the clock for a third party', () => {
  expect(reasonText({ kind: 'paused' })).toBe('paused — waiting on the requester');
  expect(reasonText({ kind: 'paused', orThirdParty: true })).toBe('paused — waiting on the requester or a third party');
});
